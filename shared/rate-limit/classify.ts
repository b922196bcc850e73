/**
 * THE one classification of failed calls, used by every adapter: an HTTP answer or a network failure
 * becomes exactly one class of the error family (errors.ts), so the retry policy decides by class.
 * Each vendor's error body is read by its own module (vendors/), redaction lives in redact.ts.
 *
 * Vendor facts behind each rule: docs/pacing.md. Messages carry the caller's context, the status
 * and the vendor's message or category, never tokens, Authorization headers or query strings
 * (Tripleseat's `public_key=`).
 */
import { headerValue, type HeadersLike } from './headers';
import { redactSecrets } from './redact';
import { parseBody, type VendorDetails } from './vendors/details';
import { hubspotErrorDetails } from './vendors/hubspot';
import { tripleseatErrorDetails } from './vendors/tripleseat';
import { webexErrorDetails } from './vendors/webex';
import {
  ApiError,
  AuthError,
  DailyLimitError,
  PermanentApiError,
  RateLimitedError,
  TransientApiError,
  UnexpectedResponseError,
  type ApiName,
} from './errors';

// Adapters import these from here; they live in their own modules.
export { headerValue, redactSecrets, type HeadersLike };

export interface HttpFailure {
  status: number;
  headers?: HeadersLike;
  /** Parsed JSON, or the raw text (parsed here when it is JSON). */
  body?: unknown;
}

export interface ClassifyOptions {
  /** For `Retry-After: <HTTP date>`; defaults to Date.now. */
  now?: () => number;
}

/** Used when a 429 names no wait at all (HubSpot sends no Retry-After). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
/** HubSpot's burst window when the interval header is missing. */
export const HUBSPOT_BURST_WINDOW_MS = 10_000;
const MAX_VENDOR_MESSAGE_CHARS = 300;

const VENDOR_DETAILS: Record<ApiName, (body: unknown) => VendorDetails> = {
  hubspot: hubspotErrorDetails,
  'hubspot-search': hubspotErrorDetails,
  tripleseat: tripleseatErrorDetails,
  webex: webexErrorDetails,
};

function vendorDetails(api: ApiName, rawBody: unknown): VendorDetails {
  const body = parseBody(rawBody);
  if (typeof body === 'string') return body.trim() ? { message: body.trim() } : {};
  return VENDOR_DETAILS[api](body);
}

/** `Retry-After` is delta-seconds or an HTTP date (RFC 9110 10.2.3). */
export function parseRetryAfter(value: string | undefined, now: () => number = Date.now): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now());
}

function parseNonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

function describe(context: string, status: number, details: VendorDetails): string {
  const labels = [details.code, details.policyName].filter((label): label is string => Boolean(label));
  const vendorMessage = details.message
    ? ` "${details.message.length > MAX_VENDOR_MESSAGE_CHARS ? `${details.message.slice(0, MAX_VENDOR_MESSAGE_CHARS)}…` : details.message}"`
    : '';
  const reference = details.correlationId ? ` (correlationId ${details.correlationId})` : '';
  return redactSecrets(
    `${context} failed: HTTP ${status}${labels.length ? ` ${labels.join('/')}` : ''}${vendorMessage}${reference}`,
  );
}

function isDailyLimit(api: ApiName, headers: HeadersLike, details: VendorDetails): boolean {
  if (api === 'webex') {
    // The SDKs decide by dailyAvailableCost; the header is the fallback when the body
    // does not say (e.g. a proxy stripped it).
    if (details.webexDailyAvailableCost !== undefined) return details.webexDailyAvailableCost < 1;
    return headerValue(headers, 'x-daily-retry-after') !== undefined;
  }
  return details.policyName?.toUpperCase() === 'DAILY' || /daily limit/i.test(details.message ?? '');
}

