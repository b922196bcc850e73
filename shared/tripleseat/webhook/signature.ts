/**
 * Tripleseat webhook signatures (pure).
 *
 * https://support.tripleseat.com/hc/en-us/articles/40075780832919 (API Webhooks)
 *
 * Tripleseat signs each delivery with HMAC-SHA256 under the endpoint's secret and sends it in
 * `X-Signature`. What exactly is signed and how the digest is encoded is not published; we assume the
 * raw request body, and accept the digest as hex or base64 (optionally prefixed `sha256=`), which is
 * what HMAC-SHA256 webhook signers commonly send (docs/lead-outcomes.md, "Assumptions"). Accepting
 * either encoding widens nothing an attacker can use: both are the same HMAC under the same secret.
 *
 * Comparisons are constant-time. Failure reasons never contain the secret or either signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TRIPLESEAT_SIGNATURE_HEADER = 'x-signature';

export type TripleseatSignatureFailure = 'missing-signature' | 'missing-secret' | 'signature-mismatch';

export type TripleseatSignatureResult = { ok: true } | { ok: false; reason: TripleseatSignatureFailure };

/** The hex digest a sender puts in `X-Signature` (the sandbox's deliveries use this form). */
export function signTripleseatBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** Checks `X-Signature` against the raw body and the venue's webhook secret. */
export function verifyTripleseatSignature(
  body: string,
  signature: string | undefined,
  secret: string | undefined,
): TripleseatSignatureResult {
  if (!secret) return { ok: false, reason: 'missing-secret' };
  const received = signature?.trim().replace(/^sha256=/i, '');
  if (!received) return { ok: false, reason: 'missing-signature' };
  const digest = createHmac('sha256', secret).update(body, 'utf8').digest();
  // Hex compares case-insensitively; base64 is case-sensitive, so it is compared as received.
  const candidates = [
    { given: Buffer.from(received.toLowerCase()), expected: Buffer.from(digest.toString('hex')) },
    { given: Buffer.from(received), expected: Buffer.from(digest.toString('base64')) },
  ];
  // Both are always compared (no early exit); equal lengths first, as timingSafeEqual requires (the
  // length of a digest is no secret).
  let matched = false;
  for (const { given, expected } of candidates) {
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'signature-mismatch' };
}
