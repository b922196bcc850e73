/**
 * A Tripleseat simulator with one OAuth-enabled venue, a dynalite reconciliation table, and clients built
 * as the poller builds them (refreshing token source over the table). Real HTTP, real DynamoDB protocol.
 */
import { SimClock } from '../../sandbox/sim-kit';
import { TripleseatSimulator } from '../../sandbox/tripleseat';
import { createApiCaller } from '../../shared/rate-limit';
import { OAuthTokenStore } from '../../shared/reconciliation/oauth-tokens';
import { TripleseatClient } from '../../shared/tripleseat/client';
import { RefreshingAccessToken, type TokenPairStore } from '../../shared/tripleseat/oauth';
import { tripleseatAccessTokens } from '../../shared/tripleseat/venue-access';
import type { LocalDynamo } from '../../sandbox/local-dynamo';

export const OAUTH_VENUE = {
  venueId: 'venue-oauth',
  publicKey: 'pk_venue_oauth',
  oauthClient: { clientId: 'ts-client-id', clientSecret: 'ts-client-secret-value' },
};

export interface OAuthWorld {
  clock: SimClock;
  sim: TripleseatSimulator;
  venueId: string;
  tokenStore: OAuthTokenStore;
  /** A fresh "process": its own caller and token source over the shared table. */
  client(options?: { bootstrapRefreshToken?: string; store?: TokenPairStore }): {
    client: TripleseatClient;
    tokens: RefreshingAccessToken;
  };
  close(): Promise<void>;
}

let worldSeq = 0;

export async function startOAuthWorld(
  dynamo: LocalDynamo,
  options: { lifetimeSeconds?: number } = {},
): Promise<OAuthWorld> {
  const clock = SimClock.manual();
  // Each world its own venue id, so worlds sharing one table (one per test file) never see each other's pair.
  const venueId = `${OAUTH_VENUE.venueId}-${++worldSeq}`;
  const sim = new TripleseatSimulator({
    clock,
    accounts: [{ ...OAUTH_VENUE, venueId }],
    requestsPerSecond: 10_000,
    accessTokenLifetimeSeconds: options.lifetimeSeconds ?? 7200,
  });
  await sim.start();
  const tokenStore = new OAuthTokenStore({
    client: dynamo.client,
    tableName: dynamo.tableName,
    now: () => clock.now(),
  });
  const callers: Array<{ close(): Promise<void> }> = [];
  return {
    clock,
    sim,
    venueId,
    tokenStore,
    client: ({ bootstrapRefreshToken, store } = {}) => {
      const caller = createApiCaller({
        hubspotTenSecondLimit: 100,
        sleep: async () => undefined,
        limiters: { tripleseatPerSecond: 10_000 },
      });
      callers.push(caller);
      const tokens = tripleseatAccessTokens({
        venueId,
        credentials: {
          tripleseatClientId: OAUTH_VENUE.oauthClient.clientId,
          tripleseatClientSecret: OAUTH_VENUE.oauthClient.clientSecret,
          tripleseatRefreshToken: bootstrapRefreshToken,
        },
        baseUrl: sim.url,
        caller,
        tokenStore: store ?? tokenStore,
        now: () => clock.now(),
      });
      if (!(tokens instanceof RefreshingAccessToken)) throw new Error('expected a refreshing token source');
      return {
        client: new TripleseatClient({ publicKey: OAUTH_VENUE.publicKey, baseUrl: sim.url, tokens }, caller),
        tokens,
      };
    },
    close: async () => {
      await Promise.all(callers.map((caller) => caller.close()));
      await sim.close();
    },
  };
}

/** A lead in the simulator, created through the public-key route like the poller does. */
export async function seedLead(world: OAuthWorld, email: string): Promise<void> {
  const response = await fetch(`${world.sim.url}/v1/leads/create.js?public_key=${OAUTH_VENUE.publicKey}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      lead: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email_address: email,
        phone_number: '+1 617 555 0100',
      },
    }),
  });
  if (response.status !== 200) throw new Error(`seeding a lead failed: ${response.status}`);
}
