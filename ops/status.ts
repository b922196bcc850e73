/**
 * `venue-sync status [venue]` and `venue-sync status contact <id|email>`: what the reconciliation table
 * says (docs/design.md section 4), so ops can answer "is it running?" and "what happened to contact X?"
 * without reading logs. HubSpot is asked only for what the table cannot know (the backlog, an email's
 * contact id, the contact's current checkboxes), and only when credentials are given.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VenueConfig } from '../shared/config/app-config';
import {
  keys,
  LEDGER_STATES,
  LedgerEntrySchema,
  PersonRecordSchema,
  type LedgerState,
} from '../shared/reconciliation';
import { DedupeRecordSchema } from '../shared/reconciliation/ops-records';
import { matchLabel, matchVenueFlag, type HubSpotProperty } from '../shared/schema';
import { OpsContext, OpsError } from './context';
import { isoTime, renderTable } from './io';
import { leadOutcomeStatus, renderLeadOutcomes, type LeadOutcomeStatus } from './lead-outcomes-status';

/** Every time in these reports is ISO 8601 (the table keeps epoch ms; --json never shows them). */
type IsoTime = string;

const RECENT_REJECTIONS = 10;

export interface VenueStatus {
  venueId: string;
  displayName: string;
  /** A run holds the lease now (or crashed holding it until it expires). */
  lease?: { owner: string; acquiredAt?: IsoTime; expiresAt: IsoTime; active: boolean };
  /** Saved only while a long backlog is being drained across ticks. */
  checkpoint?: { savedAt?: IsoTime; afterId?: string };
  /** Latest ledger update (any request) and latest lead created. */
  lastActivityAt?: IsoTime;
  lastLeadAt?: IsoTime;
  /** Contacts with the flag set now (HubSpot search total); undefined without credentials. */
  backlog?: number;
  backlogError?: string;
  ledger: Record<LedgerState, number>;
  recentRejections: Array<{ contactId: string; flagSetAt: string; reason: string; at: IsoTime }>;
  quarantine: Array<{ key: string; reason: string; at: IsoTime }>;
  /** What became of the leads sent (Tripleseat venues only; ops/lead-outcomes-status.ts). */
  leadOutcomes?: LeadOutcomeStatus;
}

export interface StatusReport {
  venues: VenueStatus[];
  webexQuarantine?: Array<{ key: string; reason: string; at: IsoTime }>;
  note: string;
}

export async function venueStatus(ctx: OpsContext, venueId?: string): Promise<StatusReport> {
  const venues = venueId ? [ctx.venue(venueId)] : ctx.config.venues;
  void ctx.store; // fails here, with the explanation, when no table is configured
  const token = await optionalHubSpotToken(ctx);
  let properties: HubSpotProperty[] | undefined;
  let propertiesError: string | undefined;
  if (token) {
    try {
      properties = await ctx.hubspotContacts(token).listProperties();
    } catch (error) {
      propertiesError = (error as Error).message;
    }
  }
  const report: StatusReport = {
    venues: [],
    note:
      'The table records requests, not idle runs: a quiet venue shows no recent activity. The SuccessfulRun ' +
      'metric (dashboard, "no successful run" alarm) is the authority on whether the poller runs.',
  };
  for (const venue of venues) {
    report.venues.push(await oneVenue(ctx, venue, token, properties, propertiesError));
  }
  if (!venueId && ctx.config.webex) {
    const records = await ctx.store.listQuarantine(keys.webexSource);
    report.webexQuarantine = records.map((r) => ({
      key: r.key,
      reason: r.reason,
      at: isoTime(r.quarantinedAt),
    }));
  }
  return report;
}

