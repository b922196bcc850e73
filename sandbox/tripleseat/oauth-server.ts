/**
 * Tripleseat's OAuth 2.0 authorization server as venue-sync meets it: `POST /oauth2/token` for the
 * authorization-code and refresh-token grants, expiring access tokens, and Doorkeeper-style rotation — a
 * refresh issues a new pair and the previous pair (its access AND refresh token) is revoked the first time
 * the NEW access token is used. Until then the old refresh token still works, so two refreshers racing with
 * the same refresh token both get a pair; whichever pair is used first revokes the old one.
 * https://support.tripleseat.com/hc/en-us/articles/40652011678231 (OAuth 2.0 Implementation)
 */
import type { SimClock, SimRequest, SimResponse } from '../sim-kit';
import type { TripleseatAccountConfig } from './types';

interface TokenRow {
  venueId: string;
  clientId: string;
  accessToken: string;
  refreshToken: string;
  issuedAtMs: number;
  expiresAtMs: number;
  revoked: boolean;
  /** Revoked when this row's access token is first used (Doorkeeper `revoke_previous_refresh_token_on_use`). */
  previous: TokenRow | undefined;
}

interface PendingCode {
  venueId: string;
  clientId: string;
  redirectUri: string;
  expiresAtMs: number;
}

export type AccessCheck =
  { ok: true; venueId: string } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** Doorkeeper's authorization codes live 10 minutes. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;

const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used ' +
  'in the authorization request, or was issued to another client.';

export interface OAuthServerStats {
  /** Refresh-token grants answered with a new pair. */
  refreshes: number;
  /** Token requests refused with invalid_grant. */
  refusedGrants: number;
  /** Refresh tokens of this venue that would still be accepted now. */
  liveRefreshTokens: number;
}

