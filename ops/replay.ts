/**
 * `venue-sync replay <venue>`: re-drives quarantined requests. Each goes through the same decision core
 * and RequestRunner as the poller, under the venue's lease so a schedule tick cannot work on it at the
 * same time, with an attempt budget of one: a request that fails again is quarantined again (it stays
 * visible), one that cannot be a lead is REJECTED, and one that may already have a lead is looked up
 * first (OAuth) or, without a lookup, waits until a person confirms with `--checked-tripleseat` that
 * Tripleseat has none. The poller alone would not pick these up: quarantining cleared the checkbox.
 */
import { z } from 'zod';
import type { VenueConfig } from '../shared/config/app-config';
import {
  IllegalTransitionError,
  keys,
  type LedgerKey,
  type QuarantineRecord,
} from '../shared/reconciliation';
import { silentLog, type DecisionLog } from '../shared/sync/decision-log';
import { mapContactToLead, type LeadMapResult } from '../shared/sync/lead-mapper';
import { outcomeUpdate, type Outcome } from '../shared/sync/outcome';
import type { TripleseatPort } from '../shared/sync/ports';
import { RequestRunner, type RequestResult } from '../shared/sync/request-runner';
import { resolveVenueSchema, type VenueSchema } from '../shared/sync/venue-schema';
import { httpDestinationFor } from '../shared/destinations/venue-destination';
import { OpsContext, OpsError } from './context';
import type { HubSpotAdmin, HubSpotContactRecord } from './hubspot-admin';

const PayloadSchema = z.object({
  venueId: z.string(),
  contactId: z.string(),
  flagSetAt: z.string(),
  maybeSent: z.boolean().optional(),
});

/** The lease and claim a replay holds; one replay of a few records finishes well within it. */
const REPLAY_LEASE_MS = 300_000;

export interface ReplayCandidate {
  key: string;
  contactId?: string;
  flagSetAt?: string;
  reason: string;
  quarantinedAt: number;
  /** The destination may already have this request's lead (its create answer was lost). */
  maybeSent: boolean;
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
      maybeSent: payload.success && payload.data.maybeSent === true,
      ...(payload.success ? { contactId: payload.data.contactId, flagSetAt: payload.data.flagSetAt } : {}),
    };
  });
}

export interface ReplayOptions {
  runId: string;
  /**
   * A person checked Tripleseat and found no lead for the requests whose answer was lost: all of them
   * (true), or only these contact ids.
   */
  checkedTripleseat?: boolean | readonly string[];
  log?: DecisionLog;
  onRecord?: () => void;
}

export async function replayVenue(
  ctx: OpsContext,
  venueId: string,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const venue = ctx.venue(venueId);
  const found = await ctx.credentials(venue);
  const hubspot = ctx.hubspotAdmin(OpsContext.hubspotToken(found));
  const destination = replayDestination(ctx, venue, found.credentials);
  const store = ctx.store;
  const partition = keys.venue(venue.id);
  if (!(await store.acquireLease(partition, options.runId, REPLAY_LEASE_MS))) {
    throw new OpsError(`a poll of '${venue.id}' is running (it holds the lease); try again in a few minutes`);
  }
  const canLookUp = destination.findLeadsByEmail !== undefined;
  const runner = new RequestRunner({
    store,
    destination,
    runId: options.runId,
    claimTtlMs: REPLAY_LEASE_MS,
    // One attempt: whatever fails again is quarantined again, never left where nobody looks.
    decisions: { maxAttempts: 1, canLookUp },
    log: options.log ?? silentLog,
  });
  const report: ReplayReport = { venueId: venue.id, hasOauth: canLookUp, items: [] };
  try {
    const schema = resolveVenueSchema(venue, await hubspot.listProperties());
    const replay = new VenueReplay(ctx, venue, schema, hubspot, runner, options, canLookUp, destination.name);
    for (const record of await store.listQuarantine(keys.venueSource(venue.id))) {
      report.items.push(await replay.one(record));
      options.onRecord?.();
    }
  } finally {
    await store.releaseLease(partition, options.runId);
  }
  return report;
}

