/**
 * `venue-sync run <venue>`: with `--dry-run`, the read-only plan of the next tick (planVenue); without,
 * the real venue poller handler invoked once in this process, exactly as a schedule tick would.
 */
import { randomUUID } from 'node:crypto';
import { createHandler } from '../lambdas/venue-poller/handler';
import type { Observability } from '../shared/runtime/observability';
import type { PollReport } from '../shared/sync/poll-venue';
import { planVenue, type VenuePlan } from '../shared/sync/plan-venue';
import { OpsContext, OpsError, type CredentialsFound } from './context';
import { destinationBodies, renderDestinationBodies, type DestinationBodies } from './destination-check';
import { formatTime, renderTable } from './io';

export async function planRun(
  ctx: OpsContext,
  venueId: string,
  onProgress?: (done: number, total: number) => void,
): Promise<VenuePlan & DestinationBodies> {
  const venue = ctx.venue(venueId);
  // A dry run only reads; credentials that name no venue may read, another venue's may not.
  const found = await ctx.credentials(venue, 'read');
  const hubspot = ctx.hubspotContacts(OpsContext.hubspotToken(found));
  const plan = await planVenue({
    venue,
    hubspot,
    store: ctx.store,
    now: ctx.now,
    // The same rule the poller follows: an HTTP destination looks up when its config has a lookup; a
    // Tripleseat venue when it has a static OAuth token or an OAuth 2.0 client.
    hasOauth:
      venue.destination?.type === 'http'
        ? venue.destination.lookup !== undefined
        : Boolean(
            found.credentials.tripleseatOauthToken ||
            (found.credentials.tripleseatClientId && found.credentials.tripleseatClientSecret),
          ),
    ...(venue.destination?.type === 'http' ? { destinationName: venue.destination.name } : {}),
    otherVenueFlagLabels: ctx.config.venues
      .filter((other) => other.id !== venue.id)
      .map((other) => other.syncFlagLabel),
    options: { ...(onProgress ? { onProgress } : {}) },
  });
  return { ...plan, ...destinationBodies(venue, plan) };
}

/**
 * The poller's environment (docs/design.md section 3) for one venue, from the config and the CLI's settings.
 * The credentials are `found`, the ones `ctx.credentials(venue, 'write')` checked belong to this venue:
 * the secret they came from, or their values; never whatever else the environment holds.
 */
export function pollerEnvFor(
  ctx: OpsContext,
  venueId: string,
  found: CredentialsFound,
): Record<string, string> {
  const venue = ctx.venue(venueId);
  const env = ctx.env;
  if (!env.TABLE_NAME)
    throw new OpsError('run needs the reconciliation table: set TABLE_NAME (or --table-name)');
  if (found.owner?.venueId !== venue.id)
    throw new OpsError(`run '${venue.id}' needs credentials checked to be that venue's (ctx.credentials)`);
  const secretArn = found.source === 'secret' ? found.secretId : undefined;
  const defined = (entries: Record<string, string | number | undefined>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(entries)
        .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
        .map(([name, value]) => [name, String(value)]),
    );
  return defined({
    VENUE_ID: venue.id,
    SYNC_FLAG_LABEL: venue.syncFlagLabel,
    OTHER_VENUE_FLAG_LABELS: JSON.stringify(
      ctx.config.venues.filter((other) => other.id !== venue.id).map((other) => other.syncFlagLabel),
    ),
    FIELD_MAP: JSON.stringify(venue.fieldMap),
    WRITEBACK_MAP: venue.writeBack ? JSON.stringify(venue.writeBack) : undefined,
    TRIPLESEAT_LEAD_FORM_ID: venue.tripleseatLeadFormId,
    TRIPLESEAT_LOCATION_ID: venue.tripleseatLocationId,
    DESTINATION: venue.destination ? JSON.stringify(venue.destination) : undefined,
    TRIPLESEAT_BASE_URI: env.TRIPLESEAT_BASE_URI,
    TABLE_NAME: env.TABLE_NAME,
    HUBSPOT_BASE_URL: env.HUBSPOT_BASE_URL,
    HUBSPOT_TEN_SECOND_LIMIT: env.HUBSPOT_TEN_SECOND_LIMIT,
    HUBSPOT_DAILY_LIMIT: env.HUBSPOT_DAILY_LIMIT,
    HUBSPOT_PORTAL_KEY: env.HUBSPOT_PORTAL_KEY,
    AWS_ENDPOINT_URL_DYNAMODB: env.AWS_ENDPOINT_URL_DYNAMODB,
    AWS_REGION: env.AWS_REGION,
    VENUE_SYNC_TIME_SCALE: env.VENUE_SYNC_TIME_SCALE,
    ...(secretArn ? { SECRET_ARN: secretArn } : credentialVariables(found)),
  });
}