async function oneVenue(
  ctx: OpsContext,
  venue: VenueConfig,
  token: string | undefined,
  properties: HubSpotProperty[] | undefined,
  propertiesError: string | undefined,
): Promise<VenueStatus> {
  const partition = keys.venue(venue.id);
  const [lease, checkpoint, ledger, quarantine] = await Promise.all([
    rawItem(ctx, partition, keys.lease),
    rawItem(ctx, partition, keys.checkpoint),
    ctx.store.listLedger(venue.id),
    ctx.store.listQuarantine(keys.venueSource(venue.id)),
  ]);
  const counts = Object.fromEntries(LEDGER_STATES.map((state) => [state, 0])) as Record<LedgerState, number>;
  for (const entry of ledger) counts[entry.state] += 1;
  const status: VenueStatus = {
    venueId: venue.id,
    displayName: venue.displayName,
    ledger: counts,
    recentRejections: ledger
      .filter((entry) => entry.state === 'REJECTED')
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, RECENT_REJECTIONS)
      .map((entry) => ({
        contactId: entry.contactId,
        flagSetAt: entry.flagSetAt,
        reason: entry.reason ?? '(no reason recorded)',
        at: isoTime(entry.updatedAt),
      })),
    quarantine: quarantine.map((record) => ({
      key: record.key,
      reason: record.reason,
      at: isoTime(record.quarantinedAt),
    })),
  };
  if (lease && typeof lease.leaseExpiresAt === 'number') {
    status.lease = {
      owner: String(lease.owner),
      expiresAt: isoTime(lease.leaseExpiresAt),
      active: lease.leaseExpiresAt > ctx.now(),
      ...(typeof lease.acquiredAt === 'number' ? { acquiredAt: isoTime(lease.acquiredAt) } : {}),
    };
  }
  if (checkpoint) {
    const data = checkpoint.data as { afterId?: unknown } | undefined;
    status.checkpoint = {
      ...(typeof checkpoint.savedAt === 'number' ? { savedAt: isoTime(checkpoint.savedAt) } : {}),
      ...(typeof data?.afterId === 'string' ? { afterId: data.afterId } : {}),
    };
  }
  const latest = (entries: typeof ledger) =>
    entries.length > 0 ? Math.max(...entries.map((entry) => entry.updatedAt)) : undefined;
  const lastActivity = latest(ledger);
  const lastLead = latest(ledger.filter((entry) => entry.state === 'DONE' || entry.state === 'LEAD_CREATED'));
  if (lastActivity !== undefined) status.lastActivityAt = isoTime(lastActivity);
  if (lastLead !== undefined) status.lastLeadAt = isoTime(lastLead);
  if (venue.destination?.type !== 'http') status.leadOutcomes = await leadOutcomeStatus(ctx, venue.id);

  if (token && properties) {
    const flag = matchVenueFlag(venue.syncFlagLabel, properties);
    if (!flag.ok) status.backlogError = flag.problem.message;
    else {
      try {
        status.backlog = (await ctx.hubspotContacts(token).searchFlagged(flag.property.name, '0', 1)).total;
      } catch (error) {
        status.backlogError = (error as Error).message;
      }
    }
  } else if (propertiesError) status.backlogError = propertiesError;
  return status;
}

async function rawItem(
  ctx: OpsContext,
  pk: string,
  sk: string,
): Promise<Record<string, unknown> | undefined> {
  const { client, tableName } = ctx.dynamo;
  const doc = DynamoDBDocumentClient.from(client);
  const answer = await doc.send(
    new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }),
  );
  return answer.Item;
}

async function optionalHubSpotToken(ctx: OpsContext): Promise<string | undefined> {
  if (!ctx.env.HUBSPOT_TOKEN && !ctx.env.SECRET_ARN) return undefined;
  return (await ctx.credentials()).credentials.hubspotToken;
}

// ---- status contact ----

