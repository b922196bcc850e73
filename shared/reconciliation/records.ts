/** The shapes of the table's records, parsed with zod on every read (the table is shared with ops). */
import { z } from 'zod';
import { LEDGER_STATES } from './ledger-states';

export const LedgerEntrySchema = z.object({
  pk: z.string(),
  sk: z.string(),
  venueId: z.string(),
  contactId: z.string(),
  /** When the marketer ticked the flag (from property history): half of the request's identity. */
  flagSetAt: z.string(),
  state: z.enum(LEDGER_STATES),
  /** How many times a run has claimed this request (1 on the first claim). */
  attempts: z.number().int(),
  claimedBy: z.string().optional(),
  /**
   * Epoch ms, informational: a claim is valid only while its run holds the venue lease, so the run that
   * takes the lease over may take the claim over at once (see ReconciliationStore.claim).
   */
  claimExpiresAt: z.number().optional(),
  leadId: z.string().optional(),
  /**
   * Epoch ms when the create call was about to be made (SENDING). Present means the destination may
   * have the lead; removed when an answer proved nothing was created.
   */
  sendingAt: z.number().optional(),
  /** What was sent, kept so a lookup after a lost answer searches by it even if the contact changed since. */
  sent: z
    .object({
      email: z.string(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      phone: z.string().optional(),
    })
    .optional(),
  reason: z.string().optional(),
  lastError: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/** Epoch ms; named apart from `expiresAt`, the table's TTL attribute (epoch seconds). */
export const LeaseSchema = z.object({ owner: z.string(), leaseExpiresAt: z.number() });
export type Lease = z.infer<typeof LeaseSchema>;

export const PersonRecordSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  eventId: z.string(),
  email: z.string(),
  hubspotContactId: z.string().optional(),
  webexId: z.number().int(),
  /** Ids this person had before Webex re-issued them, newest first (bounded). */
  previousWebexIds: z.array(z.number().int()),
  /** Hash of the HubSpot properties last pushed; unchanged people cost no API call. */
  syncedHash: z.string().optional(),
  updatedAt: z.number(),
});
export type PersonRecord = z.infer<typeof PersonRecordSchema>;

export const QuarantineRecordSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  source: z.string(),
  key: z.string(),
  reason: z.string(),
  /** What replay needs to re-drive the record (never credentials). */
  payload: z.record(z.string(), z.unknown()).optional(),
  quarantinedAt: z.number(),
});
export type QuarantineRecord = z.infer<typeof QuarantineRecordSchema>;
