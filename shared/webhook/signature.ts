/**
 * HubSpot webhook signatures (pure; the clock is injected): v3, and the older v1 and v2.
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
 * itself signs is therefore not certain (HubSpot's request-validation docs), so we do what the docs say AND accept the URI as
 * received: `signedUriCandidates()` lists both (and a fully percent-decoded form), and a request is valid
 * when its signature matches any of them. That widens nothing an attacker can use: every candidate is
 * still an HMAC under the app secret over the same method, body and timestamp.
 *
 * Timestamps: older than 5 minutes is rejected (the SDK's MAX_ALLOWED_TIMESTAMP = 300000). The docs say
 * nothing about the future; we also reject more than 5 minutes ahead, so a captured request signed with a
 * far-future timestamp cannot be replayed for longer than the same window. 5 minutes absorbs clock skew.
 *
 * Older deliveries may carry only `X-HubSpot-Signature` with `X-HubSpot-Signature-Version: v1` or `v2`
 * (same request-validation page, "Validate requests using the v1 / v2 request signature"):
 *
 *   v1 = hex( SHA-256( client secret + body ) )
 *   v2 = hex( SHA-256( client secret + method + uri + body ) )
 *
 * Neither carries a timestamp, so a captured v1/v2 delivery can be replayed. That is acceptable here only
 * because a delivery can do nothing but wake a venue's poller early, and an extra poll is harmless (the
 * poller's lease serializes runs, the scheduled poll is the source of truth). `verifyHubSpotDelivery`
 * prefers v3 whenever its header is present and never falls back to v1/v2 when a v3 signature fails.
 * All comparisons are constant-time.
 *
 * Reasons never contain the secret, the expected signature or the received one.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The SDK's MAX_ALLOWED_TIMESTAMP: 5 minutes, in ms. */
export const MAX_TIMESTAMP_SKEW_MS = 300_000;

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
/** v1/v2 signature and the header naming its version. */
export const LEGACY_SIGNATURE_HEADER = 'x-hubspot-signature';
export const SIGNATURE_VERSION_HEADER = 'x-hubspot-signature-version';

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
  | 'signature-mismatch'
  | 'unsupported-signature-version';

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

export type SignatureVersion = 'v1' | 'v2' | 'v3';

export type DeliveryVerdict =
  | { ok: true; version: SignatureVersion; /** v2 and v3: which URI form matched. */ uriForm?: UriForm }
  | { ok: false; reason: SignatureFailureReason; detail: string };

/** A delivery as received: method, URI (see `buildSignedUri`), raw body and lower-cased headers. */
export interface ReceivedDelivery {
  method: string;
  uri: string;
  body: string;
  headers: Readonly<Record<string, string | undefined>>;
}

/** Computes a v1 signature: hex SHA-256 of client secret + body. */
export function signHubSpotV1(input: { appSecret: string; body: string }): string {
  return createHash('sha256').update(`${input.appSecret}${input.body}`, 'utf8').digest('hex');
}

/** Computes a v2 signature: hex SHA-256 of client secret + method + URI + body. */
export function signHubSpotV2(input: {
  appSecret: string;
  method: string;
  uri: string;
  body: string;
}): string {
  return createHash('sha256')
    .update(`${input.appSecret}${input.method}${input.uri}${input.body}`, 'utf8')
    .digest('hex');
}

/**
 * Verifies a delivery by the strongest signature it carries: v3 when `X-HubSpot-Signature-v3` is present
 * (a failing v3 is final), otherwise `X-HubSpot-Signature` as `X-HubSpot-Signature-Version` says (v1/v2).
 */
export function verifyHubSpotDelivery(delivery: ReceivedDelivery, options: VerifyOptions): DeliveryVerdict {
  const { headers } = delivery;
  if (headers[SIGNATURE_HEADER]?.trim()) {
    const verdict = verifyHubSpotSignatureV3(
      {
        method: delivery.method,
        uri: delivery.uri,
        body: delivery.body,
        signature: headers[SIGNATURE_HEADER],
        timestamp: headers[TIMESTAMP_HEADER],
      },
      options,
    );
    return verdict.ok ? { ok: true, version: 'v3', uriForm: verdict.uriForm } : verdict;
  }
  const signature = headers[LEGACY_SIGNATURE_HEADER]?.trim().toLowerCase();
  if (!signature) {
    return {
      ok: false,
      reason: 'missing-signature',
      detail: `no ${SIGNATURE_HEADER} or ${LEGACY_SIGNATURE_HEADER} header`,
    };
  }
  const version = headers[SIGNATURE_VERSION_HEADER]?.trim().toLowerCase();
  if (version === 'v1') {
    const expected = signHubSpotV1({ appSecret: options.appSecret, body: delivery.body });
    return safeEqual(signature, expected) ? { ok: true, version: 'v1' } : legacyMismatch('v1');
  }
  if (version === 'v2') {
    // As for v3, accept the URI as received or decoded; every candidate is keyed by the app secret.
    let matched: UriForm | undefined;
    for (const candidate of signedUriCandidates(delivery.uri)) {
      const expected = signHubSpotV2({
        appSecret: options.appSecret,
        method: delivery.method,
        uri: candidate.uri,
        body: delivery.body,
      });
      if (safeEqual(signature, expected)) matched ??= candidate.form;
    }
    return matched ? { ok: true, version: 'v2', uriForm: matched } : legacyMismatch('v2');
  }
  return {
    ok: false,
    reason: 'unsupported-signature-version',
    detail: `${LEGACY_SIGNATURE_HEADER} without ${SIGNATURE_VERSION_HEADER} v1 or v2`,
  };
}

function legacyMismatch(version: 'v1' | 'v2'): DeliveryVerdict {
  return {
    ok: false,
    reason: 'signature-mismatch',
    detail: `${version} signature does not match the request (${version === 'v1' ? 'body' : 'method, URI, body'})`,
  };
}
