/**
 * `venue-sync doctor`'s lead-outcome rows (docs/lead-outcomes.md): is the venue's Tripleseat webhook
 * secret there; do the deliveries received so far read as venue-sync assumes (Tripleseat does not publish
 * the payload); and, where the venue's OAuth access and `tripleseatSiteId` allow, is an endpoint
 * registered at Tripleseat and delivering (its `failed_count`, whether Tripleseat disabled it).
 * Read-only. The decisions are pure (payloadRow, endpointRow); the I/O stays in checkLeadOutcomes.
 */
import type { VenueConfig } from '../shared/config/app-config';
import { LeadIndex } from '../shared/reconciliation/lead-index';
import type { Credentials } from '../shared/runtime/credentials';
import { TripleseatLeadReader, type TripleseatWebhookEndpoint } from '../shared/tripleseat/webhook/rest';
import type { OpsContext } from './context';
import type { CheckRow } from './doctor';

/** The write-back roles only lead outcomes fill: a venue naming one expects deliveries. */
const OUTCOME_ROLES = ['outcome', 'eventDate', 'lostReason', 'bookingLink', 'outcomeUpdatedAt'] as const;

/** Whether the venue's config asks for lead outcomes on the contact (then a gap fails instead of warns). */
export function wantsLeadOutcomes(venue: Pick<VenueConfig, 'writeBack'>): boolean {
  return OUTCOME_ROLES.some((role) => Boolean(venue.writeBack?.[role]));
}

/** The row for the webhook signing secret. */
export function webhookSecretRow(venue: VenueConfig, present: boolean): CheckRow {
  const check = `tripleseat ${venue.id} webhook secret`;
  if (present) return { check, status: 'pass', detail: 'tripleseatWebhookSecret present' };
  return {
    check,
    status: wantsLeadOutcomes(venue) ? 'fail' : 'warn',
    detail:
      "missing: the venue's receiver refuses every delivery (401), so no lead outcome reaches HubSpot" +
      (wantsLeadOutcomes(venue) ? ' although writeBack names outcome properties' : ''),
    next:
      `copy the endpoint's signing secret (Tripleseat > Settings > Webhooks) into tripleseatWebhookSecret of ` +
      `'${venue.secretName}' (TRIPLESEAT_WEBHOOK_SECRET locally); docs/runbook.md "Tripleseat webhooks"`,
  };
}

/**
 * The row saying which way Tripleseat's payload turned out: the receiver keeps every signed delivery it
 * cannot read, so kept ones mean the assumed fields are wrong; outcomes stored and none kept mean the
 * deliveries so far read as assumed.
 */
export function payloadRow(
  venue: VenueConfig,
  seen: { leadsWithOutcome: number; kept: ReadonlyArray<{ reason: string; detail: string }> },
): CheckRow {
  const check = `tripleseat ${venue.id} webhook payload`;
  if (seen.kept.length > 0) {
    const why = [...new Set(seen.kept.map((kept) => `${kept.reason}: ${kept.detail}`))].slice(0, 3);
    return {
      check,
      status: 'fail',
      detail: `${seen.kept.length} signed deliveries did not read as assumed (${why.join('; ')})`,
      next:
        'fix shared/tripleseat/webhook/payload.ts to the payload Tripleseat sends, deploy, then ' +
        `'venue-sync replay ${venue.id} --deliveries' (docs/runbook.md, "Kept Tripleseat deliveries")`,
    };
  }
  if (seen.leadsWithOutcome === 0) {
    return {
      check,
      status: 'skip',
      detail: 'no delivery applied yet, so the assumed payload fields are not confirmed',
      next: 'after the first lead is converted or booked in Tripleseat, run doctor again',
    };
  }
  return {
    check,
    status: 'pass',
    detail: `deliveries read as assumed: ${seen.leadsWithOutcome} lead(s) with an outcome, none kept unread`,
  };
}

/**
 * The row for the site's registered endpoints. An endpoint counts when Tripleseat has not disabled it;
 * failures on it mean deliveries are being refused or failing at the receiver.
 */
