/**
 * The authorization-code exchange behind `venue-sync tripleseat-auth`, the format-independent lookup
 * (created_at in each format the simulator renders) and the read-only probe for `doctor --probe`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../sandbox/sim-kit';
import { TripleseatSimulator, type CreatedAtRendering } from '../../sandbox/tripleseat';
import { createApiCaller } from '../../shared/rate-limit';
import { OAuthTokenStore } from '../../shared/reconciliation/oauth-tokens';
import { TripleseatClient } from '../../shared/tripleseat/client';
import { TRIPLESEAT_OAUTH_PROVIDER, TripleseatOAuthError } from '../../shared/tripleseat/oauth';
import { probeTripleseat } from '../../shared/tripleseat/probe';
import { authorizeBaseFor, authorizeUrl, exchangeAndStore } from '../../ops/tripleseat-auth';
import { useLocalDynamo } from '../helpers/dynamo';
import { OAUTH_VENUE, seedLead, startOAuthWorld, type OAuthWorld } from './oauth-world';

const dynamo = useLocalDynamo();
const REDIRECT = 'https://ops.example.com/tripleseat/callback';

describe('Function: authorizeUrl', () => {
  it('builds the consent URL on the login host for the real API and on the base for the sandbox', () => {
    // Act
    const real = authorizeUrl({
      authorizeBase: authorizeBaseFor('https://api.tripleseat.com/'),
      clientId: 'cid',
      redirectUri: REDIRECT,
    });
    const sandbox = authorizeBaseFor('http://127.0.0.1:4100');

    // Assess
    expect(real).toBe(
      'https://login.tripleseat.com/oauth2/authorize?client_id=cid&redirect_uri=https%3A%2F%2Fops.example.com%2Ftripleseat%2Fcallback&response_type=code',
    );
    expect(sandbox).toBe('http://127.0.0.1:4100');
  });
});

describe('Function: exchangeAndStore', () => {
  let world: OAuthWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const exchange = (w: OAuthWorld, code: string, redirectUri = REDIRECT) =>
    exchangeAndStore({
      venueId: w.venueId,
      code,
      redirectUri,
      clientId: OAUTH_VENUE.oauthClient.clientId,
      clientSecret: OAUTH_VENUE.oauthClient.clientSecret,
      baseUrl: w.sim.url,
      caller: createApiCaller({ hubspotTenSecondLimit: 100, sleep: async () => undefined }),
      store: w.tokenStore,
      now: () => w.clock.now(),
    });

  it('exchanges the code from the consent redirect and stores a pair the poller can use', async () => {
    // Prepare: the admin's consent, over HTTP, as the browser would follow it.
    world = await startOAuthWorld(dynamo());
    const w = world;
    await seedLead(w, 'ada@example.com');
    const consent = await fetch(
      authorizeUrl({
        authorizeBase: w.sim.url,
        clientId: OAUTH_VENUE.oauthClient.clientId,
        redirectUri: REDIRECT,
      }),
      { redirect: 'manual' },
    );
    const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';

    // Act
    const result = await exchange(w, code);

    // Assess
    expect(consent.status).toBe(302);
    expect(result).toMatchObject({ venueId: w.venueId, version: 1 });
    expect(await w.tokenStore.read(w.venueId, TRIPLESEAT_OAUTH_PROVIDER)).toMatchObject({
      writtenBy: 'authorization_code',
    });
    expect(await w.client().client.findLeadsByEmail('ada@example.com')).toHaveLength(1);
  });

  it('replaces a stored pair (re-authorization) and refuses a used code or another redirect URI', async () => {
    // Prepare
    world = await startOAuthWorld(dynamo());
    const w = world;
    await exchange(w, w.sim.authorizationCode(w.venueId, REDIRECT));
    const code = w.sim.authorizationCode(w.venueId, REDIRECT);

    // Act
    const again = await exchange(w, code);
    const reused = await exchange(w, code).catch((error: unknown) => error);
    const elsewhere = await exchange(
      w,
      w.sim.authorizationCode(w.venueId, REDIRECT),
      'https://evil.example',
    ).catch((error: unknown) => error);

    // Assess
    expect(again.version).toBe(2);
    expect(reused).toBeInstanceOf(TripleseatOAuthError);
    expect((reused as TripleseatOAuthError).reason).toBe('code-refused');
    expect((reused as Error).message).toContain(`venue-sync tripleseat-auth ${w.venueId}`);
    expect((reused as Error).message).not.toContain(code);
    expect(elsewhere).toBeInstanceOf(TripleseatOAuthError);
  });
});

describe('Class: TripleseatClient lookup and probe across created_at formats', () => {
  let sim: TripleseatSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function venueRendering(createdAtFormat: CreatedAtRendering) {
    const clock = SimClock.manual(Date.UTC(2026, 10, 28, 14, 15, 0));
    sim = new TripleseatSimulator({
      clock,
      accounts: [{ venueId: 'venue-a', publicKey: 'pk_a', oauthToken: 'static_oauth_a' }],
      requestsPerSecond: 10_000,
      createdAtFormat,
      accountUtcOffsetMinutes: -300,
    });
    await sim.start();
    await fetch(`${sim.url}/v1/leads/create.js?public_key=pk_a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lead: {
          first_name: 'Zoë',
          last_name: "O'Brien",
          email_address: 'zoe@example.ie',
          phone_number: '087 123 4567',
        },
      }),
    });
    const caller = createApiCaller({ hubspotTenSecondLimit: 100, sleep: async () => undefined });
    const client = new TripleseatClient(
      { publicKey: 'pk_a', oauthToken: 'static_oauth_a', baseUrl: sim.url },
      caller,
    );
    return { client, caller, createdMs: clock.now() };
  }

  it.each([
    ['utc', '2026-11-28T14:15:00.000Z', 0],
    ['offset', '2026-11-28T09:15:00-05:00', 0],
    ['zoneless', '2026-11-28 09:15:00', 14 * 3600_000],
  ] as const)(
    'reads a %s created_at (%s) into a window holding the true instant',
    async (format, text, widening) => {
      // Prepare
      const { client, caller, createdMs } = await venueRendering(format);

      // Act
      const [lead] = await client.findLeadsByEmail('zoe@example.ie');
      const probe = await probeTripleseat(client, undefined);
      await caller.close();

      // Assess
      expect(lead).toMatchObject({
        createdAt: text,
        firstName: 'Zoë',
        lastName: "O'Brien",
        phone: '087 123 4567',
      });
      const window = lead?.createdWindow;
      expect(window && window.earliestMs <= createdMs && createdMs <= window.latestMs).toBe(true);
      expect(window && window.latestMs - window.earliestMs).toBe(2 * widening);
      expect(probe).toMatchObject({
        createdAtFormat: format,
        leadsError: undefined,
        refresh: { status: 'no-oauth' },
      });
    },
  );

  it('probes a refreshing venue: the refresh works and the pair is saved', async () => {
    // Prepare
    const client = await (async () => {
      const table = dynamo();
      const w = await startOAuthWorld(table);
      await seedLead(w, 'ada@example.com');
      return { w, ...w.client({ bootstrapRefreshToken: w.sim.grantOauth(w.venueId).refreshToken }) };
    })();

    // Act
    const probe = await probeTripleseat(client.client, client.tokens);
    client.w.sim.revokeOauth(client.w.venueId);
    const broken = await probeTripleseat(client.client, client.tokens);
    await client.w.close();

    // Assess
    expect(probe).toMatchObject({ createdAtFormat: 'utc', refresh: { status: 'ok' } });
    expect(broken.refresh).toMatchObject({ status: 'failed', reason: 'refresh-refused' });
    expect(broken.createdAtFormat).toBe('unknown');
    expect(broken.leadsError).toContain('tripleseat-auth');
  });
});

it('OAuthTokenStore refuses a stale write (version check)', async () => {
  // Prepare
  const store = new OAuthTokenStore({ client: dynamo().client, tableName: dynamo().tableName });
  const pair = { accessToken: 'a', refreshToken: 'r', issuedAtMs: 0, expiresAtMs: 1 };
  const first = await store.save('venue-store', TRIPLESEAT_OAUTH_PROVIDER, pair, undefined, 'test');

  // Act
  const second = await store.save('venue-store', TRIPLESEAT_OAUTH_PROVIDER, pair, 1, 'test');
  const stale = await store.save('venue-store', TRIPLESEAT_OAUTH_PROVIDER, pair, 1, 'test');
  const duplicateFirst = await store.save('venue-store', TRIPLESEAT_OAUTH_PROVIDER, pair, undefined, 'test');

  // Assess
  expect(first.saved && first.stored.version).toBe(1);
  expect(second.saved && second.stored.version).toBe(2);
  expect(stale.saved).toBe(false);
  expect(duplicateFirst.saved).toBe(false);
});
