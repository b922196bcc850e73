/**
 * What a marketer sees on the contact after a tick: the flag cleared and, where the venue configured
 * write-back properties, the status text, the Tripleseat lead id and when it happened.
 */
import { toHubSpotValue } from '../schema';
import type { ContactUpdate } from './ports';
import type { VenueSchema } from './venue-schema';

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
