/**
 * `venue-sync doctor [venue]`: checks everything a poller needs before it runs, one row per check,
 * with the next step for every failing row. Read-only: it never creates a lead or writes to HubSpot.
 *
 * What cannot be checked: Tripleseat's lead form API (public key) has no read call, and
 * `validate_only=true` is only reported by one third-party client, not by Tripleseat's docs
 * (https://support.tripleseat.com/hc/en-us/articles/205161948); posting a lead is the only proof, and
 * that creates a real lead. So the public key is checked for presence only, and the row says how to
 * verify it by hand.
 *
 * `doctor --probe` (ops/probe.ts) is the other half: not "is it configured" but "does the vendor behave
 * as the product assumes".
 */
import {
  validateAppConfig,
  ConfigError,
  venueFieldLabels,
  type AppConfig,
  type VenueConfig,
} from '../shared/config/app-config';
import { ApiError, AuthError } from '../shared/rate-limit/errors';
import { CredentialsError } from '../shared/runtime/credentials';
import { matchLabels, matchVenueFlag, type LabelMatch } from '../shared/schema';
import { TRIPLESEAT_OAUTH_PROVIDER, TripleseatOAuthError } from '../shared/tripleseat/oauth';
import { mappedWebexFields, webexFieldReport } from '../shared/webex/field-report';
import {
  credentialBindingProblem,
  CredentialBindingError,
  OpsContext,
  OpsError,
  type CredentialsFound,
} from './context';
import { checkDestination } from './destination-check';
import { checkLeadOutcomes } from './lead-outcomes-check';
import { renderTable } from './io';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckRow {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a fail or warn. */
  next?: string;
}

export interface DoctorReport {
  venueId?: string;
  rows: CheckRow[];
  ok: boolean;
}

/** Scopes the poller and the Webex sync call with; `setup` also needs crm.schemas.contacts.write. */
export const REQUIRED_HUBSPOT_SCOPES = [
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
] as const;
export const SETUP_HUBSPOT_SCOPE = 'crm.schemas.contacts.write';

/** An address no lead can have: the OAuth search answers (empty) without touching real data. */
const PROBE_EMAIL = 'venue-sync-doctor@example.invalid';

export interface DoctorInput {
  configInput: unknown;
  venueId?: string;
  /** Builds the connection context once the config is known to be valid. */
  context: (config: AppConfig) => OpsContext;
  /** Deployed mode: each venue's credentials come from its configured secret. */
  secretsMode: boolean;
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const rows: CheckRow[] = [];
  const report: DoctorReport = { ...(input.venueId ? { venueId: input.venueId } : {}), rows, ok: true };
  let config: AppConfig;
  try {
    config = validateAppConfig(input.configInput);
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    rows.push({
      check: 'config',
      status: 'fail',
      detail: problems,
      next: 'fix bin/venues.ts (or the --config file); every problem is listed',
    });
    report.ok = false;
    return report;
  }
  const ctx = input.context(config);
  try {
    let venues: VenueConfig[];
    try {
      venues = input.venueId ? [ctx.venue(input.venueId)] : config.venues;
    } catch (error) {
      rows.push({ check: 'config', status: 'fail', detail: (error as Error).message });
      report.ok = false;
      return report;
    }
    rows.push({
      check: 'config',
      status: 'pass',
      detail:
        `${config.venues.length} venue(s): ${config.venues.map((v) => v.id).join(', ')}; ` +
        `Webex sync ${config.webex ? 'on' : 'off'}; webhook ${config.webhookSecretName ? 'on' : 'off'}`,
    });
    if (input.venueId) {
      // Another venue's credentials: refuse before any vendor is asked anything.
      const problem = credentialBindingProblem(
        input.venueId,
        await ctx.resolveCredentials(venues[0]),
        'read',
        config,
      );
      if (problem) throw new CredentialBindingError(problem);
    }
    await checkTable(ctx, rows);
    const checkedTokens = new Map<string, CheckRow>();
    for (const venue of venues) await checkVenue(ctx, venue, input, rows, checkedTokens);
    if (config.webex && !input.venueId) await checkWebex(ctx, config, rows);
  } finally {
    await ctx.close();
  }
  report.ok = rows.every((row) => row.status !== 'fail');
  return report;
}

