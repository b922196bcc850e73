/**
 * The Idempotency-Key sent with every create: derived from the request's ledger key (venue, contact,
 * tick time), so every attempt of one request carries the same key (a platform that honours it stores
 * the lead once however often the answer is lost) and a new tick of the same contact is a new key.
 * Hashed, so the header carries no contact id in clear.
 */
import { createHash } from 'node:crypto';
import type { LedgerKey } from '../reconciliation';

export function idempotencyKeyOf(key: LedgerKey): string {
  const digest = createHash('sha256')
    .update(`${key.venueId}\n${key.contactId}\n${key.flagSetAt}`)
    .digest('hex');
  return `venue-sync-${digest.slice(0, 40)}`;
}
