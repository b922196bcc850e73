/**
 * `venue-sync dedupe <venue>`: finds duplicate leads in the venue's Tripleseat (a duplicate can come from
 * an earlier integration, or from a person re-entering an enquiry by hand) through the OAuth lead search, and deletes them only on `--apply`.
 *
 * A duplicate is a lead nobody asked for twice. The venue's ledger is the authority on what was asked:
 * every lead it records as the lead of a request (`leadId`) is a real enquiry, even when the same contact
 * was ticked again an hour later on purpose. So only leads no ledger entry claims can be proposed: among
 * one email's leads created within `windowHours` of the group's first, the ledger's leads are kept (or,
 * when it claims none, the oldest), and the unclaimed rest are the extras. A contact with a request still
 * in flight (claimed or quarantined without a lead id) may own a lead the ledger does not know yet, so its
 * email is skipped. Every deletion is recorded in the table (who, when, why) for `status contact`.
 */
import { createHash } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { LedgerEntry } from '../shared/reconciliation';
import type { DedupeRecordInput, OpsRecords } from '../shared/reconciliation/ops-records';
import type { ExistingLead } from '../shared/sync/ports';
import type { TripleseatClient } from '../shared/tripleseat/client';
import { OpsContext, OpsError, type CredentialUse } from './context';
import type { HubSpotAdmin } from './hubspot-admin';
import { isoTime } from './io';

export interface LeadRef {
  id: string;
  /** ISO 8601, when Tripleseat's text carries a zone. */
  createdAt?: string;
  /** Tripleseat's text when it has no zone (a local time of an unknown zone). */
  createdAtLocal?: string;
}

export interface DuplicateGroup {
  email: string;
  /** The lead the extras duplicate: the ledger's first lead, or the oldest when the ledger has none. */
  keep: LeadRef;
  /** Other leads in the window that the ledger records as requests: real enquiries, kept. */
  claimed: LeadRef[];
  /** Leads no ledger entry claims: the only ones ever proposed for deletion. */
  extras: LeadRef[];
}

export interface DedupeReport {
  venueId: string;
  windowHours: number;
  emailsChecked: number;
  groups: DuplicateGroup[];
  /** Leads kept only because the ledger records them as the lead of a distinct request. */
  keptForLedger: number;
  /** Emails not judged, with why (a request in flight may own a lead the ledger does not know yet). */
  skipped: Array<{ email: string; reason: string }>;
  applied: boolean;
  deleted: string[];
  failed: Array<{ id: string; error: string }>;
  /** Where each deletion is recorded (empty when nothing was deleted). */
  recorded: Array<{ leadId: string; contactId?: string; at: string }>;
}

/** Which lead ids the venue's ledger claims, and what it knows about each email. */
export interface LedgerView {
  claimedLeadIds: ReadonlySet<string>;
  /** Emails of contacts whose requests produced a lead (the default emails to check). */
  emails: string[];
  contactIdsByEmail: ReadonlyMap<string, string[]>;
  /** Emails with a request that may have created a lead the ledger does not record yet. */
  unsettledEmails: ReadonlySet<string>;
}

/**
 * Groups one email's leads in windows anchored at each group's first lead; in each, the ledger's leads
 * are kept and only unclaimed ones become extras.
 */
export function findDuplicates(
  email: string,
  leads: readonly ExistingLead[],
  windowHours: number,
  claimedLeadIds: ReadonlySet<string> = new Set(),
): DuplicateGroup[] {
  const windowMs = windowHours * 3_600_000;
  const sorted = [...leads].sort(
    (a, b) => timeOf(a) - timeOf(b) || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id),
  );
  const windows: ExistingLead[][] = [];
  let anchorAt = 0;
  for (const lead of sorted) {
    const current = windows.at(-1);
    if (current && timeOf(lead) - anchorAt <= windowMs) current.push(lead);
    else {
      windows.push([lead]);
      anchorAt = timeOf(lead);
    }
  }
  const groups: DuplicateGroup[] = [];
  for (const window of windows) {
    const claimed = window.filter((lead) => claimedLeadIds.has(lead.id));
    const keep = claimed[0] ?? window[0];
    if (!keep) continue;
    groups.push({
      email,
      keep: leadRef(keep),
      claimed: claimed.filter((lead) => lead !== keep).map(leadRef),
      extras: window.filter((lead) => lead !== keep && !claimedLeadIds.has(lead.id)).map(leadRef),
    });
  }
  return groups.filter((group) => group.extras.length > 0 || group.claimed.length > 0);
}

