/**
 * The naive baseline's only resilience: every call is retried on ANY error, a fixed 3 times, with a
 * fixed 1 s sleep (in simulated time) between attempts. No Retry-After, no backoff, no classification:
 * a 400 is retried exactly like a 429.
 *
 * `lambdaDeadline` is harness, not baseline logic: AWS kills a Lambda at its timeout, and the
 * baseline never looks at the clock, so the harness aborts the run at the first call after the
 * deadline (LambdaTimeout) the way the platform would.
 */
export const NAIVE_RETRIES = 3;
export const NAIVE_RETRY_SLEEP_MS = 1_000;

export class LambdaTimeout extends Error {
  override readonly name = 'LambdaTimeout';
}

export interface NaiveStats {
  /** Attempts sent (every retry counts). */
  calls: number;
  retries: number;
  /** Calls that still failed after the last retry. */
  gaveUp: number;
}

export interface NaiveRuntime {
  /** Sleeps `ms` of simulated time. */
  sleep: (ms: number) => Promise<void>;
  /** Simulated now; only used for the Lambda deadline. */
  now: () => number;
  lambdaDeadline: number;
  stats: NaiveStats;
}

export function naiveStats(): NaiveStats {
  return { calls: 0, retries: 0, gaveUp: 0 };
}

export async function retryEverything<T>(rt: NaiveRuntime, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (rt.now() >= rt.lambdaDeadline) throw new LambdaTimeout('Task timed out');
    rt.stats.calls += 1;
    try {
      return await fn();
    } catch (error) {
      if (attempt >= NAIVE_RETRIES) {
        rt.stats.gaveUp += 1;
        throw error;
      }
      rt.stats.retries += 1;
      await rt.sleep(NAIVE_RETRY_SLEEP_MS);
    }
  }
}