function rateLimitWaitMs(headers: HeadersLike, details: VendorDetails, now: () => number): number {
  const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const secondly = parseNonNegativeNumber(headerValue(headers, 'x-secondly-retry-after'));
  if (secondly !== undefined) return Math.round(secondly); // milliseconds (Webex)
  if (details.policyName?.toUpperCase() === 'TEN_SECONDLY_ROLLING') {
    return (
      parseNonNegativeNumber(headerValue(headers, 'x-hubspot-ratelimit-interval-milliseconds')) ??
      HUBSPOT_BURST_WINDOW_MS
    );
  }
  // HubSpot search: "You have reached your secondly limit." (no policyName), or `SECONDLY` (not documented; both accepted).
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

/**
 * Classifies an HTTP error answer. `context` says what was attempted, e.g.
 * "HubSpot batch update of 100 contacts"; it appears (redacted) at the start of the message.
 */
export function errorFromHttp(
  api: ApiName,
  response: HttpFailure,
  context: string,
  options: ClassifyOptions = {},
): ApiError {
  const { status, headers } = response;
  const now = options.now ?? Date.now;
  const details = vendorDetails(api, response.body);
  const message = describe(context, status, details);

  if (status === 429) {
    if (isDailyLimit(api, headers, details)) {
      const resetHint =
        api === 'webex'
          ? (() => {
              const seconds = parseNonNegativeNumber(headerValue(headers, 'x-daily-retry-after'));
              return seconds !== undefined ? `; the quota frees up in ${seconds} s` : '';
            })()
          : "; it resets at midnight in the account's time zone";
      return new DailyLimitError(api, `${message} - daily API budget spent, stopping the run${resetHint}`, {
        status,
      });
    }
    const waitMs = rateLimitWaitMs(headers, details, now);
    return new RateLimitedError(api, `${message} - rate limited, retry after ${waitMs} ms`, waitMs);
  }
  if (status >= 500 || status === 408 || status === 0) {
    return new TransientApiError(api, `${message} - temporary failure, will retry`, { status });
  }
  if (status === 409) {
    // HubSpot 409 CONFLICT means "Contact already exists. Existing ID: N": the same
    // request conflicts every time, so retrying only burns budget. Webex 409 is documented retriable.
    if (api.startsWith('hubspot') && details.code === 'CONFLICT') {
      return new PermanentApiError(api, `${message} - conflicts with an existing record, not retried`, {
        status,
      });
    }
    return new TransientApiError(api, `${message} - conflict, will retry`, { status });
  }
  if (status === 401 || status === 403) {
    return new AuthError(api, `${message} - check the credential and its scopes`, { status });
  }
  if (status >= 400) {
    return new PermanentApiError(api, `${message} - request rejected, not retried`, { status });
  }
  return new UnexpectedResponseError(
    api,
    `${message} - not an error status, the adapter misread the answer`,
    {
      status,
    },
  );
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const NETWORK_MESSAGE =
  /socket hang up|fetch failed|network|timed? ?out|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|aborted|other side closed/i;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = errorCode(error);
    const causeText = error.cause !== undefined && error.cause !== error ? errorText(error.cause) : '';
    return [`${error.name}${code ? ` ${code}` : ''}: ${error.message}`, causeText]
      .filter(Boolean)
      .join(' <- ');
  }
  return String(error);
}

/** True for timeouts, resets, refused connections and fetch/undici transport failures (incl. causes). */
export function isNetworkFailure(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const code = errorCode(current);
    if (code && NETWORK_CODES.has(code)) return true;
    if (current instanceof Error) {
      if (current.name === 'AbortError' || current.name === 'TimeoutError') return true;
      if (NETWORK_MESSAGE.test(current.message)) return true;
      current = current.cause;
    } else return false;
  }
  return false;
}

/**
 * A request that got no HTTP answer. The cause is kept only as a redacted copy: transport errors
 * (node-fetch, axios) embed the request URL and sometimes the headers.
 */
export function errorFromNetwork(api: ApiName, cause: unknown, context: string): TransientApiError {
  const text = redactSecrets(errorText(cause));
  const safeCause = new Error(text);
  const code = errorCode(cause);
  if (code) Object.assign(safeCause, { code });
  return new TransientApiError(
    api,
    redactSecrets(`${context} failed: network error (${text}) - will retry`),
    {
      cause: safeCause,
    },
  );
}
