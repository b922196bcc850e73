/**
 * Tripleseat OAuth 2.0 for one venue: where the REST API's access token comes from.
 *
 * Access tokens live 7,200 s and come with a refresh token. Tripleseat's token answers are those of a
 * Doorkeeper (Rails) server, whose usual setting rotates the refresh token: the old one is revoked as soon
 * as the NEW access token is first used. Hence the order here, always: refresh, save the new pair in the
 * reconciliation table (conditional on the version it replaces), and only then use it. A crash before the
 * save leaves the old refresh token valid (the new access token was never used); a crash after it leaves
 * the new pair stored for the next run. See docs/runbook.md, "Tripleseat OAuth".
 */
import { z } from 'zod';
import type { OAuthTokenPair, StoredOAuthTokenPair, SaveOutcome } from '../reconciliation/oauth-tokens';
import { errorFromHttp, errorFromNetwork, redactSecrets } from '../rate-limit/classify';
import { AuthError } from '../rate-limit/errors';
import type { ApiCaller } from '../rate-limit/types';

export const TRIPLESEAT_OAUTH_PROVIDER = 'tripleseat';
/** Refresh this long before the access token expires (capped at half the token's lifetime). */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** Tripleseat's documented lifetime, used only when a token answer omits `expires_in`. */
const DOCUMENTED_LIFETIME_SECONDS = 7200;
const REQUEST_TIMEOUT_MS = 15_000;
/** A refresh that loses a race re-reads the winner's pair; more rounds than this means something is wrong. */
const MAX_REFRESH_ROUNDS = 4;

export type TripleseatOAuthFailure =
  /** The refresh token was refused (`invalid_grant`): revoked, expired or already rotated away. */
  | 'refresh-refused'
  /** The authorization code was refused (`invalid_grant`): used, expired, or another redirect URI. */
  | 'code-refused'
  /** The client id / secret were refused (`invalid_client`). */
  | 'client-rejected'
  /** Neither a stored pair nor a bootstrap refresh token: nobody authorized this venue yet. */
  | 'not-authorized';

export function reauthorizeCommand(venueId: string): string {
  return `venue-sync tripleseat-auth ${venueId}`;
}

/**
 * The venue's OAuth access is gone until a person acts. An AuthError (never retried), distinguishable by
 * class so the poller can publish `TripleseatAuthFailed` while lead creation by public key carries on.
 */
export class TripleseatOAuthError extends AuthError {
  override name = 'TripleseatOAuthError';
  constructor(
    readonly venueId: string,
    readonly reason: TripleseatOAuthFailure,
    detail: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super('tripleseat', redactSecrets(`${detail}. ${nextStep(venueId, reason)}`), options);
  }
}

function nextStep(venueId: string, reason: TripleseatOAuthFailure): string {
  const reauthorize =
    `A customer admin of the venue's Tripleseat account must re-authorize: run '${reauthorizeCommand(venueId)}'. ` +
    'Lead creation by public key is not affected; only the lookup by email (lost-answer check, dedupe) is ' +
    'unavailable until then';
  if (reason === 'client-rejected') {
    return `Check tripleseatClientId / tripleseatClientSecret in the venue's secret (Tripleseat > Settings > API / OAuth applications). ${reauthorize}`;
  }
  return reauthorize;
}

// ---- the token endpoint -------------------------------------------------------------------------

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  created_at: z.number().optional(),
});
const TokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export interface TokenEndpointOptions {
  /** The REST API base; the token endpoint is `{baseUrl}/oauth2/token`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  caller: ApiCaller;
  /** Epoch ms; the sandbox passes its simulated clock. */
  now?: () => number;
}

/** Issued pair plus the time it was asked for (the lifetime counts from the request, conservatively). */
export type IssuedPair = OAuthTokenPair;

export class TripleseatTokenEndpoint {
  private readonly url: string;
  private readonly now: () => number;

  constructor(private readonly options: TokenEndpointOptions) {
    this.url = `${options.baseUrl.replace(/\/$/, '')}/oauth2/token`;
    this.now = options.now ?? Date.now;
  }

  /** Rotates the pair. The old refresh token stays valid until the new access token is first used. */
  async refresh(venueId: string, refreshToken: string): Promise<IssuedPair> {
    return this.request(
      venueId,
      'refresh-refused',
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      refreshToken,
    );
  }