async function checkTable(ctx: OpsContext, rows: CheckRow[]): Promise<void> {
  if (!ctx.hasTable) {
    rows.push({
      check: 'table',
      status: 'skip',
      detail: 'TABLE_NAME not given',
      next: 'pass --table-name (stack output TableName) to check the reconciliation table',
    });
    return;
  }
  try {
    await ctx.store.getLease('VENUE#__doctor__');
    rows.push({ check: 'table', status: 'pass', detail: `${ctx.env.TABLE_NAME} answers` });
  } catch (error) {
    rows.push({
      check: 'table',
      status: 'fail',
      detail: `${ctx.env.TABLE_NAME}: ${errorText(error)}`,
      next: 'check TABLE_NAME, the AWS region/credentials, or AWS_ENDPOINT_URL_DYNAMODB for a local table',
    });
  }
}

async function checkVenue(
  ctx: OpsContext,
  venue: VenueConfig,
  input: DoctorInput,
  rows: CheckRow[],
  checkedTokens: Map<string, CheckRow>,
): Promise<void> {
  let found: CredentialsFound;
  try {
    found = await ctx.resolveCredentials(venue);
  } catch (error) {
    rows.push({
      check: `secret ${venue.id}`,
      status: 'fail',
      detail: errorText(error),
      next: `create/fill the secret '${venue.secretName}' as JSON {hubspotToken, tripleseatPublicKey, tripleseatOauthToken?} (docs/runbook.md)`,
    });
    return;
  }
  if (found.owner && found.owner.venueId !== venue.id) {
    // Checking venue B with venue A's credentials proves nothing about B (and once passed wrongly).
    rows.push({
      check: `credentials ${venue.id}`,
      status: 'skip',
      detail: `the credentials belong to venue '${found.owner.venueId}' (${found.owner.how})`,
      next: `run 'venue-sync doctor ${venue.id}' with that venue's credentials (.sandbox/${venue.id}.env, --secret-arn) or use --config-secrets`,
    });
    return;
  }
  if (!found.owner && input.venueId) {
    rows.push({
      check: `credentials ${venue.id}`,
      status: 'warn',
      detail:
        "the credentials name no venue (no VENUE_ID): the checks below prove they work, not that they are this venue's",
      next: `set VENUE_ID=${venue.id} with this venue's credentials (.sandbox/${venue.id}.env does), or use --config-secrets`,
    });
  }
  if (found.source === 'secret') {
    const present = Object.entries(found.credentials)
      .filter(([, value]) => Boolean(value))
      .map(([key]) => key);
    const missing = ['hubspotToken', 'tripleseatPublicKey'].filter((key) => !present.includes(key));
    rows.push({
      check: `secret ${venue.id}`,
      status: missing.length > 0 ? 'fail' : 'pass',
      detail: `${found.secretId}: keys ${present.join(', ') || 'none'}${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
      ...(missing.length
        ? { next: `add ${missing.join(', ')} to the secret (docs/runbook.md, "Fill a secret")` }
        : {}),
    });
  }

  const token = found.credentials.hubspotToken;
  if (!token) {
    if (!checkedTokens.has('')) checkedTokens.set('', { check: 'hubspot token', status: 'fail', detail: '' });
    else return checkTripleseatIfOwn(ctx, venue, input, found, rows);
    rows.push({
      check: 'hubspot token',
      status: 'fail',
      detail: 'no HubSpot token given',
      next: 'set HUBSPOT_TOKEN / --hubspot-token, or --secret-arn, or fill hubspotToken in the secret',
    });
  } else {
    const known = checkedTokens.get(token);
    if (!known) {
      const row = await checkHubSpotToken(ctx, token);
      checkedTokens.set(token, row);
      rows.push(row);
    }
    if ((checkedTokens.get(token)?.status ?? 'fail') !== 'fail') await checkLabels(ctx, venue, token, rows);
  }

  await checkTripleseatIfOwn(ctx, venue, input, found, rows);
  // A venue on another platform: its destination's keys and a read-only lookup (ops/destination-check.ts).
  rows.push(...(await checkDestination(venue, found.credentials, process.env['DESTINATION_BASE_URL'])));
}

async function checkTripleseatIfOwn(
  ctx: OpsContext,
  venue: VenueConfig,
  input: DoctorInput,
  found: CredentialsFound,
  rows: CheckRow[],
): Promise<void> {
  // A venue on another platform has no Tripleseat account: checkDestination covers it.
  if (venue.destination?.type === 'http') return;
  // Tripleseat credentials are per venue: check them only when they are known to be this venue's, or
  // when this venue alone was named (then the row above warns that nothing says whose they are).
  const venueCredentials = found.owner?.venueId === venue.id || input.venueId !== undefined;
  if (!venueCredentials) {
    rows.push({
      check: `tripleseat ${venue.id}`,
      status: 'skip',
      detail: 'the credentials name no venue, and Tripleseat credentials belong to one',
      next: `run 'venue-sync doctor ${venue.id}' with that venue's credentials (.sandbox/${venue.id}.env), or use --config-secrets`,
    });
    return;
  }
  await checkTripleseat(ctx, venue, found, rows);
  // Lead outcomes back from Tripleseat: the webhook secret and the registered endpoint (ops/lead-outcomes-check.ts).
  rows.push(...(await checkLeadOutcomes(ctx, venue, found.credentials)));
}

