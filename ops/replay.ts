/**
 * `venue-sync replay <venue>`: re-drives quarantined requests (attempts exhausted, or a lost create answer
 * without OAuth). Each record goes through the same rules as the poller, under the venue's lease so a
 * schedule tick cannot work on it at the same time:
 *   replayLedger (QUARANTINED -> CLAIMED, fresh attempts) -> claim -> read the contact -> map ->
 *   OAuth lookup of an earlier lead when the venue has OAuth -> create -> LEAD_CREATED -> write back -> DONE.
 * A record that fails again is quarantined again (it stays visible); one that cannot be a lead is REJECTED.
 * The poller alone would not pick these up: quarantining already cleared the contact's checkbox.
 */
import { z } from 'zod';
import type { VenueConfig } from '../shared/config/app-config';
import { PermanentApiError } from '../shared/rate-limit/errors';
import {
  IllegalTransitionError,
  keys,
  type LedgerKey,
  type QuarantineRecord,
} from '../shared/reconciliation';
import { mapContactToLead } from '../shared/sync/lead-mapper';
import { outcomeUpdate, type Outcome } from '../shared/sync/outcome';
import { resolveVenueSchema, type VenueSchema } from '../shared/sync/venue-schema';
import type { TripleseatClient } from '../shared/tripleseat/client';
import { OpsContext, OpsError } from './context';
import type { HubSpotAdmin, HubSpotContactRecord } from './hubspot-admin';

const PayloadSchema = z.object({ venueId: z.string(), contactId: z.string(), flagSetAt: z.string() });

/** The lease and claim a replay holds; one replay of a few records finishes well within it. */
const REPLAY_LEASE_MS = 300_000;

export interface ReplayCandidate {
  key: string;
  contactId?: string;
  flagSetAt?: string;
  reason: string;
  quarantinedAt: number;
}

export type ReplayOutcome = 'created' | 'found-existing' | 'rejected' | 'requarantined' | 'skipped';

export interface ReplayItem {
  key: string;
  contactId?: string;
  outcome: ReplayOutcome;
  leadId?: string;
  detail?: string;
}

export interface ReplayReport {
  venueId: string;
  hasOauth: boolean;
  items: ReplayItem[];
}

export async function listQuarantined(ctx: OpsContext, venueId: string): Promise<ReplayCandidate[]> {
  ctx.venue(venueId);
  const records = await ctx.store.listQuarantine(keys.venueSource(venueId));
  return records.map((record) => {
    const payload = PayloadSchema.safeParse(record.payload);
    return {
      key: record.key,
      reason: record.reason,
      quarantinedAt: record.quarantinedAt,
      ...(payload.success ? { contactId: payload.data.contactId, flagSetAt: payload.data.flagSetAt } : {}),
    };
  });
}

export async function replayVenue(
  ctx: OpsContext,
  venueId: string,
  options: { runId: string; onRecord?: () => void },
): Promise<ReplayReport> {
  const venue = ctx.venue(venueId);
  const found = await ctx.credentials(venue);
  const hubspot = ctx.hubspotAdmin(OpsContext.hubspotToken(found));
  const tripleseat = ctx.tripleseat(venue, found.credentials);
  if (!tripleseat || !found.credentials.tripleseatPublicKey) {
    throw new OpsError('replay creates leads: give the venue TRIPLESEAT_PUBLIC_KEY (or --secret-arn)');
  }
  const store = ctx.store;
  const partition = keys.venue(venue.id);
  if (!(await store.acquireLease(partition, options.runId, REPLAY_LEASE_MS))) {
    throw new OpsError(`a poll of '${venue.id}' is running (it holds the lease); try again in a few minutes`);
  }
  const report: ReplayReport = { venueId: venue.id, hasOauth: tripleseat.hasOauth, items: [] };
  try {
    const schema = resolveVenueSchema(venue, await hubspot.listProperties());
    for (const record of await store.listQuarantine(keys.venueSource(venue.id))) {
      report.items.push(await replayOne(ctx, venue, schema, hubspot, tripleseat, record, options.runId));
      options.onRecord?.();
    }
  } finally {
    await store.releaseLease(partition, options.runId);
  }
  return report;
}

