import type { ApiName } from './errors';

/** Counters every run reports (metrics, bench, sandbox view). */
export interface ApiCallStats {
  /** Attempts sent, per API (each retry counts). */
  calls: Record<ApiName, number>;
  /** 429 answers received, per API. */
  rateLimited: Record<ApiName, number>;
  /** Retries made after a retryable failure, per API. */
  retries: Record<ApiName, number>;
}

/**
 * The one door every adapter's external call goes through: the API's limiter (pacing below the
 * published limit), the shared cross-function budget where one exists, and the single retry policy.
 * `fn` must throw ApiError subclasses (see errors.ts / classify.ts) so the policy can decide.
 */
export interface ApiCaller {
  call<T>(api: ApiName, fn: () => Promise<T>, options?: { cost?: number }): Promise<T>;
  stats(): ApiCallStats;
}
