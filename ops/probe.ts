/**
 * `venue-sync doctor --probe [venue]`: for every vendor assumption that public docs do not settle, what the
 * configured services actually do: confirmed, differs (and what was seen) or not checkable (and why), with
 * what to do. Read-only (one Tripleseat token refresh, stored before use like any refresh). The verdicts
 * are pure functions in ops/probe/classify.ts; the reads are in ops/probe/observe.ts; this file only walks
 * the venues and collects rows. docs/vendor-assumptions.md lists each assumption and its source.
 */
import type { AppConfig, VenueConfig } from '../shared/config/app-config';
import { ApiError } from '../shared/rate-limit/errors';
import { CredentialsError } from '../shared/runtime/credentials';
import {
  credentialBindingProblem,
  CredentialBindingError,
  OpsError,
  type CredentialsFound,
  type OpsContext,
} from './context';
import { renderTable } from './io';
import {
  classifyCreatedAt,
  classifyFlagType,
  classifyHistoryOrder,
  classifyRateLimitTier,
  classifyRefresh,
  classifyTokenLifetime,
  classifyWebexConnection,
  classifyWebexFields,
  classifyWebexTotalCount,
  classifyWebhookUrl,
  type AssumptionResult,
  type AssumptionVendor,
} from './probe/classify';
import { observeHubSpot, observeTripleseat, observeWebex } from './probe/observe';

export type { AssumptionResult, Verdict } from './probe/classify';

export interface ProbeReport {
  /** When the probe ran (ISO 8601). */
  probedAt: string;
  venueId?: string;
  results: AssumptionResult[];
  /** False when some assumption differs in a way the product does not absorb (the command exits 1). */
  ok: boolean;
}

export interface ProbeOptions {
  venueId?: string;
  /** The webhook target URL (the stack output HubSpotWebhookUrl), when known. */
  webhookUrl?: string;
}

/** What each assumption expects, by id (docs/vendor-assumptions.md uses the same ids). */
const EXPECTED: Record<string, { vendor: AssumptionVendor; expected: string }> = {
  'webex.fields': { vendor: 'webex', expected: 'the schema has every mapped attendee field' },
  'webex.attendees-list': { vendor: 'webex', expected: 'attendeesConnection has nodes' },
  'webex.events-list': { vendor: 'webex', expected: 'eventsConnection has nodes' },
  'webex.total-count': { vendor: 'webex', expected: 'connections have totalCount' },
  'hubspot.flag-type': {
    vendor: 'hubspot',
    expected: "the flag is type 'bool', fieldType 'booleancheckbox'",
  },
  'hubspot.history-order': { vendor: 'hubspot', expected: 'propertiesWithHistory is newest first (as v1)' },
  'hubspot.rate-limit-tier': {
    vendor: 'hubspot',
    expected: 'X-HubSpot-RateLimit-Max = hubspotTenSecondLimit',
  },
  'tripleseat.refresh': { vendor: 'tripleseat', expected: 'the refresh_token grant works' },
  'tripleseat.token-lifetime': { vendor: 'tripleseat', expected: 'access tokens live 7200 s' },
  'tripleseat.created-at': { vendor: 'tripleseat', expected: 'created_at is an instant (Z or offset)' },
  'webhook.target-url': { vendor: 'webhook', expected: 'an https Lambda Function URL' },
};

type Judged = Pick<AssumptionResult, 'verdict' | 'seen' | 'action' | 'needsAction'>;

