/**
 * HubSpot webhook signature v3 (pure; the clock is injected).
 *
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 * https://developers.hubspot.com/changelog/introducing-version-3-of-webhook-signatures
 *
 *   X-HubSpot-Signature-v3     = base64( HMAC_SHA256( key = app client secret,
 *                                                     msg = method + uri + body + timestamp ) ), UTF-8
 *   X-HubSpot-Request-Timestamp = milliseconds since the epoch
 *
 * The URI is the one HubSpot called: `https://<host><rawPath>` plus `?<rawQueryString>` when there is a
 * query string. The docs say to decode URL-encoded characters in it (their table: %3A %2F %3F %40 %21 %24
 * %27 %28 %29 %2A %2C %3B); the official Node SDK just concatenates the URL as given. Which form HubSpot
 * itself signs is therefore not certain (api-facts 1.6), so we do what the docs say AND accept the URI as
 * received: `signedUriCandidates()` lists both (and a fully percent-decoded form), and a request is valid
 * when its signature matches any of them. That widens nothing an attacker can use: every candidate is
 * still an HMAC under the app secret over the same method, body and timestamp.
 *
 * Timestamps: older than 5 minutes is rejected (the SDK's MAX_ALLOWED_TIMESTAMP = 300000). The docs say
 * nothing about the future; we also reject more than 5 minutes ahead, so a captured request signed with a
 * far-future timestamp cannot be replayed for longer than the same window. 5 minutes absorbs clock skew.
 *
 * Reasons never contain the secret, the expected signature or the received one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The SDK's MAX_ALLOWED_TIMESTAMP: 5 minutes, in ms. */
export const MAX_TIMESTAMP_SKEW_MS = 300_000;

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';

export interface SignedRequest {
  /** HTTP method as received, e.g. `POST`. */
  method: string;
  /** The full URI HubSpot called (see `buildSignedUri`), either form. */
  uri: string;
  /** The raw body as a UTF-8 string, exactly as received. */
  body: string;
  /** `X-HubSpot-Signature-v3`. */
  signature: string | undefined;
  /** `X-HubSpot-Request-Timestamp` (ms). */
  timestamp: string | undefined;
}

export interface VerifyOptions {
  /** The app's client secret. */
  appSecret: string;
  /** Current time in ms (injected so tests and the sandbox's clock decide). */
  now: number;
  /** Allowed age and allowed lead into the future; default 5 minutes. */
  maxSkewMs?: number;
}

export type SignatureFailureReason =
  | 'missing-signature'
  | 'missing-timestamp'
  | 'invalid-timestamp'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'signature-mismatch';

export type SignatureResult =
  | { ok: true; /** Which URI form matched. */ uriForm: UriForm }
  | { ok: false; reason: SignatureFailureReason; /** Human-readable, secret-free. */ detail: string };

export type UriForm = 'as-received' | 'hubspot-decoded' | 'fully-decoded';

/** Rebuilds the URI HubSpot signed from a Function URL event's parts. */
export function buildSignedUri(parts: {
  host: string;
  rawPath: string;
  rawQueryString?: string | undefined;
}): string {
  const query = parts.rawQueryString ? `?${parts.rawQueryString}` : '';
  return `https://${parts.host}${parts.rawPath}${query}`;
}

/** HubSpot's table of characters to decode in the URI before signing (docs, "Validate the v3 request signature"). */
const HUBSPOT_DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** Decodes exactly HubSpot's listed characters (hex digits in either case), nothing else. */
export function decodeHubSpotUri(uri: string): string {
  return uri.replace(/%[0-9A-Fa-f]{2}/g, (escape) => HUBSPOT_DECODED[escape.toUpperCase()] ?? escape);
}

/** The URI forms a valid signature may have been computed over, deduplicated, as-received first. */
export function signedUriCandidates(uri: string): Array<{ form: UriForm; uri: string }> {
  const candidates: Array<{ form: UriForm; uri: string }> = [
    { form: 'as-received', uri },
    { form: 'hubspot-decoded', uri: decodeHubSpotUri(uri) },
  ];
  try {
    candidates.push({ form: 'fully-decoded', uri: decodeURIComponent(uri) });
  } catch {
    // Malformed escapes: only the forms above apply.
  }
  return candidates.filter(
    (candidate, index) => candidates.findIndex((c) => c.uri === candidate.uri) === index,
  );
}

/** Computes a v3 signature; used by verification, the sandbox's HubSpot simulator and tests. */
export function signHubSpotV3(input: {
  appSecret: string;
  method: string;
  uri: string;
  body: string;
  timestamp: string | number;
}): string {
  return createHmac('sha256', input.appSecret)
    .update(`${input.method}${input.uri}${input.body}${input.timestamp}`, 'utf8')
    .digest('base64');
}

/** Constant-time string comparison that never throws on different lengths. */
function safeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export function verifyHubSpotSignatureV3(request: SignedRequest, options: VerifyOptions): SignatureResult {
  const maxSkewMs = options.maxSkewMs ?? MAX_TIMESTAMP_SKEW_MS;
  const signature = request.signature?.trim();
  if (!signature) return { ok: false, reason: 'missing-signature', detail: `no ${SIGNATURE_HEADER} header` };
  const timestampText = request.timestamp?.trim();
  if (!timestampText)
    return { ok: false, reason: 'missing-timestamp', detail: `no ${TIMESTAMP_HEADER} header` };
  if (!/^\d{1,16}$/.test(timestampText)) {
    return {
      ok: false,
      reason: 'invalid-timestamp',
      detail: `${TIMESTAMP_HEADER} is not milliseconds since the epoch`,
    };
  }
  const ageMs = options.now - Number(timestampText);
  if (ageMs > maxSkewMs) {
    return {
      ok: false,
      reason: 'stale-timestamp',
      detail: `timestamp is ${Math.round(ageMs / 1000)}s old (max ${maxSkewMs / 1000}s)`,
    };
  }
  if (-ageMs > maxSkewMs) {
    return {
      ok: false,
      reason: 'future-timestamp',
      detail: `timestamp is ${Math.round(-ageMs / 1000)}s in the future (max ${maxSkewMs / 1000}s)`,
    };
  }
  // Compare against every candidate (no early exit), so timing does not reveal which form matched.
  let matched: UriForm | undefined;
  for (const candidate of signedUriCandidates(request.uri)) {
    const expected = signHubSpotV3({
      appSecret: options.appSecret,
      method: request.method,
      uri: candidate.uri,
      body: request.body,
      timestamp: timestampText,
    });
    if (safeEqual(signature, expected)) matched ??= candidate.form;
  }
  if (matched) return { ok: true, uriForm: matched };
  return {
    ok: false,
    reason: 'signature-mismatch',
    detail: 'signature does not match the request (method, URI, body, timestamp)',
  };
}