async function checkHubSpotToken(ctx: OpsContext, token: string): Promise<CheckRow> {
  try {
    const info = await ctx.hubspotAdmin(token).tokenInfo();
    const missing = REQUIRED_HUBSPOT_SCOPES.filter((scope) => !info.scopes.includes(scope));
    const where = `portal ${info.hubId ?? '?'}, app ${info.appId ?? '?'}`;
    if (missing.length > 0) {
      return {
        check: 'hubspot token',
        status: 'fail',
        detail: `${where}; missing scopes: ${missing.join(', ')}`,
        next: 'HubSpot > Settings > Integrations > Private apps > the app > Scopes: add them, then update the secret with the new token',
      };
    }
    if (!info.scopes.includes(SETUP_HUBSPOT_SCOPE)) {
      return {
        check: 'hubspot token',
        status: 'warn',
        detail: `${where}; scopes OK for syncing; no ${SETUP_HUBSPOT_SCOPE}`,
        next: `'venue-sync setup' needs ${SETUP_HUBSPOT_SCOPE} (or create the properties by hand)`,
      };
    }
    return {
      check: 'hubspot token',
      status: 'pass',
      detail: `${where}; ${info.scopes.length} scopes incl. the required ones`,
    };
  } catch (error) {
    return {
      check: 'hubspot token',
      status: 'fail',
      detail: errorText(error),
      next:
        error instanceof AuthError
          ? 'the token is wrong or revoked: copy the private app access token again (HubSpot > Private apps) into the secret'
          : 'check HUBSPOT_BASE_URL and the network',
    };
  }
}

export interface LabelCheck {
  role: string;
  label: string;
  result: 'exact' | 'by-name' | 'fuzzy' | 'problem';
  resolvedTo?: { label: string; name: string; score: number };
  message?: string;
}

