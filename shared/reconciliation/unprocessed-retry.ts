/**
 * BatchGetItem and BatchWriteItem may leave part of a batch unprocessed when the table is throttled;
 * AWS asks callers to send the remainder again with exponential backoff, since retrying at once meets
 * the same throttling
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
 */

export interface BackoffOptions {
  /** Calls per batch, the first included; default 8. */
  maxAttempts?: number;
  /** First delay's ceiling, ms; doubled per retry; default 50. */
  baseMs?: number;
  /** Largest delay ceiling, ms; default 2000. */
  capMs?: number;
  /** Tests pass a recorder; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); default Math.random ("full jitter", so throttled writers do not retry in step). */
  random?: () => number;
}

export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
}

/** The delay before retry number `retry` (1-based): full jitter under an exponential ceiling. */
export function backoffDelayMs(retry: number, options: BackoffOptions = {}): number {
  const ceiling = Math.min(options.capMs ?? 2_000, (options.baseMs ?? 50) * 2 ** (retry - 1));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/**
 * Sends `batch`, then whatever `send` reports unprocessed, until nothing is left; waits a backoff delay
 * before each resend. Throws UnprocessedItemsError naming `what` when attempts run out.
 */
export async function sendUntilProcessed<T>(
  batch: readonly T[],
  send: (items: readonly T[]) => Promise<readonly T[] | undefined>,
  what: string,
  options: BackoffOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 1) await sleep(backoffDelayMs(attempt - 1, options));
    pending = (await send(pending)) ?? [];
    if (pending.length > 0 && attempt >= maxAttempts) {
      throw new UnprocessedItemsError(
        `${what}: ${pending.length} item(s) still unprocessed after ${maxAttempts} attempts (the table is ` +
          'throttled); nothing is lost, the next run does them again. If this repeats, check the ' +
          "table's throttling metrics.",
      );
    }
  }
}

/** DynamoDB's per-call limits: 100 keys a BatchGetItem, 25 requests a BatchWriteItem. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

/** `items` in slices of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
