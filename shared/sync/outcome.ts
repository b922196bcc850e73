/**
 * What a marketer sees on the contact after a tick: the flag cleared and, where the venue configured
 * write-back properties, the status text, the Tripleseat lead id and when it happened.
 */
import { toHubSpotValue } from '../schema';
import type { LedgerEntry } from '../reconciliation';
import type { ContactUpdate, FlaggedContact } from './ports';
import type { VenueSchema } from './venue-schema';

/** What a marketer reads after "Not sent:" when a request is parked for replay. */
export const QUARANTINED_REASON = 'Tripleseat could not be reached';

export type Outcome =
  | { kind: 'sent'; leadId: string | undefined }
  | { kind: 'rejected'; reason: string }
  | { kind: 'quarantined'; reason: string };

export function statusText(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'sent':
      return outcome.leadId ? `Sent to Tripleseat (lead ${outcome.leadId})` : 'Sent to Tripleseat';
    case 'rejected':
      return `Rejected: ${outcome.reason}`;
    case 'quarantined':
      return `Not sent: ${outcome.reason}; the team has been alerted and will retry`;
  }
}

export function outcomeUpdate(
  schema: VenueSchema,
  contactId: string,
  outcome: Outcome,
  nowMs: number,
): ContactUpdate {
  const properties: Record<string, string> = { [schema.flag.name]: 'false' };
  const { status, leadId, syncedAt } = schema.writeBack;
  if (status) properties[status.name] = statusText(outcome).slice(0, 1000);
  if (leadId && outcome.kind === 'sent' && outcome.leadId) properties[leadId.name] = outcome.leadId;
  if (syncedAt) {
    const value = toHubSpotValue(syncedAt, nowMs);
    if (value.ok) properties[syncedAt.name] = value.value;
  }
  return { id: contactId, properties };
}

/** The outcome an earlier run decided for a request, to write back again when its flag is still set. */
export function decidedOutcome(entry: Pick<LedgerEntry, 'state' | 'reason' | 'leadId'>): Outcome {
  switch (entry.state) {
    case 'REJECTED':
      return { kind: 'rejected', reason: entry.reason ?? 'rejected' };
    case 'QUARANTINED':
      return { kind: 'quarantined', reason: QUARANTINED_REASON };
    default:
      return { kind: 'sent', leadId: entry.leadId === 'unknown' ? undefined : entry.leadId };
  }
}

/**
 * When a flag-set event happened: its identity together with the contact id. The flag's history
 * gives it; lastmodifieddate is a last resort (the caller logs it).
 */
export function flagSetAtOf(contact: FlaggedContact): { flagSetAt: string; fromHistory: boolean } {
  if (contact.flagSetAt) return { flagSetAt: contact.flagSetAt, fromHistory: true };
  return { flagSetAt: contact.properties['lastmodifieddate'] ?? 'unknown', fromHistory: false };
}
