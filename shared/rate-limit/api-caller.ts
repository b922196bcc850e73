/**
 * The `ApiCaller` every adapter uses: for each attempt, the API's local limiter, then (HubSpot only)
 * the portal's shared budget, then `fn`; the whole wrapped by the one retry policy. Retries go back
 * through the limiter and the budget, so a retried call is paced and counted like any other.
 */
import { ApiError, RateLimitedError, type ApiName } from './errors';
import { ApiLimiters, type LimiterOptions } from './limiters';
import { defaultSleep, withRetry, type RetryPolicyOptions } from './retry';
import type { SharedBudget } from './shared-budget';
import type { ApiCallStats, ApiCaller } from './types';
import type { HeadersLike } from './classify';

/** One structured log line's worth; never carries tokens (messages are redacted by classify.ts). */
export type ApiCallEvent =
  | {
      type: 'retry';
      api: ApiName;
      attempt: number;
      delayMs: number;
      error: string;
      status: number | undefined;
      message: string;
    }
  | {
      type: 'gave-up';
      api: ApiName;
      attempts: number;
      error: string;
      status: number | undefined;
      message: string;
    };

export interface ApiCallerOptions {
  /** HubSpot private-app burst limit per 10 s (config `hubspotTenSecondLimit`). */
  hubspotTenSecondLimit: number;
  /** The portal's cross-function budget; consulted before each HubSpot general call. */
  sharedBudget?: SharedBudget;
  /**
   * Cross-function budget for HubSpot search (5/s per account); optional. Without it, search calls
   * still count against `sharedBudget`'s daily counter.
   */
  sharedSearchBudget?: SharedBudget;
  /** API time runs this many times faster than wall time (limiters and the default sleep). @default 1 */
  timeScale?: number;
  /** Waits `ms` of API time (e.g. `clock.sleep.bind(clock)`). @default setTimeout(ms / timeScale) */
  sleep?: (ms: number) => Promise<void>;
  /** Current API time (the limiters' clock; pass it with `sleep`). @default wall time x timeScale */
  now?: () => number;
  /** Total attempts per call. @default 5 */
  maxAttempts?: number;
  /** Finer limiter settings (headroom, search/Tripleseat/Webex limits). */
  limiters?: Omit<LimiterOptions, 'hubspotTenSecondLimit' | 'timeScale'>;
  /** Finer retry settings (backoff base/cap, max 429 wait, jitter, random). */
  retry?: Pick<
    RetryPolicyOptions,
    'baseDelayMs' | 'maxDelayMs' | 'maxRateLimitWaitMs' | 'rateLimitJitterMs' | 'random'
  >;
  onEvent?: (event: ApiCallEvent) => void;
}

export interface CallOptions {
  /** Webex query cost (bottleneck weight); ignored for other APIs. @default 1 */
  cost?: number;
  /** Separates credentials that have their own limits (e.g. one Tripleseat key per venue). */
  limiterKey?: string;
}

export interface VenueSyncApiCaller extends ApiCaller {
  call<T>(api: ApiName, fn: () => Promise<T>, options?: CallOptions): Promise<T>;
  /** Feed HubSpot responses' `X-HubSpot-RateLimit-*` headers here (burst-window pacing). */
  observeHubSpotHeaders(headers: HeadersLike, limiterKey?: string): void;
  /** Feed every Webex response's headers here (`X-Secondly-Call-Limit`, `X-Daily-Call-Limit`). */
  observeWebexHeaders(headers: HeadersLike, limiterKey?: string): void;
  /** HubSpot daily budget used (shared counter), for the ">80%" alarm metric; 0 without a budget. */
  dailyUsedFraction(): number;
  /** Webex daily cost quota used, as last reported by Webex. */
  webexDailyUsedFraction(): number | undefined;
  /** Flushes the shared daily counter and stops the limiters. */
  close(): Promise<void>;
}

const API_NAMES: readonly ApiName[] = ['hubspot', 'hubspot-search', 'tripleseat', 'webex'];

function zeroCounts(): Record<ApiName, number> {
  return Object.fromEntries(API_NAMES.map((api) => [api, 0])) as Record<ApiName, number>;
}

function errorFields(error: unknown): { error: string; status: number | undefined; message: string } {
  if (error instanceof ApiError) return { error: error.name, status: error.status, message: error.message };
  // Not classified: the name only; an unknown error's message may carry anything.
  return {
    error: error instanceof Error ? error.name : typeof error,
    status: undefined,
    message: 'unclassified error',
  };
}

export function createApiCaller(options: ApiCallerOptions): VenueSyncApiCaller {
  const timeScale = options.timeScale ?? 1;
  const sleep = options.sleep ?? defaultSleep(timeScale);
  const limiters = new ApiLimiters({
    ...options.limiters,
    hubspotTenSecondLimit: options.hubspotTenSecondLimit,
    timeScale,
    ...(options.now ? { now: options.now } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const counts: ApiCallStats = { calls: zeroCounts(), rateLimited: zeroCounts(), retries: zeroCounts() };

  async function budgetFor(api: ApiName): Promise<void> {
    if (api === 'hubspot') await options.sharedBudget?.acquire(1);
    else if (api === 'hubspot-search') {
      if (options.sharedSearchBudget) await options.sharedSearchBudget.acquire(1);
      // Search calls count toward the account's daily limit too.
      await options.sharedBudget?.recordDaily(1);
    }
  }

  async function call<T>(api: ApiName, fn: () => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
    let attempts = 0;
    try {
      return await withRetry(
        api,
        () =>
          limiters.schedule(
            api,
            async () => {
              attempts += 1;
              counts.calls[api] += 1;
              try {
                return await fn();
              } catch (error) {
                if (error instanceof RateLimitedError) {
                  counts.rateLimited[api] += 1;
                  limiters.rateLimited(api, error.retryAfterMs, callOptions.limiterKey);
                } else if (error instanceof ApiError && error.status === 429) {
                  counts.rateLimited[api] += 1;
                }
                throw error;
              }
            },
            {
              beforeSend: () => budgetFor(api),
              ...(callOptions.cost !== undefined ? { cost: callOptions.cost } : {}),
              ...(callOptions.limiterKey !== undefined ? { key: callOptions.limiterKey } : {}),
            },
          ),
        {
          ...options.retry,
          ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
          sleep,
          onRetry: ({ attempt, delayMs, error }) => {
            counts.retries[api] += 1;
            options.onEvent?.({ type: 'retry', api, attempt, delayMs, ...errorFields(error) });
          },
        },
      );
    } catch (error) {
      if (attempts > 1) options.onEvent?.({ type: 'gave-up', api, attempts, ...errorFields(error) });
      throw error;
    }
  }

  return {
    call,
    stats: () => ({
      calls: { ...counts.calls },
      rateLimited: { ...counts.rateLimited },
      retries: { ...counts.retries },
    }),
    observeHubSpotHeaders: (headers, limiterKey) => limiters.observeHubSpotHeaders(headers, limiterKey),
    observeWebexHeaders: (headers, limiterKey) => limiters.observeWebexHeaders(headers, limiterKey),
    dailyUsedFraction: () => options.sharedBudget?.dailyUsedFraction() ?? 0,
    webexDailyUsedFraction: () => limiters.webexDailyUsedFraction(),
    close: async () => {
      await options.sharedBudget?.flush().catch(() => undefined);
      await limiters.close();
    },
  };
}