async function checkLabels(
  ctx: OpsContext,
  venue: VenueConfig,
  token: string,
  rows: CheckRow[],
): Promise<void> {
  let properties;
  try {
    properties = await ctx.hubspotContacts(token).listProperties();
  } catch (error) {
    rows.push({ check: `labels ${venue.id}`, status: 'fail', detail: errorText(error) });
    return;
  }
  const checks: LabelCheck[] = [];
  const record = (role: string, match: LabelMatch | undefined) => {
    if (!match) return;
    if (match.ok) {
      checks.push({
        role,
        label: match.label,
        result: match.how === 'fuzzy' ? 'fuzzy' : match.how === 'name' ? 'by-name' : 'exact',
        resolvedTo: { label: match.property.label, name: match.property.name, score: match.score },
      });
    } else checks.push({ role, label: match.label, result: 'problem', message: match.problem.message });
  };
  // Same rules as the poller: the flag and the write-back properties match exactly, fields fuzzily.
  record('sync flag', matchVenueFlag(venue.syncFlagLabel, properties));
  const fieldLabels = venueFieldLabels(venue);
  matchLabels(fieldLabels, properties).forEach((match) => record('field', match));
  for (const [role, label] of Object.entries(venue.writeBack ?? {})) {
    if (label) record(`write-back ${role}`, matchLabels([label], properties, { exactOnly: true })[0]);
  }
  const problems = checks.filter((check) => check.result === 'problem');
  const fuzzy = checks.filter((check) => check.result === 'fuzzy');
  const setupRoles = problems.some(
    (check) => check.role === 'sync flag' || check.role.startsWith('write-back'),
  );
  if (problems.length > 0) {
    rows.push({
      check: `labels ${venue.id}`,
      status: 'fail',
      detail: problems.map((check) => `${check.role}: ${check.message}`).join('; '),
      next: setupRoles
        ? `run 'venue-sync setup ${venue.id}' for the venue's own properties; fix other labels in the config or HubSpot`
        : 'fix the label in bin/venues.ts or rename the property in HubSpot (the closest labels are listed)',
    });
  } else if (fuzzy.length > 0) {
    rows.push({
      check: `labels ${venue.id}`,
      status: 'warn',
      detail: fuzzy
        .map(
          (check) =>
            `'${check.label}' resolves by near match to '${check.resolvedTo?.label}' (${check.resolvedTo?.score.toFixed(2)})`,
        )
        .join('; '),
      next: 'put the exact HubSpot label in the config so a future rename cannot change the match',
    });
  } else {
    rows.push({
      check: `labels ${venue.id}`,
      status: 'pass',
      detail: `${checks.length} labels resolve exactly; flag is a checkbox`,
    });
  }
}

async function checkTripleseat(
  ctx: OpsContext,
  venue: VenueConfig,
  found: CredentialsFound,
  rows: CheckRow[],
) {
  const { tripleseatPublicKey, tripleseatOauthToken } = found.credentials;
  rows.push(
    tripleseatPublicKey
      ? {
          check: `tripleseat ${venue.id} public key`,
          status: 'skip',
          detail:
            'present; the lead form API has no read call, so it cannot be verified without creating a lead',
          next:
            'to verify: tick the venue checkbox on a test contact and watch for "Sent to Tripleseat"; a 401 means the key ' +
            '(Settings > Lead Forms > View Setup Codes > API Endpoint) is wrong or belongs to another account',
        }
      : {
          check: `tripleseat ${venue.id} public key`,
          status: 'fail',
          detail: 'missing',
          next: "put the venue's lead form public key in tripleseatPublicKey (or TRIPLESEAT_PUBLIC_KEY)",
        },
  );
  const hasClient = Boolean(found.credentials.tripleseatClientId && found.credentials.tripleseatClientSecret);
  if (!tripleseatOauthToken && !hasClient) {
    rows.push({
      check: `tripleseat ${venue.id} oauth`,
      status: 'warn',
      detail: 'no OAuth access: a lost create answer is quarantined instead of looked up; dedupe unavailable',
      next:
        "optional: give the venue its Tripleseat OAuth client (tripleseatClientId / tripleseatClientSecret) and run 'venue-sync tripleseat-auth " +
        `${venue.id}'`,
    });
    return;
  }
  let client;
  try {
    client = ctx.tripleseat(venue, found.credentials);
    await client?.findLeadsByEmail(PROBE_EMAIL);
  } catch (error) {
    rows.push({
      check: `tripleseat ${venue.id} oauth`,
      status: 'fail',
      detail: errorText(error),
      next:
        error instanceof TripleseatOAuthError
          ? `the refresh was refused: re-authorize with 'venue-sync tripleseat-auth ${venue.id}'`
          : error instanceof AuthError
            ? "the OAuth token is wrong, expired or for another account; a customer admin of this venue's Tripleseat issues a new one"
            : error instanceof OpsError
              ? 'see the message'
              : 'check TRIPLESEAT_BASE_URI and the network',
    });
    return;
  }
  rows.push(await oauthRow(ctx, venue, client?.oauthKind));
}

