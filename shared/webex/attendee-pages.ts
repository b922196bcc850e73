/**
 * Paging policy for a Webex connection, independent of HTTP: read one page ahead (the next page is
 * requested while the caller works on the current one, so Webex and HubSpot work overlap) and halve
 * the page size when Webex refuses it as too complex (413 QUERY_TOO_COMPLEX: the plan's cost limit is
 * lower than one full page). The size learned stays lowered for later pages and later events.
 */

export interface FetchedPage<T> {
  items: T[];
  endCursor: string | undefined;
  hasNextPage: boolean;
}

export interface PagedItems<T> {
  items: T[];
  /** Opaque; resume after this page with it. */
  cursor: string | undefined;
  last: boolean;
}

/** The page size to ask for; lowered (halved) each time the server refuses it. */
export class PageSizer {
  private size: number;

  constructor(maxPageSize: number) {
    this.size = Math.max(1, Math.floor(maxPageSize));
  }

  current(cap = Number.POSITIVE_INFINITY): number {
    return Math.max(1, Math.min(this.size, Math.floor(cap)));
  }

  /** Halves the size; false when it is 1 already (nothing smaller to try). */
  halve(from: number): boolean {
    if (from <= 1) return false;
    this.size = Math.min(this.size, Math.max(1, Math.floor(from / 2)));
    return true;
  }
}

export interface ReadAheadOptions {
  /** Upper bound from the caller (e.g. a test's small pages). */
  pageSize: number;
  sizer: PageSizer;
  /** True for the error that means "this page size is too large". */
  isPageTooLarge: (error: unknown) => boolean;
  onPageSizeLowered?: (pageSize: number) => void;
}

export async function* readAheadPages<T>(
  fetchPage: (after: string | undefined, first: number) => Promise<FetchedPage<T>>,
  start: string | undefined,
  options: ReadAheadOptions,
): AsyncGenerator<PagedItems<T>, void, undefined> {
  const fetchFitting = async (after: string | undefined): Promise<FetchedPage<T>> => {
    for (;;) {
      const first = options.sizer.current(options.pageSize);
      try {
        return await fetchPage(after, first);
      } catch (error) {
        if (!options.isPageTooLarge(error) || !options.sizer.halve(first)) throw error;
        options.onPageSizeLowered?.(options.sizer.current(options.pageSize));
      }
    }
  };

  let after = start;
  let next = fetchFitting(after);
  for (;;) {
    const page = await next;
    // A cursor that does not move would loop forever: treat it as the end of the list.
    const last = !page.hasNextPage || page.endCursor === undefined || page.endCursor === after;
    if (!last) {
      next = fetchFitting(page.endCursor);
      // Awaited on the next turn; if the caller stops first, its failure is nobody's to handle.
      next.catch(() => undefined);
    }
    yield { items: page.items, cursor: page.endCursor, last };
    if (last) return;
    after = page.endCursor;
  }
}