export async function runProbe(
  ctx: OpsContext,
  options: ProbeOptions,
  now: () => number = ctx.now,
): Promise<ProbeReport> {
  const config = ctx.config;
  const results: AssumptionResult[] = [];
  const add = (assumption: string, judged: Judged, venueId?: string) => {
    const known = EXPECTED[assumption];
    if (!known) throw new Error(`unknown assumption id ${assumption}`);
    results.push({ ...known, assumption, ...(venueId ? { venueId } : {}), ...judged });
  };
  const venues = options.venueId ? [ctx.venue(options.venueId)] : config.venues;
  if (options.venueId) {
    // Another venue's credentials: refuse before any vendor is asked anything (as doctor does).
    const problem = credentialBindingProblem(
      options.venueId,
      await ctx.resolveCredentials(venues[0] as VenueConfig),
      'read',
      config,
    );
    if (problem) throw new CredentialBindingError(problem);
  }
  const probedTokens = new Set<string>();
  for (const venue of venues) await probeVenue(ctx, venue, options, add, probedTokens);
  if (!options.venueId) await probeWebex(ctx, config, add);
  add('webhook.target-url', classifyWebhookUrl(options.webhookUrl, Boolean(config.webhookSecretName)));
  return {
    probedAt: new Date(now()).toISOString(),
    ...(options.venueId ? { venueId: options.venueId } : {}),
    results,
    ok: results.every((result) => !result.needsAction),
  };
}

type Add = (assumption: string, judged: Judged, venueId?: string) => void;

async function probeVenue(
  ctx: OpsContext,
  venue: VenueConfig,
  options: ProbeOptions,
  add: Add,
  probedTokens: Set<string>,
): Promise<void> {
  let found: CredentialsFound;
  try {
    found = await ctx.resolveCredentials(venue);
  } catch (error) {
    const why = `no credentials: ${errorText(error)}`;
    for (const id of ['hubspot.flag-type', 'hubspot.history-order', 'tripleseat.refresh']) {
      add(id, notCheckable(why, "fix the venue's secret (see plain 'venue-sync doctor')"), venue.id);
    }
    return;
  }
  await probeHubSpot(ctx, venue, found, add, probedTokens);
  // Tripleseat credentials belong to one venue: probe them only when they are this venue's (doctor's rule).
  const own = found.owner?.venueId === venue.id || options.venueId !== undefined;
  if (!own) {
    const why = found.owner
      ? `the credentials belong to venue '${found.owner.venueId}'`
      : 'the credentials name no venue, and Tripleseat credentials belong to one';
    add(
      'tripleseat.refresh',
      notCheckable(why, `run 'venue-sync doctor --probe ${venue.id}' with its credentials`),
      venue.id,
    );
    return;
  }
  await probeTripleseat(ctx, venue, found, add);
}

async function probeHubSpot(
  ctx: OpsContext,
  venue: VenueConfig,
  found: CredentialsFound,
  add: Add,
  probedTokens: Set<string>,
): Promise<void> {
  const token = found.credentials.hubspotToken;
  if (!token) {
    const why = 'no HubSpot token given';
    add('hubspot.flag-type', notCheckable(why, 'set HUBSPOT_TOKEN or fill hubspotToken'), venue.id);
    add('hubspot.history-order', notCheckable(why), venue.id);
    return;
  }
  let observation;
  try {
    const contacts = ctx.hubspotContacts(token);
    observation = await observeHubSpot(
      ctx.hubspotApis(token),
      ctx.caller,
      venue,
      await contacts.listProperties(),
      async (flagProperty) => (await contacts.searchFlagged(flagProperty, '0', 1)).ids,
    );
  } catch (error) {
    const why = `HubSpot did not answer: ${errorText(error)}`;
    const action = "fix what plain 'venue-sync doctor' reports, then probe again";
    add('hubspot.flag-type', notCheckable(why, action), venue.id);
    add('hubspot.history-order', notCheckable(why, action), venue.id);
    if (!probedTokens.has(token)) add('hubspot.rate-limit-tier', notCheckable(why, action));
    probedTokens.add(token);
    return;
  }
  add('hubspot.flag-type', classifyFlagType(venue.syncFlagLabel, observation.flagProperty), venue.id);
  add('hubspot.history-order', classifyHistoryOrder(observation.history, observation.historyWhy), venue.id);
  // The tier belongs to the app (token), not the venue: once per token.
  if (!probedTokens.has(token)) {
    probedTokens.add(token);
    add(
      'hubspot.rate-limit-tier',
      classifyRateLimitTier(observation.headers, ctx.config.hubspotTenSecondLimit),
    );
  }
}