/** How the venue's REST access stands after a successful search: refreshing (with the stored pair) or static. */
async function oauthRow(
  ctx: OpsContext,
  venue: VenueConfig,
  kind: 'static' | 'refreshing' | undefined,
): Promise<CheckRow> {
  const check = `tripleseat ${venue.id} oauth`;
  if (kind !== 'refreshing') {
    // It works now; the detail says it will not refresh (the probe's refresh row says the same).
    return {
      check,
      status: 'pass',
      detail:
        'lead search answered (static token: no refresh, it stops working when it expires; an OAuth client ' +
        `and 'venue-sync tripleseat-auth ${venue.id}' make it refresh)`,
    };
  }
  const pair = await ctx.oauthTokenStore.read(venue.id, TRIPLESEAT_OAUTH_PROVIDER);
  const expires = pair ? new Date(pair.expiresAtMs).toISOString() : 'unknown';
  return {
    check,
    status: 'pass',
    detail:
      `lead search answered; refreshing OAuth 2.0 (pair v${pair?.version ?? '?'} by ${pair?.writtenBy ?? '?'}, ` +
      `access token until ${expires}, refreshed ahead of expiry)`,
  };
}

async function checkWebex(ctx: OpsContext, config: AppConfig, rows: CheckRow[]): Promise<void> {
  let token: string | undefined;
  try {
    token = (await ctx.credentials()).credentials.webexToken;
  } catch (error) {
    rows.push({ check: 'webex token', status: 'fail', detail: errorText(error) });
    return;
  }
  if (!token) {
    rows.push({
      check: 'webex token',
      status: 'fail',
      detail: 'no Webex token given',
      next: `set WEBEX_TOKEN / --webex-token, or fill webexToken in '${config.webex?.secretName}'`,
    });
    return;
  }
  try {
    const webex = ctx.webex(token);
    const events = await webex.listEvents();
    const visible = new Set(events.map((event) => event.id));
    const unseen = (config.webex?.eventIds ?? []).filter((id) => !visible.has(id));
    rows.push(
      unseen.length > 0
        ? {
            check: 'webex token',
            status: 'fail',
            detail: `token works; configured events not visible: ${unseen.join(', ')}`,
            next: 'fix webex.eventIds in the config or use a token of the account that owns those events',
          }
        : { check: 'webex token', status: 'pass', detail: `${events.length} event(s) visible` },
    );
    // Which mapped fields this account's schema serves (a missing one leaves its property empty).
    const fieldMap = config.webex?.fieldMap ?? {};
    const { readable } = await webex.readableFields(mappedWebexFields(fieldMap));
    rows.push(...webexFieldReport(readable, fieldMap));
  } catch (error) {
    rows.push({
      check: 'webex token',
      status: 'fail',
      detail: errorText(error),
      next:
        error instanceof AuthError
          ? 'issue a new Webex Events API token (sk_live_...) and update the secret'
          : 'check WEBEX_API_URL',
    });
  }
}

function errorText(error: unknown): string {
  if (error instanceof ApiError || error instanceof CredentialsError || error instanceof OpsError)
    return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function renderDoctor(report: DoctorReport): string {
  const table = renderTable(
    ['CHECK', 'RESULT', 'DETAIL'],
    report.rows.map((row) => [row.check, row.status.toUpperCase(), row.detail]),
  );
  const steps = report.rows.filter(
    (row) => row.next && (row.status === 'fail' || row.status === 'warn' || row.status === 'skip'),
  );
  const lines = [table];
  if (steps.length > 0) {
    lines.push('', 'Next steps:');
    for (const row of steps) lines.push(`  - ${row.check} (${row.status}): ${row.next}`);
  }
  lines.push('', report.ok ? 'All required checks passed.' : 'Some checks failed.');
  return lines.join('\n');
}
