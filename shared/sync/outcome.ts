/**
 * What a marketer sees on the contact after a tick: the flag cleared and, where the venue configured
 * write-back properties, the status text, the lead id and when it happened. Every text says only what
 * is true: "alerted" because a quarantine raises the venue's alarm, never "will retry" (a person decides).
 */
import { toHubSpotValue } from '../schema';
import type { ContactUpdate, FlaggedContact } from './ports';
import type { VenueSchema } from './venue-schema';

/** The booking system a venue sends to, when the caller does not name it. */
export const DEFAULT_DESTINATION_NAME = 'Tripleseat';

export type Outcome =
  | { kind: 'sent'; leadId: string | undefined }
  | { kind: 'rejected'; reason: string }
  | { kind: 'quarantined'; reason: string };

export function statusText(outcome: Outcome, destination = DEFAULT_DESTINATION_NAME): string {
  switch (outcome.kind) {
    case 'sent':
      return outcome.leadId ? `Sent to ${destination} (lead ${outcome.leadId})` : `Sent to ${destination}`;
    case 'rejected':
      return `Rejected: ${outcome.reason}`;
    case 'quarantined':
      return `Held: ${outcome.reason}; the ops team has been alerted`;
  }
}

export function outcomeUpdate(
  schema: VenueSchema,
  contactId: string,
  outcome: Outcome,
  nowMs: number,
  destination = DEFAULT_DESTINATION_NAME,
): ContactUpdate {
  const properties: Record<string, string> = { [schema.flag.name]: 'false' };
  const { status, leadId, syncedAt } = schema.writeBack;
  if (status) properties[status.name] = statusText(outcome, destination).slice(0, 1000);
  if (leadId && outcome.kind === 'sent' && outcome.leadId) properties[leadId.name] = outcome.leadId;
  if (syncedAt) {
    const value = toHubSpotValue(syncedAt, nowMs);
    if (value.ok) properties[syncedAt.name] = value.value;
  }
  return { id: contactId, properties };
}

/**
 * When a flag-set event happened: its identity together with the contact id. The flag's history
 * gives it; lastmodifieddate is a last resort (the caller logs it).
 */
export function flagSetAtOf(contact: FlaggedContact): { flagSetAt: string; fromHistory: boolean } {
  if (contact.flagSetAt) return { flagSetAt: contact.flagSetAt, fromHistory: true };
  return { flagSetAt: contact.properties['lastmodifieddate'] ?? 'unknown', fromHistory: false };
}
