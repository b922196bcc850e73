/**
 * Relay connections over an ordered list. A cursor is base64 of the JSON array `[n]`, n being the
 * 1-based position of the edge, like the real sandbox's "WzJd" (`[2]`); `after: [n]` starts at the
 * (n+1)-th item. Offsets, not keys: an item removed mid-paging shifts the rest, as offset cursors do.
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

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify([position])).toString('base64');
}

export function decodeCursor(cursor: string): number {
  let position: unknown;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    position = Array.isArray(decoded) && decoded.length === 1 ? decoded[0] : undefined;
  } catch {
    position = undefined;
  }
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
    throw new GraphQLError(`Invalid cursor: ${cursor}`, { extensions: { code: 'BAD_REQUEST' } });
  }
  return position;
}

export function toConnection<T>(
  items: readonly T[],
  args: { first?: number | null; after?: string | null },
  defaultPageSize: number,
): Connection<T> {
  const first = args.first ?? defaultPageSize;
  if (first < 0)
    throw new GraphQLError('first must not be negative', { extensions: { code: 'BAD_REQUEST' } });
  const start = args.after ? decodeCursor(args.after) : 0;
  const page = items.slice(start, start + first);
  const edges = page.map((node, index) => ({ cursor: encodeCursor(start + index + 1), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
    },
    totalCount: items.length,
  };
}
