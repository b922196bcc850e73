/**
 * Relay connections over a list of items with Int ids. A cursor is base64 of the JSON array `[id]`,
 * the id of the edge's item, as the official SDK fixtures show (ids 2, 4, 7, 8 -> "WzJd", "WzRd",
 * "Wzdd", "Wzhd"). `after: [id]` starts at the first item with a larger id (items are served in id
 * order), so a cursor survives items being added, removed or re-issued behind it: a re-issued item
 * gets a larger id and is served again later in the pass.
 */
import { GraphQLError } from 'graphql';

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: {
    startCursor: string | null;
    endCursor: string | null;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
  };
  totalCount: number;
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify([id])).toString('base64');
}

export function decodeCursor(cursor: string): number {
  let id: unknown;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    id = Array.isArray(decoded) && decoded.length === 1 ? decoded[0] : undefined;
  } catch {
    id = undefined;
  }
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
    throw new GraphQLError(`Invalid cursor: ${cursor}`, { extensions: { code: 'BAD_REQUEST' } });
  }
  return id;
}

export function toConnection<T extends { id: number }>(
  items: readonly T[],
  args: { first?: number | null; after?: string | null },
  defaultPageSize: number,
): Connection<T> {
  const first = args.first ?? defaultPageSize;
  if (first < 0)
    throw new GraphQLError('first must not be negative', { extensions: { code: 'BAD_REQUEST' } });
  const ordered = [...items].sort((a, b) => a.id - b.id);
  const afterId = args.after ? decodeCursor(args.after) : undefined;
  const start = afterId === undefined ? 0 : firstAbove(ordered, afterId);
  const page = ordered.slice(start, start + first);
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasNextPage: start + first < ordered.length,
      hasPreviousPage: start > 0,
    },
    totalCount: ordered.length,
  };
}

/** Index of the first item whose id is above `id` (binary search over the id-ordered list). */
function firstAbove<T extends { id: number }>(ordered: readonly T[], id: number): number {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ordered[middle] as T).id <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}