  /** Exchanges the code a customer admin's consent produced (authorization-code flow). */
  async exchangeCode(venueId: string, code: string, redirectUri: string): Promise<IssuedPair> {
    return this.request(venueId, 'code-refused', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    });
  }

  // https://support.tripleseat.com/hc/en-us/articles/40652011678231 (OAuth 2.0 Implementation: token, refresh)
  private request(
    venueId: string,
    refusal: 'refresh-refused' | 'code-refused',
    grant: Record<string, string>,
    previousRefreshToken?: string,
  ): Promise<IssuedPair> {
    const context = `Tripleseat OAuth token (${grant.grant_type}) for venue ${venueId}`;
    return this.options.caller.call('tripleseat', async () => {
      const askedAt = this.now();
      let response: Response;
      try {
        response = await fetch(this.url, {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            ...grant,
            client_id: this.options.clientId,
            client_secret: this.options.clientSecret,
          }).toString(),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        // Safe to retry: an answer lost in transit issued a pair nobody used, so the old one still works.
        throw errorFromNetwork('tripleseat', error, context);
      }
      const body = parseJson(await response.text());
      if (!response.ok) {
        const refused = TokenErrorSchema.safeParse(body);
        const code = refused.success ? refused.data.error : undefined;
        if (code === 'invalid_grant') {
          const what = refusal === 'refresh-refused' ? 'refresh token' : 'authorization code';
          throw new TripleseatOAuthError(
            venueId,
            refusal,
            `${context}: Tripleseat refused the ${what} (invalid_grant: revoked, expired or already used)`,
            { status: response.status },
          );
        }
        if (code === 'invalid_client' || code === 'unauthorized_client') {
          throw new TripleseatOAuthError(
            venueId,
            'client-rejected',
            `${context}: Tripleseat refused the OAuth client (${code})`,
            { status: response.status },
          );
        }
        throw errorFromHttp(
          'tripleseat',
          { status: response.status, headers: Object.fromEntries(response.headers), body },
          context,
        );
      }
      const answer = TokenAnswerSchema.safeParse(body);
      if (!answer.success) {
        // Never echo the body: it may hold a token.
        const fields = answer.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
        throw new AuthError('tripleseat', `${context}: the answer is not a token answer (${fields})`, {
          status: response.status,
        });
      }
      const refreshToken = answer.data.refresh_token ?? previousRefreshToken;
      if (!refreshToken) {
        throw new AuthError(
          'tripleseat',
          `${context}: the answer carries no refresh_token; refresh is impossible`,
        );
      }
      const lifetimeSeconds = answer.data.expires_in ?? DOCUMENTED_LIFETIME_SECONDS;
      return {
        accessToken: answer.data.access_token,
        refreshToken,
        issuedAtMs: askedAt,
        expiresAtMs: askedAt + lifetimeSeconds * 1000,
      };
    });
  }
}

// ---- access token sources -----------------------------------------------------------------------

/** Where the client gets its bearer token. */
export interface AccessTokenSource {
  readonly kind: 'static' | 'refreshing';
  /** A token expected to stay valid for the next call. */
  accessToken(): Promise<string>;
  /**
   * `rejected` was answered 401: a different token to retry with once, or undefined when there is none
   * (a static token). Throws TripleseatOAuthError when the refresh is refused.
   */
  afterUnauthorized(rejected: string): Promise<string | undefined>;
}

/** A fixed `tripleseatOauthToken` from the secret: works until it expires or is revoked, no refresh. */
export class StaticAccessToken implements AccessTokenSource {
  readonly kind = 'static';
  constructor(private readonly token: string) {}
  accessToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
  afterUnauthorized(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}

/** The slice of OAuthTokenStore the refresher needs (tests may wrap it to inject crashes). */
export interface TokenPairStore {
  read(venueId: string, provider: string): Promise<StoredOAuthTokenPair | undefined>;
  save(
    venueId: string,
    provider: string,
    pair: OAuthTokenPair,
    basedOn: number | undefined,
    writtenBy: string,
  ): Promise<SaveOutcome>;
}

export interface RefreshingAccessTokenOptions {
  venueId: string;
  endpoint: Pick<TripleseatTokenEndpoint, 'refresh'>;
  store: TokenPairStore;
  /** `tripleseatRefreshToken` from the secret: used only while the table holds no pair yet. */
  bootstrapRefreshToken?: string;
  now?: () => number;
  /** @default 5 minutes (capped at half the token's lifetime, so a 60 s token is not refreshed on every call) */
  refreshMarginMs?: number;
}

/** Refreshes ahead of expiry and once after a 401, sharing one pair through the table (see file header). */
export class RefreshingAccessToken implements AccessTokenSource {
  readonly kind = 'refreshing';
  private readonly now: () => number;
  private readonly marginMs: number;
  private current: StoredOAuthTokenPair | undefined;
  /** The refresh token Tripleseat refused, so a broken venue costs a table read, not a token call, per lookup. */
  private refused: { refreshToken: string; error: TripleseatOAuthError } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private refreshCount = 0;