async function probeTripleseat(
  ctx: OpsContext,
  venue: VenueConfig,
  found: CredentialsFound,
  add: Add,
): Promise<void> {
  try {
    const { probe, lifetimeSeconds } = await observeTripleseat(ctx, venue, found.credentials);
    add('tripleseat.refresh', classifyRefresh(probe.refresh), venue.id);
    add(
      'tripleseat.token-lifetime',
      classifyTokenLifetime(
        lifetimeSeconds,
        probe.refresh.status === 'ok'
          ? 'the stored pair could not be read'
          : 'no token was issued (see the refresh row)',
      ),
      venue.id,
    );
    add(
      'tripleseat.created-at',
      classifyCreatedAt(probe.createdAtFormat, { leadId: probe.newestLeadId, leadsError: probe.leadsError }),
      venue.id,
    );
  } catch (error) {
    const why = errorText(error);
    for (const id of ['tripleseat.refresh', 'tripleseat.created-at']) {
      add(id, notCheckable(why, 'check TRIPLESEAT_BASE_URI, TABLE_NAME and the network'), venue.id);
    }
  }
}

async function probeWebex(ctx: OpsContext, config: AppConfig, add: Add): Promise<void> {
  const webex = config.webex;
  const ids = ['webex.fields', 'webex.attendees-list', 'webex.events-list', 'webex.total-count'];
  if (!webex) {
    for (const id of ids) add(id, notCheckable('the config has no Webex sync'));
    return;
  }
  let token: string | undefined;
  try {
    token = (await ctx.credentials(undefined, 'read')).credentials.webexToken;
  } catch (error) {
    for (const id of ids) add(id, notCheckable(`no Webex credentials: ${errorText(error)}`));
    return;
  }
  if (!token) {
    for (const id of ids)
      add(
        id,
        notCheckable('no Webex token given', `set WEBEX_TOKEN or fill webexToken in '${webex.secretName}'`),
      );
    return;
  }
  try {
    const seen = await observeWebex(ctx.webex(token), webex.fieldMap);
    add('webex.fields', classifyWebexFields(seen.needed, seen.missing));
    add('webex.attendees-list', classifyWebexConnection('attendeesConnection', seen.attendees.list));
    add('webex.events-list', classifyWebexConnection('eventsConnection', seen.events.list));
    add('webex.total-count', classifyWebexTotalCount('attendeesConnection', seen.attendees.totalCount));
  } catch (error) {
    for (const id of ids)
      add(id, notCheckable(`Webex did not answer: ${errorText(error)}`, 'check the token and WEBEX_API_URL'));
  }
}

function notCheckable(why: string, action = 'nothing'): Judged {
  return { verdict: 'not-checkable', seen: why, action, needsAction: false };
}

function errorText(error: unknown): string {
  if (error instanceof ApiError || error instanceof CredentialsError || error instanceof OpsError)
    return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const VERDICT_TEXT: Record<AssumptionResult['verdict'], string> = {
  confirmed: 'CONFIRMED',
  differs: 'DIFFERS',
  'not-checkable': 'NOT CHECKABLE',
};

export function renderProbe(report: ProbeReport): string {
  const table = renderTable(
    ['ASSUMPTION', 'VENUE', 'VERDICT', 'SEEN'],
    report.results.map((result) => [
      result.assumption,
      result.venueId ?? '-',
      VERDICT_TEXT[result.verdict],
      result.seen,
    ]),
  );
  const steps = report.results.filter(
    (result) => result.verdict !== 'confirmed' && result.action !== 'nothing',
  );
  const lines = [`Vendor probe at ${report.probedAt}`, '', table];
  if (steps.length > 0) {
    lines.push('', 'What to do:');
    for (const result of steps) {
      const where = result.venueId ? ` ${result.venueId}` : '';
      lines.push(
        `  - ${result.assumption}${where} (${result.verdict}${result.needsAction ? ', action needed' : ''}): ${result.action}`,
      );
    }
  }
  lines.push(
    '',
    report.ok ? 'The product copes with everything seen.' : 'Some differences need action (see above).',
  );
  return lines.join('\n');
}