export function endpointRow(venue: VenueConfig, endpoints: readonly TripleseatWebhookEndpoint[]): CheckRow {
  const check = `tripleseat ${venue.id} webhook endpoint`;
  const describe = (e: TripleseatWebhookEndpoint) =>
    `#${e.id} ${e.url ?? '(no url)'} failed_count ${e.failed_count ?? 0}` +
    (e.disabled_at ? ` disabled at ${e.disabled_at}` : '');
  const receiverUrl = `the stack output ${outputIdOf(venue.id)}TripleseatWebhookUrl`;
  if (endpoints.length === 0) {
    return {
      check,
      status: wantsLeadOutcomes(venue) ? 'fail' : 'warn',
      detail: `site ${venue.tripleseatSiteId}: no webhook endpoint registered; only the nightly reconcile updates outcomes`,
      next: `in Tripleseat > Settings > Webhooks add an endpoint at ${receiverUrl} with the lead and event triggers (docs/lead-outcomes.md)`,
    };
  }
  const active = endpoints.filter((e) => !e.disabled_at);
  if (active.length === 0) {
    return {
      check,
      status: 'fail',
      detail: `Tripleseat disabled every endpoint: ${endpoints.map(describe).join('; ')}`,
      next:
        "fix what failed (the receiver's log group and alarms), re-enable the endpoint in Tripleseat > Settings > " +
        'Webhooks; the nightly reconcile catches up what was missed',
    };
  }
  const failing = active.filter((e) => (e.failed_count ?? 0) > 0);
  if (failing.length > 0) {
    return {
      check,
      status: 'warn',
      detail: `deliveries failing: ${failing.map(describe).join('; ')}`,
      next:
        `check that the endpoint URL is ${receiverUrl} and the signing secret equals tripleseatWebhookSecret ` +
        "(a 401 in the receiver's log); then watch failed_count stop growing",
    };
  }
  return { check, status: 'pass', detail: active.map(describe).join('; ') };
}

/** Every lead-outcome row for one Tripleseat venue (none for a venue on another platform). */
export async function checkLeadOutcomes(
  ctx: OpsContext,
  venue: VenueConfig,
  credentials: Credentials,
): Promise<CheckRow[]> {
  if (venue.destination?.type === 'http') return [];
  const rows = [webhookSecretRow(venue, Boolean(credentials.tripleseatWebhookSecret))];
  if (ctx.hasTable) {
    const { client, tableName } = ctx.dynamo;
    const index = new LeadIndex({ client, tableName, now: ctx.now });
    const [outcomes, kept] = await Promise.all([
      index.listOutcomes(venue.id),
      index.listUnreadableDeliveries(venue.id),
    ]);
    rows.push(payloadRow(venue, { leadsWithOutcome: outcomes.length, kept }));
  }
  const check = `tripleseat ${venue.id} webhook endpoint`;
  if (!venue.tripleseatSiteId) {
    rows.push({
      check,
      status: 'skip',
      detail: 'no tripleseatSiteId in the config, so the registered endpoint cannot be read',
      next: `add tripleseatSiteId (Tripleseat > Settings > Sites) to '${venue.id}' in bin/venues.ts`,
    });
    return rows;
  }
  const tokens = ctx.tripleseatTokens(venue, credentials);
  if (!tokens) {
    rows.push({
      check,
      status: 'skip',
      detail: 'no Tripleseat OAuth access: the endpoint list needs it',
      next: 'check the endpoint by hand in Tripleseat > Settings > Webhooks (failed count, disabled)',
    });
    return rows;
  }
  try {
    const reader = new TripleseatLeadReader({
      baseUrl: ctx.env.TRIPLESEAT_BASE_URI,
      tokens,
      caller: ctx.caller,
    });
    rows.push(endpointRow(venue, await reader.webhookEndpoints(venue.tripleseatSiteId)));
  } catch (error) {
    rows.push({
      check,
      status: 'warn',
      detail: `could not read the endpoints: ${error instanceof Error ? error.message : String(error)}`,
      next: 'check tripleseatSiteId and that the OAuth application may read webhook endpoints',
    });
  }
  return rows;
}

/** `venue-a` -> `VenueA`, as the stack names the venue's outputs. */
function outputIdOf(venueId: string): string {
  return venueId
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