function leadRef(lead: ExistingLead): LeadRef {
  const text = lead.createdAt?.trim();
  if (!text) return { id: lead.id };
  const at = hasZone(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? { id: lead.id, createdAtLocal: text } : { id: lead.id, createdAt: isoTime(at) };
}

function hasZone(text: string): boolean {
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
}

/** Sort key: zone-less local times are read as UTC; every lead of one account is read the same way. */
function timeOf(lead: ExistingLead): number {
  const text = lead.createdAt?.trim() ?? '';
  const at = Date.parse(hasZone(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(at) ? 0 : at;
}

/** The venue's ledger, read once: claimed lead ids, and the contacts' emails from HubSpot. */
export async function readLedgerView(
  ctx: OpsContext,
  venueId: string,
  admin: () => HubSpotAdmin,
): Promise<LedgerView> {
  const entries = await ctx.store.listLedger(venueId);
  const claimedLeadIds = new Set(entries.flatMap((entry) => (entry.leadId ? [entry.leadId] : [])));
  const withLead = entries.filter((entry) => entry.leadId !== undefined);
  const unsettled = entries.filter(mayOwnUnknownLead);
  const contactIds = [...withLead, ...unsettled].map((entry) => entry.contactId);
  const emailOf = new Map<string, string>();
  if (contactIds.length > 0) {
    for (const contact of await admin().readContacts(contactIds, ['email'])) {
      const email = normalizeEmail(contact.properties.email ?? '');
      if (email) emailOf.set(contact.id, email);
    }
  }
  const contactIdsByEmail = new Map<string, string[]>();
  for (const [contactId, email] of emailOf) {
    contactIdsByEmail.set(email, [...(contactIdsByEmail.get(email) ?? []), contactId]);
  }
  const emailsOf = (list: readonly LedgerEntry[]) =>
    uniqueEmails(list.map((entry) => emailOf.get(entry.contactId) ?? ''));
  return {
    claimedLeadIds,
    emails: emailsOf(withLead),
    contactIdsByEmail,
    unsettledEmails: new Set(emailsOf(unsettled)),
  };
}

/** A request that may have created a lead whose id the ledger has not recorded (lost create answer). */
function mayOwnUnknownLead(entry: LedgerEntry): boolean {
  return entry.leadId === undefined && (entry.state === 'CLAIMED' || entry.state === 'QUARANTINED');
}

/** One address per line (or separated by commas/whitespace); blank lines and `#` comments ignored. */
export function parseEmailList(text: string): string[] {
  return uniqueEmails(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, ''))
      .flatMap((line) => line.split(/[\s,;]+/)),
  );
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function uniqueEmails(emails: readonly string[]): string[] {
  return [...new Set(emails.map(normalizeEmail).filter((email) => email.includes('@')))];
}

/**
 * The venue's Tripleseat client with its OAuth token, from credentials checked to be this venue's
 * (`use` 'write' for --apply: credentials that name no venue are refused then).
 */
export async function tripleseatWithOauth(
  ctx: OpsContext,
  venueId: string,
  use: CredentialUse,
): Promise<{ client: TripleseatClient; admin: () => HubSpotAdmin; boundToVenue: boolean }> {
  const venue = ctx.venue(venueId);
  if (venue.destination?.type === 'http') {
    // An http destination is configured for creating and looking up leads only: nothing to list or delete.
    throw new OpsError(
      `venue '${venueId}' sends its leads to ${venue.destination.name}, not Tripleseat; dedupe lists and ` +
        `deletes through Tripleseat's lead API, which ${venue.destination.name} is not configured to offer. ` +
        `Look for duplicates in ${venue.destination.name} itself: the lead ids venue-sync recorded are in ` +
        "'venue-sync status contact <id>'",
    );
  }
  const found = await ctx.credentials(venue, use);
  const client = ctx.tripleseat(venue, found.credentials);
  if (!client?.hasOauth) {
    throw new OpsError(
      `dedupe searches and deletes leads through Tripleseat's REST API, which needs the venue's OAuth token ` +
        `(tripleseatOauthToken / TRIPLESEAT_OAUTH_TOKEN); the lead form public key cannot list leads`,
    );
  }
  return {
    client,
    admin: () => ctx.hubspotAdmin(OpsContext.hubspotToken(found)),
    boundToVenue: found.owner?.venueId === venueId,
  };
}

export async function findVenueDuplicates(
  client: TripleseatClient,
  venueId: string,
  emails: readonly string[],
  windowHours: number,
  ledger: Pick<LedgerView, 'claimedLeadIds' | 'unsettledEmails'>,
  onEmail?: () => void,
): Promise<DedupeReport> {
  const report: DedupeReport = {
    venueId,
    windowHours,
    emailsChecked: emails.length,
    groups: [],
    keptForLedger: 0,
    skipped: [],
    applied: false,
    deleted: [],
    failed: [],
    recorded: [],
  };
  for (const email of emails) {
    if (ledger.unsettledEmails.has(email)) {
      report.skipped.push({
        email,
        reason:
          'a request for this contact is claimed or quarantined without a lead id: its lead may exist ' +
          'unrecorded; replay or let the poller finish it, then run dedupe again',
      });
    } else {
      const groups = findDuplicates(
        email,
        await client.findLeadsByEmail(email),
        windowHours,
        ledger.claimedLeadIds,
      );
      report.keptForLedger += groups.reduce((sum, group) => sum + group.claimed.length, 0);
      report.groups.push(...groups.filter((group) => group.extras.length > 0));
    }
    onEmail?.();
  }
  return report;
}

export function extraCount(report: DedupeReport): number {
  return report.groups.reduce((sum, group) => sum + group.extras.length, 0);
}

/** Who ran the command, as far as this machine knows (recorded with every deletion). */
export function operatorName(): string {
  let user = process.env.USER ?? 'unknown user';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  return `${user}@${hostname()}`;
}

export interface ApplyOptions {
  records: OpsRecords;
  /** The contact of an email not in the ledger (HubSpot search); undefined when unknown. */
  contactIdOf: (email: string) => Promise<string | undefined>;
  deletedBy: string;
  now: () => number;
  onDelete?: () => void;
}

/**
 * Deletes the report's extras (only ever unclaimed leads), recording each in the table first as
 * `pending`, then `deleted` or `failed`, so no deletion goes unexplained even if this process dies.
 */
export async function deleteExtras(
  client: TripleseatClient,
  report: DedupeReport,
  options: ApplyOptions,
): Promise<DedupeReport> {
  const result: DedupeReport = { ...report, applied: true, deleted: [], failed: [], recorded: [] };
  for (const group of report.groups) {
    const contactId = await options.contactIdOf(group.email);
    for (const extra of group.extras) {
      const base: DedupeRecordInput = {
        venueId: report.venueId,
        leadId: extra.id,
        outcome: 'pending',
        emailHash: emailHash(group.email),
        ...(contactId ? { contactId } : {}),
        keptLeadId: group.keep.id,
        reason:
          `same email as lead ${group.keep.id} (kept), created within ${report.windowHours} h of it; ` +
          'no ledger entry claims it',
        deletedBy: options.deletedBy,
        at: options.now(),
      };
      await options.records.putDedupe(base);
      try {
        await client.deleteLead(extra.id);
        await options.records.putDedupe({ ...base, outcome: 'deleted', at: options.now() });
        result.deleted.push(extra.id);
        result.recorded.push({ leadId: extra.id, ...(contactId ? { contactId } : {}), at: isoTime(base.at) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await options.records.putDedupe({ ...base, outcome: 'failed', error: message, at: options.now() });
        result.failed.push({ id: extra.id, error: message });
      }
      options.onDelete?.();
    }
  }
  return result;
}

export function emailHash(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('hex');
}

export function renderDedupe(report: DedupeReport): string {
  const extras = extraCount(report);
  const lines = [
    `Venue '${report.venueId}': ${report.emailsChecked} email(s) checked, ${report.groups.length} duplicate group(s), ` +
      `${extras} extra lead(s) (same email within ${report.windowHours} h, claimed by no ledger entry)`,
  ];
  if (report.keptForLedger > 0) {
    lines.push(
      `  ${report.keptForLedger} more lead(s) share an email but are kept: the ledger records each as the lead ` +
        'of a separate request (the contact was ticked again)',
    );
  }
  const when = (lead: LeadRef) =>
    lead.createdAt ?? (lead.createdAtLocal ? `${lead.createdAtLocal} local` : '?');
  for (const group of report.groups) {
    lines.push(
      `  ${group.email}: keep ${group.keep.id} (${when(group.keep)})` +
        `${group.claimed.length ? `, ${group.claimed.map((lead) => lead.id).join(', ')} (ledger)` : ''}; extra ${group.extras
          .map((extra) => `${extra.id} (${when(extra)})`)
          .join(', ')}`,
    );
  }
  for (const skip of report.skipped) lines.push(`  skipped ${skip.email}: ${skip.reason}`);
  if (report.applied) {
    lines.push(`Deleted ${report.deleted.length}: ${report.deleted.join(', ') || '-'}`);
    for (const failure of report.failed) lines.push(`  could not delete ${failure.id}: ${failure.error}`);
    if (report.deleted.length > 0)
      lines.push("Each deletion is recorded in the table ('venue-sync status contact <id>' shows it).");
  } else if (extras > 0) lines.push('Nothing deleted. Run again with --apply to delete the extra leads.');
  return lines.join('\n');
}
