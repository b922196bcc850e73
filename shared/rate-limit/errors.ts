/**
 * One error family for every external API, so the retry policy and the engines decide by class,
 * never by parsing messages. Messages say what happened and what to do; they never carry secrets.
 */
export type ApiName = 'hubspot' | 'hubspot-search' | 'tripleseat' | 'webex';

interface ApiErrorOptions extends ErrorOptions {
  status?: number;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number | undefined;
  constructor(
    readonly api: ApiName,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options);
    this.status = options.status;
  }
}

/** Worth trying again after a pause: 5xx, timeouts, resets, 408, 409. */
export class TransientApiError extends ApiError {
  override name = 'TransientApiError';
}

/** 429 for a short window (burst, per-second, cost): wait `retryAfterMs`, then try again. */
export class RateLimitedError extends TransientApiError {
  override name = 'RateLimitedError';
  constructor(
    api: ApiName,
    message: string,
    readonly retryAfterMs: number,
    options: ApiErrorOptions = {},
  ) {
    super(api, message, { status: 429, ...options });
  }
}

/** The daily budget is spent: no retry helps today; the run stops cleanly and alarms. */
export class DailyLimitError extends ApiError {
  override name = 'DailyLimitError';
}

/** 401/403: credentials are wrong, revoked or lack scope. Never retried. */
export class AuthError extends ApiError {
  override name = 'AuthError';
}

/** 400/404/422 and answers that are wrong for this record; retrying sends the same bad request. */
export class PermanentApiError extends ApiError {
  override name = 'PermanentApiError';
}

/** A response that did not match the documented shape (parsed with zod). */
export class UnexpectedResponseError extends PermanentApiError {
  override name = 'UnexpectedResponseError';
}

/**
 * The request went out but no answer came back (reset, timeout): the write may or may not have
 * happened. Never retried blindly — a retried lead create would be a duplicate lead.
 */
export class AmbiguousOutcomeError extends ApiError {
  override name = 'AmbiguousOutcomeError';
}

/** Errors that end the whole run rather than one record. */
export function isRunStopping(error: unknown): error is AuthError | DailyLimitError {
  return error instanceof AuthError || error instanceof DailyLimitError;
}