/**
 * The checked credentials as the handler's variables: each key of the secret payload is its variable
 * in upper snake case (hubspotToken -> HUBSPOT_TOKEN, tripleseatClientId -> TRIPLESEAT_CLIENT_ID).
 */
function credentialVariables(found: CredentialsFound): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(found.credentials).map(([key, value]) => [
      key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase(),
      typeof value === 'string' ? value : undefined,
    ]),
  );
}

/** One real tick of the venue's poller, in this process (the handler as deployed, not a copy). */
export async function runOnce(
  ctx: OpsContext,
  venueId: string,
  /** The secret (SECRET_ARN, or the venue's own with --config-secrets) is the context's choice. */
  options: { observability: Observability; timeoutMs: number },
): Promise<PollReport> {
  // Refuses another venue's credentials (or unnamed ones) before the handler calls any vendor.
  const found = await ctx.credentials(ctx.venue(venueId), 'write');
  const handler = createHandler(pollerEnvFor(ctx, venueId, found), {
    observability: options.observability,
    now: ctx.now,
  });
  const deadline = Date.now() + options.timeoutMs;
  return handler(
    {},
    { awsRequestId: `cli-${randomUUID()}`, getRemainingTimeInMillis: () => deadline - Date.now() },
  );
}

export function renderPlan(plan: VenuePlan & DestinationBodies): string {
  const lines = [`Dry run for venue '${plan.venueId}': nothing was written.`];
  lines.push(`  flagged in HubSpot: ${plan.backlog}`);
  if (plan.leaseHeldUntil !== undefined) {
    lines.push(`  a run holds the lease until ${formatTime(plan.leaseHeldUntil)}; the next tick may skip`);
  }
  lines.push('', `Leads to create (${plan.leadsToCreate.length}):`);
  if (plan.leadsToCreate.length > 0) {
    lines.push(
      indent(
        renderTable(
          ['contact', 'flag set at', 'attempt', 'fields sent'],
          plan.leadsToCreate.map((lead) => [
            lead.contactId,
            lead.flagSetAt,
            `${lead.attempt}${lead.lookupFirst ? ' (OAuth lookup first)' : ''}`,
            lead.fields.join(', '),
          ]),
        ),
      ),
    );
  }
  lines.push(...renderDestinationBodies(plan));
  lines.push('', `Rejections (${plan.rejections.length}):`);
  for (const rejection of plan.rejections) {
    lines.push(`  ${rejection.contactId}: ${rejection.reason}`);
  }
  lines.push('', `Already decided by an earlier run (${plan.alreadyDecided.length}):`);
  for (const decided of plan.alreadyDecided) {
    const what =
      decided.action === 'finish'
        ? 'clear the flag and write back'
        : decided.action === 'leave'
          ? 'another run is working on it; left alone'
          : 'attempts exhausted; quarantined';
    lines.push(
      `  ${decided.contactId}: ${decided.state}${decided.leadId ? ` (lead ${decided.leadId})` : ''}; ${what}`,
    );
  }
  lines.push(
    '',
    `Flags to clear (${plan.flagsToClear.length})${plan.writesBackStatus ? ', with status:' : ':'}`,
  );
  for (const clear of plan.flagsToClear) {
    lines.push(`  ${clear.contactId}${plan.writesBackStatus ? `: "${clear.statusText}"` : ''}`);
  }
  if (plan.staleSearchHits.length > 0) {
    lines.push(
      '',
      `Search still lists ${plan.staleSearchHits.length} contact(s) whose flag is already cleared (index lag): ` +
        plan.staleSearchHits.join(', '),
    );
  }
  return lines.join('\n');
}

export function renderPollReport(report: PollReport): string {
  const lines = [
    `Ran venue '${report.venueId}' once: ${report.status}`,
    `  flagged ${report.flagged}, created ${report.created}, rejected ${report.rejected}, ` +
      `retried ${report.retried}, quarantined ${report.quarantined}, resumed ${report.resumed}, ` +
      `flags cleared ${report.flagsCleared}, backlog at start ${report.backlog}`,
  ];
  for (const rejection of report.rejections)
    lines.push(`  rejected ${rejection.contactId}: ${rejection.reason}`);
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
