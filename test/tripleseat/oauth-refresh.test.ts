/**
 * Tripleseat OAuth 2.0 with rotating refresh tokens, end to end: the real client and token source over
 * HTTP against the simulator's token endpoint (Doorkeeper-style rotation: the previous pair is revoked
 * once the new access token is used), the pair kept in a dynalite table with a version check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, TransientApiError } from '../../shared/rate-limit/errors';
import type { TokenPairStore } from '../../shared/tripleseat/oauth';
import { TRIPLESEAT_OAUTH_PROVIDER, TripleseatOAuthError } from '../../shared/tripleseat/oauth';
import { tripleseatPortFor } from '../../shared/tripleseat/venue-access';
import { useLocalDynamo } from '../helpers/dynamo';
import { OAUTH_VENUE, seedLead, startOAuthWorld, type OAuthWorld } from './oauth-world';

const dynamo = useLocalDynamo();
const EMAIL = 'ada@example.com';
const MINUTE = 60_000;

/** Resolves when `count` callers have arrived; each arrival waits for all (a deterministic rendezvous). */
function latch(count: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= count) open();
    await opened;
  };
}

describe('Class: RefreshingAccessToken (with TripleseatClient)', () => {
  let world: OAuthWorld | undefined;

  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const start = async (lifetimeSeconds?: number): Promise<OAuthWorld> => {
    world = await startOAuthWorld(dynamo(), { lifetimeSeconds });
    await seedLead(world, EMAIL);
    return world;
  };
  const calls = (w: OAuthWorld, path: string, status?: number) =>
    w.sim.log.count((entry) => entry.path === path && (status === undefined || entry.status === status));

  describe('Method: accessToken', () => {
    it('bootstraps from the secret, saves the pair, and refreshes ahead of expiry without a 401', async () => {
      // Prepare
      const w = await start();
      const { refreshToken } = w.sim.grantOauth(w.venueId);
      const { client, tokens } = w.client({ bootstrapRefreshToken: refreshToken });

      // Act
      const first = await client.findLeadsByEmail(EMAIL);
      w.clock.advance(7200 * 1000 - 4 * MINUTE); // inside the 5-minute margin, not yet expired
      const second = await client.findLeadsByEmail(EMAIL);

      // Assess
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(1);
      expect(tokens.refreshes).toBe(2); // bootstrap, then ahead of expiry
      expect(calls(w, '/v1/leads/search.json', 401)).toBe(0);
      const stored = await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER);
      expect(stored).toMatchObject({ version: 2, writtenBy: 'refresh' });
      expect(stored?.refreshToken).not.toBe(refreshToken);
    });

    it('refreshes once after a 401 and retries the call', async () => {
      // Prepare
      const w = await start();
      const { client, tokens } = w.client({
        bootstrapRefreshToken: w.sim.grantOauth(w.venueId).refreshToken,
      });
      await client.findLeadsByEmail(EMAIL);
      w.sim.expireAccessTokens(w.venueId); // the server gave up on the token early (revocation, skew)
      w.sim.log.clear();

      // Act
      const found = await client.findLeadsByEmail(EMAIL);

      // Assess
      expect(found.map((lead) => lead.email)).toEqual([EMAIL]);
      expect(w.sim.log.entries.map((entry) => `${entry.path} ${entry.status}`)).toEqual([
        '/v1/leads/search.json 401',
        '/oauth2/token 200',
        '/v1/leads/search.json 200',
      ]);
      expect(tokens.refreshes).toBe(2);
    });

    it('two refreshers at once (two processes, one table) both succeed and leave one valid pair', async () => {
      // Prepare: both hold the stored pair v1; it expires; both refresh with the same refresh token.
      const w = await start();
      const bootstrap = w.sim.grantOauth(w.venueId).refreshToken;
      await w.client({ bootstrapRefreshToken: bootstrap }).client.findLeadsByEmail(EMAIL);
      const v1 = await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER);
      const bothRefreshed = latch(2);
      // Neither saves until both have their new pair: the version check must pick exactly one.
      const racing: TokenPairStore = {
        read: (venueId, provider) => w.tokenStore.read(venueId, provider),
        save: async (...args) => {
          await bothRefreshed();
          return w.tokenStore.save(...args);
        },
      };
      const a = w.client({ store: racing });
      const b = w.client({ store: racing });
      w.clock.advance(7200 * 1000);

      // Act
      const [foundA, foundB] = await Promise.all([
        a.client.findLeadsByEmail(EMAIL),
        b.client.findLeadsByEmail(EMAIL),
      ]);

      // Assess
      expect(foundA).toHaveLength(1);
      expect(foundB).toHaveLength(1);
      expect(a.tokens.refreshes + b.tokens.refreshes).toBe(2);
      const stored = await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER);
      expect(stored?.version).toBe(2);
      // The old refresh token was revoked once the winner's token was used; the stored one still works.
      expect(w.sim.oauthStats(w.venueId).liveRefreshTokens).toBe(2); // the stored pair + the loser's, never used
      const later = w.client();
      w.clock.advance(7200 * 1000);
      expect(await later.client.findLeadsByEmail(EMAIL)).toHaveLength(1);
      expect(stored?.refreshToken).not.toBe(v1?.refreshToken);
      expect(calls(w, '/v1/leads/search.json', 401)).toBe(0);
    });

    it('a refresher whose refresh token was rotated away by another process uses their pair', async () => {
      // Prepare: B reads v1, then A refreshes and uses its new token (revoking v1's refresh token).
      const w = await start();
      await w
        .client({ bootstrapRefreshToken: w.sim.grantOauth(w.venueId).refreshToken })
        .client.findLeadsByEmail(EMAIL);
      w.clock.advance(7200 * 1000);
      let aDone: () => void = () => {};
      const aFinished = new Promise<void>((resolve) => (aDone = resolve));
      let bReads = 0;
      const staleForB: TokenPairStore = {
        read: async (venueId, provider) => {
          const pair = await w.tokenStore.read(venueId, provider);
          bReads += 1;
          if (bReads === 1) await aFinished; // B's first read is from before A's rotation
          return pair;
        },
        save: (...args) => w.tokenStore.save(...args),
      };
      const a = w.client();
      const b = w.client({ store: staleForB });

      // Act
      const bFound = b.client.findLeadsByEmail(EMAIL);
      const aFound = await a.client.findLeadsByEmail(EMAIL);
      aDone();

      // Assess
      expect(aFound).toHaveLength(1);
      expect(await bFound).toHaveLength(1);
      expect(w.sim.oauthStats(w.venueId).refusedGrants).toBe(1); // B's stale refresh, then B re-read
      expect(b.tokens.refreshes).toBe(0);
    });

    it('a crash after the refresh was saved but before first use: the next run uses the saved pair', async () => {
      // Prepare
      const w = await start();
      const bootstrap = w.sim.grantOauth(w.venueId).refreshToken;
      const crashing: TokenPairStore = {
        read: (venueId, provider) => w.tokenStore.read(venueId, provider),
        save: async (...args) => {
          const outcome = await w.tokenStore.save(...args);
          throw new Error(`process died after saving (saved: ${String(outcome.saved)})`);
        },
      };
      const doomed = w.client({ bootstrapRefreshToken: bootstrap, store: crashing });
      await expect(doomed.client.findLeadsByEmail(EMAIL)).rejects.toThrow(/process died after saving/);

      // Act: a new process with the same (now superseded) bootstrap token from the secret.
      const next = w.client({ bootstrapRefreshToken: bootstrap });
      const found = await next.client.findLeadsByEmail(EMAIL);
      w.clock.advance(7200 * 1000);
      const afterExpiry = await next.client.findLeadsByEmail(EMAIL);

      // Assess
      expect(found).toHaveLength(1);
      expect(next.tokens.refreshes).toBe(1); // only the one after expiry: the saved pair was used first
      expect(afterExpiry).toHaveLength(1);
      expect(calls(w, '/oauth2/token', 400)).toBe(0);
    });

    it('keeps rotating over many 60-second lifetimes (odd mode)', async () => {
      // Prepare
      const w = await start(60);
      const { client, tokens } = w.client({
        bootstrapRefreshToken: w.sim.grantOauth(w.venueId).refreshToken,
      });

      // Act: a lookup every 45 s of simulated time for 45 lifetimes.
      const counts: number[] = [];
      for (let step = 0; step < 60; step++) {
        counts.push((await client.findLeadsByEmail(EMAIL)).length);
        w.clock.advance(45_000);
      }

      // Assess
      expect(counts.every((count) => count === 1)).toBe(true);
      expect(calls(w, '/v1/leads/search.json', 401)).toBe(0);
      // With a 30 s margin (half the lifetime), every 45 s step finds the token stale: one refresh each.
      expect(tokens.refreshes).toBe(60);
      const stored = await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER);
      expect(stored?.version).toBe(60);
      // Every superseded refresh token was revoked on use of its successor: one live token remains.
      expect(w.sim.oauthStats(w.venueId).liveRefreshTokens).toBe(1);
    });
  });

  describe('Method: refused refresh (invalid_grant)', () => {
    it('is a TripleseatOAuthError saying how to re-authorize, without secrets; lead creation still works', async () => {
      // Prepare
      const w = await start();
      const bootstrap = w.sim.grantOauth(w.venueId).refreshToken;
      const { client } = w.client({ bootstrapRefreshToken: bootstrap });
      await client.findLeadsByEmail(EMAIL);
      w.sim.revokeOauth(w.venueId); // an admin revoked the app: every token and refresh token is dead
      w.clock.advance(7200 * 1000);
      const failures: AuthError[] = [];
      const port = tripleseatPortFor(client, (error) => failures.push(error));

      // Act
      const direct = await client.findLeadsByEmail(EMAIL).catch((error: unknown) => error);
      const viaPort = await port.findLeadsByEmail?.(EMAIL).catch((error: unknown) => error);
      const again = await port.findLeadsByEmail?.(EMAIL).catch((error: unknown) => error);
      const created = await port.createLead({
        first_name: 'Grace',
        last_name: 'Hopper',
        email_address: 'grace@example.com',
        phone_number: '+1 617 555 0101',
      });

      // Assess
      expect(direct).toBeInstanceOf(TripleseatOAuthError);
      expect(direct).toBeInstanceOf(AuthError);
      const error = direct as TripleseatOAuthError;
      expect(error.reason).toBe('refresh-refused');
      expect(error.message).toContain(`venue-sync tripleseat-auth ${w.venueId}`);
      expect(error.message).toContain('Lead creation by public key is not affected');
      const stored = await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER);
      for (const secret of [
        bootstrap,
        stored?.refreshToken,
        stored?.accessToken,
        OAUTH_VENUE.oauthClient.clientSecret,
      ]) {
        expect(error.message).not.toContain(secret);
      }
      expect(viaPort).toBeInstanceOf(TransientApiError);
      expect(again).toBeInstanceOf(TransientApiError);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(TripleseatOAuthError);
      // The refused refresh token is remembered: one token call in all, not one per lookup.
      expect(w.sim.oauthStats(w.venueId).refusedGrants).toBe(1);
      expect(created.leadId).toBeDefined();
      expect(w.sim.leads(w.venueId).map((lead) => lead.email_address)).toContain('grace@example.com');
    });

    it('works again once the venue is re-authorized (a new pair in the table)', async () => {
      // Prepare
      const w = await start();
      const { client } = w.client({ bootstrapRefreshToken: w.sim.grantOauth(w.venueId).refreshToken });
      await client.findLeadsByEmail(EMAIL);
      w.sim.revokeOauth(w.venueId);
      w.clock.advance(7200 * 1000);
      await expect(client.findLeadsByEmail(EMAIL)).rejects.toBeInstanceOf(TripleseatOAuthError);

      // Act: what `venue-sync tripleseat-auth` stores after the admin's consent.
      const current = await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER);
      const fresh = w.sim.grantOauth(w.venueId);
      await w.tokenStore.save(
        w.venueId,
        TRIPLESEAT_OAUTH_PROVIDER,
        { ...fresh, issuedAtMs: w.clock.now(), expiresAtMs: w.clock.now() + 7200 * 1000 },
        current?.version,
        'authorization_code',
      );

      // Assess
      expect(await client.findLeadsByEmail(EMAIL)).toHaveLength(1);
    });

    it('without any pair or bootstrap token: not-authorized, with the command to run', async () => {
      // Prepare
      const w = await start();
      const { client } = w.client();

      // Act
      const error = await client.findLeadsByEmail(EMAIL).catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(TripleseatOAuthError);
      expect((error as TripleseatOAuthError).reason).toBe('not-authorized');
      expect((error as Error).message).toContain(`venue-sync tripleseat-auth ${w.venueId}`);
      expect(calls(w, '/oauth2/token')).toBe(0);
    });
  });
});
