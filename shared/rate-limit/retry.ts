/**
 * The single retry policy, on p-retry. Vendor SDK retries stay off.
 *
 * - Retries only TransientApiError (5xx, 408, 409, timeouts, resets) and its RateLimitedError (429).
 * - A 429 waits exactly its `retryAfterMs` plus a small jitter (so several functions that were told the
 *   same wait do not return in lockstep).
 * - Anything else transient: exponential backoff with full jitter, `random() * min(cap, base * 2^n)`.
 * - AuthError, PermanentApiError, DailyLimitError and non-API errors: exactly one attempt.
 *
 * p-retry's own delay is set to 0; the wait happens in `shouldRetry` through the injected `sleep`, so
 * tests measure every wait and a scaled clock shortens them proportionally.
 */
import pRetry from 'p-retry';
import { RateLimitedError, TransientApiError, type ApiName } from './errors';

export interface RetryPolicyOptions {
  /** Total attempts including the first. @default 5 */
  maxAttempts?: number;
  /** First backoff ceiling in API-time ms. @default 200 */
  baseDelayMs?: number;
  /** Backoff ceiling in API-time ms. @default 20_000 */
  maxDelayMs?: number;
  /**
   * A 429 that asks for a longer wait than this is not retried (the run ends or the record is left
   * for the next run) instead of parking a Lambda. @default 60_000
   */
  maxRateLimitWaitMs?: number;
  /** Upper bound of the jitter added to a 429 wait, in API-time ms. @default 100 */
  rateLimitJitterMs?: number;
  /**
   * Waits `ms` of API time. Inject `SimClock.sleep` (already scaled) or a recorder in tests.
   * @default setTimeout of `ms / timeScale`
   */
  sleep?: (ms: number) => Promise<void>;
  /** Used only by the default sleep: API time runs this many times faster than wall time. @default 1 */
  timeScale?: number;
  /** @default Math.random */
  random?: () => number;
  /** Called before each wait, after the decision to retry. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  api: ApiName;
  /** The attempt that failed (1-based). */
  attempt: number;
  /** API-time ms waited before the next attempt. */
  delayMs: number;
  error: TransientApiError;
}

export const RETRY_DEFAULTS = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  maxRateLimitWaitMs: 60_000,
  rateLimitJitterMs: 100,
} as const;

/** Whether the policy would ever retry this error (independent of attempts left). */
export function isRetryable(error: unknown): error is TransientApiError {
  return error instanceof TransientApiError;
}

/**
 * The wait before retry number `retry` (1-based) after `error`, in API-time ms, or undefined when the
 * error must not be retried.
 */
export function retryDelayMs(
  error: unknown,
  retry: number,
  options: Pick<
    RetryPolicyOptions,
    'baseDelayMs' | 'maxDelayMs' | 'maxRateLimitWaitMs' | 'rateLimitJitterMs' | 'random'
  > = {},
): number | undefined {
  if (!isRetryable(error)) return undefined;
  const random = options.random ?? Math.random;
  if (error instanceof RateLimitedError) {
    if (error.retryAfterMs > (options.maxRateLimitWaitMs ?? RETRY_DEFAULTS.maxRateLimitWaitMs))
      return undefined;
    return (
      error.retryAfterMs +
      Math.round(random() * (options.rateLimitJitterMs ?? RETRY_DEFAULTS.rateLimitJitterMs))
    );
  }
  const base = options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const cap = options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const ceiling = Math.min(cap, base * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

export function defaultSleep(timeScale = 1): (ms: number) => Promise<void> {
  return (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / timeScale)));
}

/** Runs `fn` under the policy; `fn` receives the 1-based attempt number. */
export async function withRetry<T>(
  api: ApiName,
  fn: (attempt: number) => Promise<T>,
  options: RetryPolicyOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts);
  const sleep = options.sleep ?? defaultSleep(options.timeScale);
  return pRetry(fn, {
    retries: maxAttempts - 1,
    minTimeout: 0,
    maxTimeout: 0,
    // Only called while retries are left; deciding and waiting here keeps every wait injectable.
    shouldRetry: async ({ error, attemptNumber }) => {
      const delayMs = retryDelayMs(error, attemptNumber, options);
      if (delayMs === undefined || !isRetryable(error)) return false;
      options.onRetry?.({ api, attempt: attemptNumber, delayMs, error });
      await sleep(delayMs);
      return true;
    },
  });
}