async function replayOne(
  ctx: OpsContext,
  venue: VenueConfig,
  schema: VenueSchema,
  hubspot: HubSpotAdmin,
  tripleseat: TripleseatClient,
  record: QuarantineRecord,
  runId: string,
): Promise<ReplayItem> {
  const store = ctx.store;
  const payload = PayloadSchema.safeParse(record.payload);
  if (!payload.success || payload.data.venueId !== venue.id) {
    return {
      key: record.key,
      outcome: 'skipped',
      detail: 'quarantine record has no request key; inspect it by hand',
    };
  }
  const key: LedgerKey = payload.data;
  const item = { key: record.key, contactId: key.contactId };

  try {
    await store.replayLedger(key);
  } catch (error) {
    if (!(error instanceof IllegalTransitionError)) throw error;
    // The poller writes the quarantine record before the ledger transition: a crash between the two
    // leaves the request CLAIMED, which the claim below resumes. Anything else is already decided.
    if (error.current !== 'CLAIMED') {
      await store.removeQuarantine(keys.venueSource(venue.id), record.key);
      return {
        ...item,
        outcome: 'skipped',
        detail: `ledger is ${error.current ?? 'missing'}; quarantine record removed`,
      };
    }
  }
  const claim = await store.claim(key, runId, REPLAY_LEASE_MS);
  if (claim.outcome === 'exists') {
    // The quarantine record stays (when still there), so a later replay can try again.
    return { ...item, outcome: 'skipped', detail: `another run holds the request (${claim.entry.state})` };
  }
  // Only now that this run owns the request may its quarantine record go (replayLedger already
  // removed it on the usual path; this covers the resumed CLAIMED one).
  await store.removeQuarantine(keys.venueSource(venue.id), record.key);

  let contact: HubSpotContactRecord | undefined;
  try {
    [contact] = await hubspot.readContacts([key.contactId], [...schema.readProperties, schema.flag.name]);
  } catch (error) {
    // The quarantine record is gone and the checkbox already cleared: without quarantining again, a
    // failed read would leave the request CLAIMED where neither the poller nor replay finds it.
    const message = error instanceof Error ? error.message : String(error);
    await store.quarantineLedger(key, runId, `replay failed: ${message}`);
    return { ...item, outcome: 'requarantined', detail: message };
  }
  if (!contact) {
    const reason = 'contact no longer exists in HubSpot';
    await store.reject(key, runId, reason);
    return { ...item, outcome: 'rejected', detail: reason };
  }
  const finish = async (outcome: Outcome): Promise<string | undefined> => {
    const update = outcomeUpdate(schema, key.contactId, outcome, ctx.now());
    // Re-ticked since? Then the checkbox is a NEW request for the poller: never clear it from here.
    if (contact.properties[schema.flag.name] === 'true') delete update.properties[schema.flag.name];
    if (Object.keys(update.properties).length === 0) return undefined;
    const { failed } = await hubspot.updateContacts([update]);
    return failed[0]?.reason;
  };

  const mapped = mapContactToLead(contact.properties, schema.fields, {
    locationId: venue.tripleseatLocationId,
    leadFormId: venue.tripleseatLeadFormId,
  });
  if (!mapped.ok) {
    await store.reject(key, runId, mapped.reason);
    const writeFailed = await finish({ kind: 'rejected', reason: mapped.reason });
    return {
      ...item,
      outcome: 'rejected',
      detail: mapped.reason + (writeFailed ? `; write-back failed: ${writeFailed}` : ''),
    };
  }

  let leadId: string | undefined;
  let outcome: ReplayOutcome = 'created';
  try {
    if (tripleseat.hasOauth) {
      const setAt = Date.parse(key.flagSetAt);
      const leads = await tripleseat.findLeadsByEmail(mapped.lead.email_address);
      leadId = leads.find((lead) => lead.createdAt !== undefined && Date.parse(lead.createdAt) >= setAt)?.id;
      if (leadId) outcome = 'found-existing';
    }
    if (!leadId) leadId = (await tripleseat.createLead(mapped.lead)).leadId;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentApiError) {
      const reason = message.replace(/^Tripleseat rejected the lead: /, 'Tripleseat: ');
      await store.reject(key, runId, reason);
      await finish({ kind: 'rejected', reason });
      return { ...item, outcome: 'rejected', detail: reason };
    }
    await store.quarantineLedger(key, runId, `replay failed: ${message}`);
    return { ...item, outcome: 'requarantined', detail: message };
  }
  await store.markLeadCreated(key, runId, leadId ?? 'unknown');
  const writeFailed = await finish({ kind: 'sent', leadId });
  if (writeFailed) {
    return {
      ...item,
      outcome,
      ...(leadId ? { leadId } : {}),
      detail: `lead recorded; HubSpot write-back failed (${writeFailed}); ledger stays LEAD_CREATED`,
    };
  }
  await store.markDone(key);
  return { ...item, outcome, ...(leadId ? { leadId } : {}) };
}

export function renderCandidates(venueId: string, candidates: ReplayCandidate[], hasOauth: boolean): string {
  const lines = [`Quarantined requests of venue '${venueId}': ${candidates.length}`];
  for (const c of candidates)
    lines.push(`  contact ${c.contactId ?? '?'} (flag set ${c.flagSetAt ?? '?'}): ${c.reason}`);
  if (candidates.length > 0 && !hasOauth) {
    lines.push(
      'This venue has no Tripleseat OAuth token: replay cannot look for a lead an earlier attempt may have created. ' +
        'Check Tripleseat for these contacts first (reasons above say when the answer was lost).',
    );
  }
  return lines.join('\n');
}

export function renderReplay(report: ReplayReport): string {
  const lines = [`Replayed ${report.items.length} request(s) of venue '${report.venueId}':`];
  for (const item of report.items) {
    lines.push(
      `  contact ${item.contactId ?? item.key}: ${item.outcome}${item.leadId ? ` (lead ${item.leadId})` : ''}${item.detail ? ` — ${item.detail}` : ''}`,
    );
  }
  return lines.join('\n');
}
