/**
 * `venue-sync dedupe <venue>`: finds duplicate leads in the venue's Tripleseat (the original project's
 * contamination left many) through the OAuth lead search: leads with the same email created within
 * `windowHours` of the first of their group are duplicates; the oldest is kept. Emails come from the
 * venue's ledger (the contacts venue-sync sent, read from HubSpot) or from a list. Deleting is a
 * separate, confirmed step (`--apply`).
 */
import type { ExistingLead } from '../shared/sync/ports';
import type { TripleseatClient } from '../shared/tripleseat/client';
import { OpsContext, OpsError } from './context';

export interface DuplicateGroup {
  email: string;
  keep: { id: string; createdAt?: string };
  extras: Array<{ id: string; createdAt?: string }>;
}

export interface DedupeReport {
  venueId: string;
  windowHours: number;
  emailsChecked: number;
  groups: DuplicateGroup[];
  applied: boolean;
  deleted: string[];
  failed: Array<{ id: string; error: string }>;
}

/** Groups one email's leads: each lead within the window of its group's oldest is a duplicate of it. */
export function findDuplicates(
  email: string,
  leads: readonly ExistingLead[],
  windowHours: number,
): DuplicateGroup[] {
  const windowMs = windowHours * 3_600_000;
  const sorted = [...leads].sort(
    (a, b) => timeOf(a) - timeOf(b) || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id),
  );
  const groups: DuplicateGroup[] = [];
  let current: DuplicateGroup | undefined;
  let keptAt = 0;
  for (const lead of sorted) {
    const at = timeOf(lead);
    const entry = { id: lead.id, ...(lead.createdAt ? { createdAt: lead.createdAt } : {}) };
    if (current && at - keptAt <= windowMs) current.extras.push(entry);
    else {
      current = { email, keep: entry, extras: [] };
      keptAt = at;
      groups.push(current);
    }
  }
  return groups.filter((group) => group.extras.length > 0);
}

function timeOf(lead: ExistingLead): number {
  const at = lead.createdAt ? Date.parse(lead.createdAt) : NaN;
  return Number.isNaN(at) ? 0 : at;
}

/** The emails of the contacts this venue's ledger sent to Tripleseat (read from HubSpot). */
export async function ledgerEmails(ctx: OpsContext, venueId: string): Promise<string[]> {
  const entries = await ctx.store.listLedger(venueId);
  const contactIds = entries
    .filter((entry) => entry.state === 'DONE' || entry.state === 'LEAD_CREATED')
    .map((entry) => entry.contactId);
  if (contactIds.length === 0) return [];
  const found = await ctx.credentials(ctx.venue(venueId));
  const contacts = await ctx.hubspotAdmin(OpsContext.hubspotToken(found)).readContacts(contactIds, ['email']);
  return uniqueEmails(contacts.map((contact) => contact.properties.email ?? ''));
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

function uniqueEmails(emails: readonly string[]): string[] {
  return [
    ...new Set(emails.map((email) => email.trim().toLowerCase()).filter((email) => email.includes('@'))),
  ];
}

export async function tripleseatWithOauth(ctx: OpsContext, venueId: string): Promise<TripleseatClient> {
  const venue = ctx.venue(venueId);
  const found = await ctx.credentials(venue);
  const client = ctx.tripleseat(venue, found.credentials);
  if (!client?.hasOauth) {
    throw new OpsError(
      `dedupe searches and deletes leads through Tripleseat's REST API, which needs the venue's OAuth token ` +
        `(tripleseatOauthToken / TRIPLESEAT_OAUTH_TOKEN); the lead form public key cannot list leads`,
    );
  }
  return client;
}

export async function findVenueDuplicates(
  client: TripleseatClient,
  venueId: string,
  emails: readonly string[],
  windowHours: number,
  onEmail?: () => void,
): Promise<DedupeReport> {
  const report: DedupeReport = {
    venueId,
    windowHours,
    emailsChecked: emails.length,
    groups: [],
    applied: false,
    deleted: [],
    failed: [],
  };
  for (const email of emails) {
    report.groups.push(...findDuplicates(email, await client.findLeadsByEmail(email), windowHours));
    onEmail?.();
  }
  return report;
}

export async function deleteExtras(
  client: TripleseatClient,
  report: DedupeReport,
  onDelete?: () => void,
): Promise<DedupeReport> {
  const result: DedupeReport = { ...report, applied: true, deleted: [], failed: [] };
  for (const extra of report.groups.flatMap((group) => group.extras)) {
    try {
      await client.deleteLead(extra.id);
      result.deleted.push(extra.id);
    } catch (error) {
      result.failed.push({ id: extra.id, error: error instanceof Error ? error.message : String(error) });
    }
    onDelete?.();
  }
  return result;
}

export function renderDedupe(report: DedupeReport): string {
  const extras = report.groups.reduce((sum, group) => sum + group.extras.length, 0);
  const lines = [
    `Venue '${report.venueId}': ${report.emailsChecked} email(s) checked, ${report.groups.length} duplicate group(s), ` +
      `${extras} extra lead(s) (same email within ${report.windowHours} h; the oldest is kept)`,
  ];
  for (const group of report.groups) {
    lines.push(
      `  ${group.email}: keep ${group.keep.id} (${group.keep.createdAt ?? '?'}); extra ${group.extras
        .map((extra) => `${extra.id} (${extra.createdAt ?? '?'})`)
        .join(', ')}`,
    );
  }
  if (report.applied) {
    lines.push(`Deleted ${report.deleted.length}: ${report.deleted.join(', ') || '-'}`);
    for (const failure of report.failed) lines.push(`  could not delete ${failure.id}: ${failure.error}`);
  } else if (extras > 0) lines.push('Nothing deleted. Run again with --apply to delete the extra leads.');
  return lines.join('\n');
}