/**
 * The venue's own destination, built the way its poller builds it: its HTTP platform when the config
 * names one, else its Tripleseat account (with the OAuth lookup when it has OAuth). Never another's.
 */
function replayDestination(
  ctx: OpsContext,
  venue: VenueConfig,
  credentials: Awaited<ReturnType<OpsContext['credentials']>>['credentials'],
): TripleseatPort {
  if (venue.destination?.type === 'http') {
    const http = httpDestinationFor(
      {
        VENUE_ID: venue.id,
        FIELD_MAP: venue.fieldMap,
        DESTINATION: venue.destination,
        DESTINATION_BASE_URL: ctx.env.DESTINATION_BASE_URL,
      },
      credentials,
      ctx.caller,
    );
    if (http) return http;
  }
  const tripleseat = ctx.tripleseat(venue, credentials);
  if (!tripleseat || !credentials.tripleseatPublicKey) {
    throw new OpsError('replay creates leads: give the venue TRIPLESEAT_PUBLIC_KEY (or --secret-arn)');
  }
  return tripleseat.hasOauth ? tripleseat : { createLead: (lead) => tripleseat.createLead(lead) };
}

class VenueReplay {
  constructor(
    private readonly ctx: OpsContext,
    private readonly venue: VenueConfig,
    private readonly schema: VenueSchema,
    private readonly hubspot: HubSpotAdmin,
    private readonly runner: RequestRunner,
    private readonly options: ReplayOptions,
    private readonly canLookUp: boolean,
    private readonly destinationName: string | undefined,
  ) {}

  async one(record: QuarantineRecord): Promise<ReplayItem> {
    const store = this.ctx.store;
    const payload = PayloadSchema.safeParse(record.payload);
    if (!payload.success || payload.data.venueId !== this.venue.id) {
      return {
        key: record.key,
        outcome: 'skipped',
        detail: 'quarantine record has no request key; inspect it by hand',
      };
    }
    const key: LedgerKey = payload.data;
    const item = { key: record.key, contactId: key.contactId };
    const entry = await store.getLedger(key);
    const maybeSent = entry?.sendingAt !== undefined;
    const checked = this.confirmedNoLead(key.contactId);
    if (entry?.state === 'QUARANTINED' && maybeSent && !this.canLookUp && !checked) {
      return {
        ...item,
        outcome: 'skipped',
        detail:
          'a lead may already exist in Tripleseat (the create answer was lost) and this venue has no OAuth lookup: ' +
          `check Tripleseat for contact ${key.contactId}, then replay with --checked-tripleseat`,
      };
    }

    // Read the contact before touching the ledger: a failed read leaves the request quarantined as it was.
    let contact: HubSpotContactRecord | undefined;
    try {
      [contact] = await this.hubspot.readContacts(
        [key.contactId],
        [...this.schema.readProperties, this.schema.flag.name],
      );
    } catch (error) {
      return {
        ...item,
        outcome: 'skipped',
        detail: `could not read the contact; still quarantined (${errorText(error)})`,
      };
    }

    try {
      await store.replayLedger(key, { confirmedNotSent: checked });
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      // The poller writes the quarantine record before the ledger transition: a crash between the two
      // leaves the request in flight, which the claim below takes over. Anything else is already decided.
      if (error.current !== 'CLAIMED' && error.current !== 'SENDING') {
        await store.removeQuarantine(keys.venueSource(this.venue.id), record.key);
        return {
          ...item,
          outcome: 'skipped',
          detail: `ledger is ${error.current ?? 'missing'}; quarantine record removed`,
        };
      }
    }
    const mapped: LeadMapResult = contact
      ? mapContactToLead(contact.properties, this.schema.fields, {
          locationId: this.venue.tripleseatLocationId,
          leadFormId: this.venue.tripleseatLeadFormId,
        })
      : { ok: false, reason: 'contact no longer exists in HubSpot', field: 'email_address' };
    const result = await this.runner.run(key, mapped);
    // Only now that the runner decided may the quarantine record go (replayLedger removed it on the usual
    // path; this covers a request taken over in flight). A re-quarantine wrote a fresh one.
    if (result.kind === 'finished' && result.outcome.kind !== 'quarantined') {
      await store.removeQuarantine(keys.venueSource(this.venue.id), record.key);
    }
    return this.report(item, key, contact, result);
  }