  constructor(private readonly options: RefreshingAccessTokenOptions) {
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  /** Refreshes this source made (the probe and tests read it). */
  get refreshes(): number {
    return this.refreshCount;
  }

  async accessToken(): Promise<string> {
    if (this.current && this.usable(this.current)) return this.current.accessToken;
    return this.exclusive(async () => {
      const stored = await this.load();
      if (stored && this.usable(stored)) return stored.accessToken;
      return this.refreshFrom(stored);
    });
  }

  async afterUnauthorized(rejected: string): Promise<string> {
    return this.exclusive(async () => {
      const stored = await this.load();
      // Another refresher may have replaced the token we used: theirs is the one to retry with.
      if (stored && stored.accessToken !== rejected && this.usable(stored)) return stored.accessToken;
      return this.refreshFrom(stored);
    });
  }

  /** Refreshes now whatever the expiry (the `doctor --probe` check). Saves before returning, as always. */
  async refreshNow(): Promise<void> {
    await this.exclusive(async () => this.refreshFrom(await this.load()));
  }

  private async refreshFrom(stored: StoredOAuthTokenPair | undefined, round = 1): Promise<string> {
    const { venueId, store, endpoint } = this.options;
    const refreshToken = stored?.refreshToken ?? this.options.bootstrapRefreshToken;
    if (!refreshToken) {
      throw new TripleseatOAuthError(
        venueId,
        'not-authorized',
        `venue ${venueId} has no Tripleseat OAuth token pair yet (none stored, no tripleseatRefreshToken in its secret)`,
      );
    }
    if (this.refused?.refreshToken === refreshToken) throw this.refused.error;
    if (round > MAX_REFRESH_ROUNDS) {
      throw new Error(
        `venue ${venueId}: Tripleseat token refresh kept losing races (${round - 1} rounds); try again`,
      );
    }
    let issued: OAuthTokenPair;
    try {
      issued = await endpoint.refresh(venueId, refreshToken);
      this.refreshCount += 1;
    } catch (error) {
      if (!(error instanceof TripleseatOAuthError) || error.reason !== 'refresh-refused') throw error;
      // Refused may only mean that another refresher rotated the pair and used it: theirs is valid.
      const latest = await this.load();
      if (latest && latest.refreshToken !== refreshToken) {
        return this.usable(latest) ? latest.accessToken : this.refreshFrom(latest, round + 1);
      }
      this.refused = { refreshToken, error };
      throw error;
    }
    // Save BEFORE first use: using the new access token revokes the old refresh token.
    const outcome = await store.save(venueId, TRIPLESEAT_OAUTH_PROVIDER, issued, stored?.version, 'refresh');
    if (outcome.saved) {
      this.current = outcome.stored;
      this.refused = undefined;
      return outcome.stored.accessToken;
    }
    // Lost the race: drop our pair unused (it revokes nothing) and use the winner's.
    const winner = await this.load();
    if (winner && this.usable(winner)) return winner.accessToken;
    return this.refreshFrom(winner, round + 1);
  }

  private async load(): Promise<StoredOAuthTokenPair | undefined> {
    this.current = await this.options.store.read(this.options.venueId, TRIPLESEAT_OAUTH_PROVIDER);
    return this.current;
  }

  private usable(pair: StoredOAuthTokenPair): boolean {
    const lifetime = pair.expiresAtMs - pair.issuedAtMs;
    const margin = Math.min(this.marginMs, Math.max(0, lifetime / 2));
    return this.now() < pair.expiresAtMs - margin;
  }

  /** One refresh at a time per process; the table's version check covers other processes. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
