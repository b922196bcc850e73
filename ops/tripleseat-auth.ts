/**
 * `venue-sync tripleseat-auth <venue>`: (re-)authorizes a venue's Tripleseat OAuth 2.0 access. Prints the
 * authorize URL for a customer admin of the venue's Tripleseat account, takes the code their consent
 * yields (argument or prompt), exchanges it and stores the pair in the reconciliation table, where the
 * poller, the webhook-triggered polls and the other commands pick it up (and keep refreshing it).
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { OAuthTokenStore } from '../shared/reconciliation/oauth-tokens';
import { TRIPLESEAT_OAUTH_PROVIDER, TripleseatTokenEndpoint } from '../shared/tripleseat/oauth';
import { TRIPLESEAT_DEFAULT_BASE_URL } from '../shared/tripleseat/client';
import type { ApiCaller } from '../shared/rate-limit/types';
import { OpsContext, OpsError } from './context';
import type { CommandIo } from './io';

/** Tripleseat's consent page lives on its login host, not the API host. */
export const TRIPLESEAT_LOGIN_URL = 'https://login.tripleseat.com';
/** Out-of-band redirect: Tripleseat shows the code to copy instead of redirecting to a server we run. */
export const DEFAULT_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/** The authorize page for the API base: the login host for the real API, the base itself otherwise (sandbox). */
export function authorizeBaseFor(apiBaseUrl: string): string {
  const base = apiBaseUrl.replace(/\/$/, '');
  return base === TRIPLESEAT_DEFAULT_BASE_URL ? TRIPLESEAT_LOGIN_URL : base;
}

// https://support.tripleseat.com/hc/en-us/articles/40652011678231 (OAuth 2.0 Implementation: authorize)
export function authorizeUrl(options: {
  authorizeBase: string;
  clientId: string;
  redirectUri: string;
  state?: string;
}): string {
  const url = new URL(`${options.authorizeBase.replace(/\/$/, '')}/oauth2/authorize`);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('response_type', 'code');
  if (options.state) url.searchParams.set('state', options.state);
  return url.toString();
}

export interface TripleseatAuthResult {
  venueId: string;
  /** The stored pair's version (1 for a first authorization). */
  version: number;
  accessTokenExpiresAt: string;
}

export interface ExchangeAndStoreOptions {
  venueId: string;
  code: string;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  baseUrl: string;
  caller: ApiCaller;
  store: Pick<OAuthTokenStore, 'read' | 'save'>;
  now?: () => number;
}

/** Exchanges the code and stores the pair over whatever is stored (version-checked, re-read on a race). */
export async function exchangeAndStore(options: ExchangeAndStoreOptions): Promise<TripleseatAuthResult> {
  const endpoint = new TripleseatTokenEndpoint({
    baseUrl: options.baseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    caller: options.caller,
    now: options.now,
  });
  const pair = await endpoint.exchangeCode(options.venueId, options.code.trim(), options.redirectUri);
  // A poller may refresh the old pair meanwhile; a fresh authorization replaces whatever is there.
  for (let attempt = 1; attempt <= 5; attempt++) {
    const current = await options.store.read(options.venueId, TRIPLESEAT_OAUTH_PROVIDER);
    const outcome = await options.store.save(
      options.venueId,
      TRIPLESEAT_OAUTH_PROVIDER,
      pair,
      current?.version,
      'authorization_code',
    );
    if (outcome.saved) {
      return {
        venueId: options.venueId,
        version: outcome.stored.version,
        accessTokenExpiresAt: new Date(outcome.stored.expiresAtMs).toISOString(),
      };
    }
  }
  throw new OpsError(
    `venue ${options.venueId}: the token item kept changing while saving; run the command again`,
  );
}

export interface TripleseatAuthCommandIo extends CommandIo {
  /** Asks for a line of text (the code); tests answer it. */
  ask?(question: string): Promise<string>;
}

/** The whole command on an OpsContext: check settings, print the URL, get the code, exchange, store. */
export async function runTripleseatAuth(
  ctx: OpsContext,
  venueId: string,
  options: { code?: string; redirectUri?: string },
  io: TripleseatAuthCommandIo,
): Promise<TripleseatAuthResult> {
  const venue = ctx.venue(venueId);
  const { credentials } = await ctx.credentials(venue);
  const { tripleseatClientId: clientId, tripleseatClientSecret: clientSecret } = credentials;
  if (!clientId || !clientSecret) {
    throw new OpsError(
      `venue ${venueId} has no Tripleseat OAuth client: put tripleseatClientId and tripleseatClientSecret in its ` +
        'secret (or TRIPLESEAT_CLIENT_ID / TRIPLESEAT_CLIENT_SECRET locally); docs/runbook.md, "Tripleseat OAuth"',
    );
  }
  const redirectUri = options.redirectUri ?? DEFAULT_REDIRECT_URI;
  const baseUrl = ctx.env.TRIPLESEAT_BASE_URI;
  io.stderr.write(
    `Ask a customer admin of ${venue.displayName}'s Tripleseat account to open this URL and approve access:\n\n` +
      `  ${authorizeUrl({ authorizeBase: authorizeBaseFor(baseUrl), clientId, redirectUri })}\n\n`,
  );
  const code = options.code ?? (await askForCode(io));
  if (!code.trim()) throw new OpsError('no authorization code given; nothing changed');
  const { client, tableName } = ctx.dynamo;
  return exchangeAndStore({
    venueId,
    code,
    redirectUri,
    clientId,
    clientSecret,
    baseUrl,
    caller: ctx.caller,
    store: new OAuthTokenStore({ client, tableName, now: ctx.now }),
    now: ctx.now,
  });
}

async function askForCode(io: TripleseatAuthCommandIo): Promise<string> {
  const question = 'Paste the code shown after approval: ';
  if (io.ask) return io.ask(question);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

export function renderTripleseatAuth(result: TripleseatAuthResult): string {
  return (
    `Stored Tripleseat OAuth tokens for venue '${result.venueId}' (version ${result.version}); the access ` +
    `token expires ${result.accessTokenExpiresAt} and is refreshed automatically from then on.`
  );
}

/**
 * Adds the command to the CLI. `withContext` and `print` are bin/cli.ts's own helpers (a context that is
 * always closed; `--json` or human output).
 */
export function registerTripleseatAuth(
  program: Command,
  helpers: {
    io: TripleseatAuthCommandIo;
    withContext: (
      command: Command,
      act: (ctx: OpsContext, globals: { json?: boolean }) => Promise<void>,
    ) => Promise<void>;
    print: (globals: { json?: boolean }, result: unknown, human: string) => void;
  },
): Command {
  return program
    .command('tripleseat-auth')
    .description(
      "authorize (or re-authorize) the venue's Tripleseat OAuth 2.0 access; stores the tokens in the table",
    )
    .argument('<venue>', 'venue id from the config')
    .argument('[code]', 'the authorization code (asked for when omitted)')
    .option('--redirect-uri <uri>', "the OAuth application's registered redirect URI", DEFAULT_REDIRECT_URI)
    .action(
      async (venueId: string, code: string | undefined, options: { redirectUri: string }, command: Command) =>
        helpers.withContext(command, async (ctx, globals) => {
          const result = await runTripleseatAuth(
            ctx,
            venueId,
            { redirectUri: options.redirectUri, ...(code ? { code } : {}) },
            helpers.io,
          );
          helpers.print(globals, result, renderTripleseatAuth(result));
        }),
    );
}