export interface ContactLedgerRecord {
  venueId: string;
  flagSetAt: string;
  state: LedgerState;
  attempts: number;
  leadId?: string;
  reason?: string;
  lastError?: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface ContactWebexRecord {
  eventId: string;
  email: string;
  webexId: number;
  previousWebexIds: number[];
  updatedAt: IsoTime;
}

/** A lead `venue-sync dedupe --apply` deleted for this contact: who, when and why. */
export interface ContactDedupeRecord {
  venueId: string;
  leadId: string;
  outcome: 'pending' | 'deleted' | 'failed';
  keptLeadId: string;
  reason: string;
  deletedBy: string;
  at: IsoTime;
  error?: string;
}

export interface ContactStatus {
  query: string;
  contactIds: string[];
  /** The contact's venue checkboxes and status text now (with HubSpot credentials). */
  hubspot?: Array<{
    contactId: string;
    email?: string;
    venues: Array<{ venueId: string; flag?: string; status?: string }>;
  }>;
  ledger: Array<ContactLedgerRecord & { contactId: string }>;
  webex: Array<ContactWebexRecord & { contactId: string }>;
  dedupe: Array<ContactDedupeRecord & { contactId: string }>;
}

export async function contactStatus(ctx: OpsContext, query: string): Promise<ContactStatus> {
  const token = await optionalHubSpotToken(ctx);
  const admin = token ? ctx.hubspotAdmin(token) : undefined;
  let contactIds: string[];
  if (query.includes('@')) {
    if (!admin) {
      throw new OpsError(
        'an email is looked up in HubSpot: give HUBSPOT_TOKEN (or --hubspot-token / --secret-arn), or the contact id',
      );
    }
    contactIds = await admin.findContactIdsByEmail(query);
  } else if (/^\d+$/.test(query.trim())) contactIds = [query.trim()];
  else throw new OpsError(`'${query}' is neither a HubSpot contact id (digits) nor an email`);

  const result: ContactStatus = { query, contactIds, ledger: [], webex: [], dedupe: [] };
  for (const contactId of contactIds) {
    for (const item of await ctx.store.recordsForContact(contactId)) {
      const ledger = LedgerEntrySchema.safeParse(item);
      if (ledger.success) {
        const e = ledger.data;
        result.ledger.push({
          contactId,
          venueId: e.venueId,
          flagSetAt: e.flagSetAt,
          state: e.state,
          attempts: e.attempts,
          createdAt: isoTime(e.createdAt),
          updatedAt: isoTime(e.updatedAt),
          ...(e.leadId ? { leadId: e.leadId } : {}),
          ...(e.reason ? { reason: e.reason } : {}),
          ...(e.lastError ? { lastError: e.lastError } : {}),
        });
        continue;
      }
      const person = PersonRecordSchema.safeParse(item);
      if (person.success) {
        const p = person.data;
        result.webex.push({
          contactId,
          eventId: p.eventId,
          email: p.email,
          webexId: p.webexId,
          previousWebexIds: p.previousWebexIds,
          updatedAt: isoTime(p.updatedAt),
        });
        continue;
      }
      const dedupe = DedupeRecordSchema.safeParse(item);
      if (dedupe.success) {
        const d = dedupe.data;
        result.dedupe.push({
          contactId,
          venueId: d.venueId,
          leadId: d.leadId,
          outcome: d.outcome,
          keptLeadId: d.keptLeadId,
          reason: d.reason,
          deletedBy: d.deletedBy,
          at: isoTime(d.at),
          ...(d.error ? { error: d.error } : {}),
        });
      }
    }
  }
  result.ledger.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  result.dedupe.sort((a, b) => a.at.localeCompare(b.at));
  if (admin && contactIds.length > 0) result.hubspot = await currentCheckboxes(ctx, admin, contactIds);
  return result;
}

async function currentCheckboxes(
  ctx: OpsContext,
  admin: ReturnType<OpsContext['hubspotAdmin']>,
  contactIds: string[],
): Promise<NonNullable<ContactStatus['hubspot']>> {
  const properties = await admin.listProperties();
  const perVenue = ctx.config.venues.map((venue) => {
    const flag = matchVenueFlag(venue.syncFlagLabel, properties);
    const status = venue.writeBack?.status
      ? matchLabel(venue.writeBack.status, properties, { exactOnly: true })
      : undefined;
    return {
      venueId: venue.id,
      flag: flag.ok ? flag.property.name : undefined,
      status: status?.ok ? status.property.name : undefined,
    };
  });
  const names = perVenue
    .flatMap((venue) => [venue.flag, venue.status])
    .filter((name): name is string => !!name);
  const contacts = await admin.readContacts(contactIds, ['email', ...names]);
  return contacts.map((contact) => ({
    contactId: contact.id,
    ...(contact.properties.email ? { email: contact.properties.email } : {}),
    venues: perVenue.map((venue) => ({
      venueId: venue.venueId,
      ...(venue.flag ? { flag: contact.properties[venue.flag] ?? 'false' } : {}),
      ...(venue.status && contact.properties[venue.status]
        ? { status: contact.properties[venue.status] ?? '' }
        : {}),
    })),
  }));
}

// ---- rendering ----

export function renderStatus(report: StatusReport): string {
  const lines: string[] = [];
  for (const venue of report.venues) {
    lines.push(`${venue.venueId} — ${venue.displayName}`);
    lines.push(`  last activity: ${shown(venue.lastActivityAt)}   last lead: ${shown(venue.lastLeadAt)}`);
    if (venue.lease) {
      lines.push(
        `  lease: ${venue.lease.active ? 'held' : 'expired (a run died holding it)'} by ${venue.lease.owner} until ${shown(venue.lease.expiresAt)}`,
      );
    }
    if (venue.checkpoint) {
      lines.push(
        `  checkpoint: after contact ${venue.checkpoint.afterId ?? '?'} saved ${shown(venue.checkpoint.savedAt)} (draining a backlog)`,
      );
    }
    lines.push(
      `  backlog (flag set in HubSpot): ${venue.backlog ?? (venue.backlogError ? `unknown (${venue.backlogError})` : 'unknown (no HubSpot credentials)')}`,
    );
    lines.push(
      `  ledger: ${Object.entries(venue.ledger)
        .map(([state, count]) => `${state} ${count}`)
        .join(', ')}`,
    );
    lines.push(
      `  quarantine: ${venue.quarantine.length}${venue.quarantine.length ? ` (venue-sync replay ${venue.venueId})` : ''}`,
    );
    for (const record of venue.quarantine.slice(0, 5)) lines.push(`    ${record.key}: ${record.reason}`);
    if (venue.recentRejections.length > 0) {
      lines.push('  recent rejections:');
      for (const r of venue.recentRejections)
        lines.push(`    ${shown(r.at)}  contact ${r.contactId}: ${r.reason}`);
    }
    if (venue.leadOutcomes) lines.push(...renderLeadOutcomes(venue.leadOutcomes));
    lines.push('');
  }
  if (report.webexQuarantine) {
    lines.push(`webex quarantine: ${report.webexQuarantine.length}`);
    for (const record of report.webexQuarantine.slice(0, 5)) lines.push(`  ${record.key}: ${record.reason}`);
    lines.push('');
  }
  lines.push(report.note);
  return lines.join('\n');
}

export function renderContactStatus(status: ContactStatus): string {
  const lines = [
    `Records for ${status.query}: HubSpot contact id(s) ${status.contactIds.join(', ') || 'none found'}`,
  ];
  for (const contact of status.hubspot ?? []) {
    lines.push('', `HubSpot now (contact ${contact.contactId}):`);
    for (const venue of contact.venues) {
      lines.push(
        `  ${venue.venueId}: checkbox ${venue.flag ?? '?'}${venue.status ? `; status "${venue.status}"` : ''}`,
      );
    }
  }
  lines.push('', `Tripleseat requests (${status.ledger.length}):`);
  if (status.ledger.length > 0) {
    lines.push(
      renderTable(
        ['venue', 'flag set at', 'state', 'attempts', 'lead', 'updated', 'reason / last error'],
        status.ledger.map((e) => [
          e.venueId,
          e.flagSetAt,
          e.state,
          String(e.attempts),
          e.leadId ?? '-',
          shown(e.updatedAt),
          e.reason ?? e.lastError ?? '',
        ]),
      )
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  }
  if (status.dedupe.length > 0) {
    lines.push('', `Leads removed by 'venue-sync dedupe' (${status.dedupe.length}):`);
    for (const d of status.dedupe) {
      lines.push(
        `  ${d.venueId}: lead ${d.leadId} ${d.outcome} ${d.at} by ${d.deletedBy}; ${d.reason}` +
          `${d.error ? ` (error: ${d.error})` : ''}`,
      );
    }
  }
  lines.push('', `Webex people (${status.webex.length}):`);
  for (const person of status.webex) {
    lines.push(
      `  event ${person.eventId}: ${person.email}, Webex id ${person.webexId}` +
        `${person.previousWebexIds.length ? ` (was ${person.previousWebexIds.join(', ')})` : ''}, updated ${shown(person.updatedAt)}`,
    );
  }
  return lines.join('\n');
}

/** An ISO time as printed, or a dash for "never". */
function shown(iso: IsoTime | undefined): string {
  return iso ?? '-';
}