export class TripleseatOAuthServer {
  private readonly byAccess = new Map<string, TokenRow>();
  private readonly byRefresh = new Map<string, TokenRow>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly stats = new Map<string, { refreshes: number; refusedGrants: number }>();
  private sequence = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly accounts: () => TripleseatAccountConfig[],
    private readonly lifetimeSeconds: number,
    private readonly random: () => number,
  ) {}

  /** `POST /oauth2/token`, form-encoded; client credentials in the body or as HTTP Basic. */
  token(request: SimRequest): SimResponse {
    const form = new URLSearchParams(request.rawBody);
    const basic = basicCredentials(request.headers.authorization);
    const clientId = form.get('client_id') ?? basic?.id;
    const clientSecret = form.get('client_secret') ?? basic?.secret;
    const account = this.accounts().find(
      (candidate) =>
        candidate.oauthClient?.clientId === clientId && candidate.oauthClient?.clientSecret === clientSecret,
    );
    if (!account || !clientId) {
      return tokenError(
        401,
        'invalid_client',
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      );
    }
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token') return this.refreshGrant(account, clientId, form.get('refresh_token'));
    if (grantType === 'authorization_code') {
      return this.codeGrant(account, clientId, form.get('code'), form.get('redirect_uri'));
    }
    return tokenError(
      400,
      'unsupported_grant_type',
      'The authorization grant type is not supported by the authorization server.',
    );
  }

  /** What a customer admin's consent on the authorize page produces: a one-time code for the redirect. */
  issueCode(venueId: string, clientId: string, redirectUri: string): string {
    const code = `ts_code_${this.nextId()}`;
    this.codes.set(code, {
      venueId,
      clientId,
      redirectUri,
      expiresAtMs: this.clock.now() + CODE_LIFETIME_MS,
    });
    return code;
  }

  /** A fresh pair for the venue, as if authorized earlier (sandbox and test setup). */
  grant(venueId: string, clientId: string): { accessToken: string; refreshToken: string } {
    const row = this.issue(venueId, clientId, undefined);
    return { accessToken: row.accessToken, refreshToken: row.refreshToken };
  }

  /** Checks a bearer token; using a rotated pair's access token for the first time revokes the previous pair. */
  checkAccess(token: string): AccessCheck {
    const row = this.byAccess.get(token);
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked) return { ok: false, reason: 'revoked' };
    if (this.clock.now() >= row.expiresAtMs) return { ok: false, reason: 'expired' };
    if (row.previous) {
      row.previous.revoked = true;
      row.previous = undefined;
    }
    return { ok: true, venueId: row.venueId };
  }

  /** Every access token of the venue answers 401 "expired" from now on (refresh tokens keep working). */
  expireAccessTokens(venueId: string): void {
    for (const row of this.byAccess.values()) {
      if (row.venueId === venueId) row.expiresAtMs = Math.min(row.expiresAtMs, this.clock.now());
    }
  }

  /** The app's authorization was revoked: every token of the venue stops working (refresh included). */
  revokeAll(venueId: string): void {
    for (const row of this.byAccess.values()) if (row.venueId === venueId) row.revoked = true;
  }

  statsFor(venueId: string): OAuthServerStats {
    const counts = this.stats.get(venueId) ?? { refreshes: 0, refusedGrants: 0 };
    const live = [...this.byRefresh.values()].filter((row) => row.venueId === venueId && !row.revoked);
    return { ...counts, liveRefreshTokens: live.length };
  }

  private refreshGrant(
    account: TripleseatAccountConfig,
    clientId: string,
    refreshToken: string | null,
  ): SimResponse {
    const row = refreshToken ? this.byRefresh.get(refreshToken) : undefined;
    if (!row || row.revoked || row.clientId !== clientId || row.venueId !== account.venueId) {
      this.count(account.venueId, 'refusedGrants');
      return tokenError(400, 'invalid_grant', INVALID_GRANT);
    }
    // The old pair is NOT revoked here: only once the new access token is used (see file header).
    const issued = this.issue(account.venueId, clientId, row);
    this.count(account.venueId, 'refreshes');
    return { status: 200, body: this.answer(issued) };
  }

  private codeGrant(
    account: TripleseatAccountConfig,
    clientId: string,
    code: string | null,
    redirectUri: string | null,
  ): SimResponse {
    const pending = code ? this.codes.get(code) : undefined;
    if (code) this.codes.delete(code); // one use, even when refused
    if (
      !pending ||
      pending.clientId !== clientId ||
      pending.venueId !== account.venueId ||
      pending.redirectUri !== redirectUri ||
      this.clock.now() >= pending.expiresAtMs
    ) {
      this.count(account.venueId, 'refusedGrants');
      return tokenError(400, 'invalid_grant', INVALID_GRANT);
    }
    return { status: 200, body: this.answer(this.issue(account.venueId, clientId, undefined)) };
  }

  private issue(venueId: string, clientId: string, previous: TokenRow | undefined): TokenRow {
    const now = this.clock.now();
    const id = this.nextId();
    const row: TokenRow = {
      venueId,
      clientId,
      accessToken: `ts_at_${id}`,
      refreshToken: `ts_rt_${id}`,
      issuedAtMs: now,
      expiresAtMs: now + this.lifetimeSeconds * 1000,
      revoked: false,
      previous,
    };
    this.byAccess.set(row.accessToken, row);
    this.byRefresh.set(row.refreshToken, row);
    return row;
  }

  /** Doorkeeper's token answer: `created_at` in epoch seconds beside `expires_in`. */
  private answer(row: TokenRow): Record<string, unknown> {
    return {
      access_token: row.accessToken,
      token_type: 'Bearer',
      expires_in: this.lifetimeSeconds,
      refresh_token: row.refreshToken,
      scope: 'leads:read leads:write',
      created_at: Math.floor(row.issuedAtMs / 1000),
    };
  }

  private nextId(): string {
    this.sequence += 1;
    const noise = Math.floor(this.random() * 0xffffffff)
      .toString(16)
      .padStart(8, '0');
    return `${this.sequence.toString(36)}${noise}`;
  }

  private count(venueId: string, what: 'refreshes' | 'refusedGrants'): void {
    const counts = this.stats.get(venueId) ?? { refreshes: 0, refusedGrants: 0 };
    counts[what] += 1;
    this.stats.set(venueId, counts);
  }
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/** RFC 6749 section 5.2 error answer, as Doorkeeper renders it. */
function tokenError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}