  private confirmedNoLead(contactId: string): boolean {
    const checked = this.options.checkedTripleseat;
    return Array.isArray(checked) ? checked.includes(contactId) : checked === true;
  }

  private async report(
    item: { key: string; contactId: string },
    key: LedgerKey,
    contact: HubSpotContactRecord | undefined,
    result: RequestResult,
  ): Promise<ReplayItem> {
    if (result.kind === 'left')
      return { ...item, outcome: 'skipped', detail: 'another run holds the request' };
    if (result.kind === 'retry') return { ...item, outcome: 'requarantined', detail: 'kept for retry' };
    const { outcome } = result;
    const writeFailed = contact ? await this.writeBack(key, contact, outcome) : undefined;
    if (result.markDone && !writeFailed) await this.ctx.store.markDone(key);
    const leadId = outcome.kind === 'sent' ? outcome.leadId : undefined;
    const detail =
      outcome.kind === 'sent'
        ? writeFailed
          ? `lead recorded; HubSpot write-back failed (${writeFailed}); ledger stays LEAD_CREATED`
          : undefined
        : outcome.kind === 'rejected'
          ? outcome.reason + (writeFailed ? `; write-back failed: ${writeFailed}` : '')
          : ((await this.ctx.store.getLedger(key))?.lastError ?? outcome.reason);
    return {
      ...item,
      outcome:
        outcome.kind === 'sent'
          ? result.last === 'send'
            ? 'created'
            : 'found-existing'
          : outcome.kind === 'rejected'
            ? 'rejected'
            : 'requarantined',
      ...(leadId ? { leadId } : {}),
      ...(detail ? { detail } : {}),
    };
  }

  /** The outcome on the contact; a box ticked again since is a NEW request for the poller: never cleared here. */
  private async writeBack(
    key: LedgerKey,
    contact: HubSpotContactRecord,
    outcome: Outcome,
  ): Promise<string | undefined> {
    const update = outcomeUpdate(this.schema, key.contactId, outcome, this.ctx.now(), this.destinationName);
    if (contact.properties[this.schema.flag.name] === 'true') delete update.properties[this.schema.flag.name];
    if (Object.keys(update.properties).length === 0) return undefined;
    const { failed } = await this.hubspot.updateContacts([update]);
    return failed[0]?.reason;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function renderCandidates(venueId: string, candidates: ReplayCandidate[], hasOauth: boolean): string {
  const lines = [`Quarantined requests of venue '${venueId}': ${candidates.length}`];
  for (const c of candidates) {
    const flag = c.maybeSent ? ' [a lead may already exist]' : '';
    lines.push(`  contact ${c.contactId ?? '?'} (flag set ${c.flagSetAt ?? '?'})${flag}: ${c.reason}`);
  }
  if (candidates.some((c) => c.maybeSent)) {
    lines.push(
      hasOauth
        ? 'Requests marked [a lead may already exist] are looked up in Tripleseat before anything is sent.'
        : 'This venue has no Tripleseat OAuth token, so replay cannot look for a lead an earlier attempt may have ' +
            'created: check Tripleseat for the contacts marked [a lead may already exist], then replay with ' +
            '--checked-tripleseat. Replay skips them until then.',
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
