/** The Webex paging policy: one page read ahead, page size halved on a refusal and kept lowered. */
import { describe, expect, it } from 'vitest';
import { PageSizer, readAheadPages, type FetchedPage } from '../../shared/webex/attendee-pages';

class TooLarge extends Error {}

/** A list of 10 numbers served in pages; refuses pages above `limit`. Records each request as it starts. */
function source(limit: number) {
  const requests: Array<{ after: string | undefined; first: number }> = [];
  const fetchPage = (after: string | undefined, first: number): Promise<FetchedPage<number>> => {
    requests.push({ after, first });
    if (first > limit) return Promise.reject(new TooLarge());
    const start = after === undefined ? 0 : Number(after);
    const items = Array.from({ length: Math.max(0, Math.min(first, 10 - start)) }, (_u, i) => start + i);
    const end = start + items.length;
    return Promise.resolve({ items, endCursor: String(end), hasNextPage: end < 10 });
  };
  return { requests, fetchPage };
}

describe('Function: readAheadPages', () => {
  it('requests the next page before handing out the current one', async () => {
    // Prepare
    const { requests, fetchPage } = source(100);
    const pages = readAheadPages(fetchPage, undefined, {
      pageSize: 4,
      sizer: new PageSizer(100),
      isPageTooLarge: (error) => error instanceof TooLarge,
    });

    // Act
    const first = await pages.next();
    const requestedWhileHoldingFirst = requests.length;
    const rest = [];
    for await (const page of pages) rest.push(page);

    // Assess
    expect(first.value).toEqual({ items: [0, 1, 2, 3], cursor: '4', last: false });
    expect(requestedWhileHoldingFirst).toBe(2);
    expect(rest.map((page) => page.items)).toEqual([
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(rest.at(-1)?.last).toBe(true);
  });

  it('halves the page size on a refusal, tells the caller, and keeps it for the next read', async () => {
    // Prepare
    const { requests, fetchPage } = source(3);
    const sizer = new PageSizer(100);
    const lowered: number[] = [];

    // Act
    const items: number[] = [];
    for await (const page of readAheadPages(fetchPage, undefined, {
      pageSize: 12,
      sizer,
      isPageTooLarge: (error) => error instanceof TooLarge,
      onPageSizeLowered: (size) => lowered.push(size),
    })) {
      items.push(...page.items);
    }

    // Assess
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lowered).toEqual([6, 3]);
    expect(requests.slice(0, 3).map((request) => request.first)).toEqual([12, 6, 3]);
    expect(new Set(requests.slice(3).map((request) => request.first))).toEqual(new Set([3]));
    expect(sizer.current()).toBe(3);
  });

  it('passes on other errors and gives up halving at one', async () => {
    // Prepare
    const { fetchPage } = source(0);
    const pages = readAheadPages(fetchPage, undefined, {
      pageSize: 2,
      sizer: new PageSizer(100),
      isPageTooLarge: (error) => error instanceof TooLarge,
    });

    // Act
    const outcome = pages.next();

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(TooLarge);
  });
});
