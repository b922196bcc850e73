/** The rate-limit module: one classification, one retry policy, one door. */
export * from './errors';
export type { ApiCallStats, ApiCaller } from './types';
export {
  errorFromHttp,
  errorFromNetwork,
  headerValue,
  isNetworkFailure,
  parseRetryAfter,
  redactSecrets,
  DEFAULT_RATE_LIMIT_WAIT_MS,
  HUBSPOT_BURST_WINDOW_MS,
  type ClassifyOptions,
  type HeadersLike,
  type HttpFailure,
} from './classify';
export {
  withRetry,
  retryDelayMs,
  isRetryable,
  defaultSleep,
  RETRY_DEFAULTS,
  type RetryEvent,
  type RetryPolicyOptions,
} from './retry';
export {
  ApiLimiters,
  parseCallLimit,
  parseHubSpotRateHeaders,
  type LimiterOptions,
  type WebexQuota,
} from './limiters';
export { PacingLane, type LaneClock, type LaneOptions, type LaneTicket } from './pacing-lane';
export {
  SharedBudget,
  hubspotTokensPerWindow,
  dayKey,
  type SharedBudgetEvent,
  type SharedBudgetOptions,
  type SharedBudgetStats,
} from './shared-budget';
export {
  createApiCaller,
  type ApiCallEvent,
  type ApiCallerOptions,
  type CallOptions,
  type VenueSyncApiCaller,
} from './api-caller';
