/**
 * Builds what every handler needs from its parsed environment: the DynamoDB store and the one
 * ApiCaller (limiters + retry policy + the portal's shared HubSpot budget).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createApiCaller,
  SharedBudget,
  type ApiCallStats,
  type ApiName,
  type VenueSyncApiCaller,
} from '../rate-limit';
import type { ApiCallEvent } from '../rate-limit/api-caller';
import { HubSpotContacts } from '../hubspot/contacts';
import { createHubSpotApis } from '../hubspot/sdk';
import { ReconciliationStore } from '../reconciliation';
import { OAuthTokenStore } from '../reconciliation/oauth-tokens';
import type { AccessTokenSource } from '../tripleseat/oauth';
import { tripleseatAccessTokens } from '../tripleseat/venue-access';
import { requireCredential, type Credentials } from './credentials';
import type { DecisionLog } from '../sync/decision-log';

export interface CommonRuntimeEnv {
  TABLE_NAME: string;
  AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
  AWS_REGION?: string | undefined;
  HUBSPOT_TEN_SECOND_LIMIT: number;
  HUBSPOT_DAILY_LIMIT: number;
  HUBSPOT_PORTAL_KEY: string;
  VENUE_SYNC_TIME_SCALE: number;
}

export interface RuntimeResources {
  dynamo: DynamoDBClient;
  store: ReconciliationStore;
  caller: VenueSyncApiCaller;
  now: () => number;
}

export interface RuntimeOverrides {
  /** The sandbox's and bench's clock (scaled time); defaults to Date.now. */
  now?: () => number;
}

/**
 * HubSpot allows 5 searches per second per account, counted over any second. One token per 300 ms
 * window (3.3/s) keeps even a second that straddles windows, plus a call's own latency, at or below 5.
 */
const SEARCH_WINDOW_MS = 300;

export function createRuntime(
  env: CommonRuntimeEnv,
  log: DecisionLog,
  overrides: RuntimeOverrides = {},
): RuntimeResources {
  const now = overrides.now ?? Date.now;
  const dynamo = new DynamoDBClient(
    env.AWS_ENDPOINT_URL_DYNAMODB
      ? // A local engine (sandbox, tests): it ignores credentials, and real ones must never be looked up.
        {
          endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
          region: env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const timeScale = env.VENUE_SYNC_TIME_SCALE;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / timeScale));
  const sharedBudget = SharedBudget.forHubSpot({
    client: dynamo,
    tableName: env.TABLE_NAME,
    portalKey: env.HUBSPOT_PORTAL_KEY,
    tenSecondLimit: env.HUBSPOT_TEN_SECOND_LIMIT,
    dailyLimit: env.HUBSPOT_DAILY_LIMIT,
    now,
    sleep,
  });
  // Search has its own limit (5/s per account, HubSpot's API usage guidelines), shared by every function of the portal
  // too; its windows live under the same IAM-granted partition prefix (`BUDGET#hubspot#<portal>#search`).
  const sharedSearchBudget = new SharedBudget({
    client: dynamo,
    tableName: env.TABLE_NAME,
    portalKey: `${env.HUBSPOT_PORTAL_KEY}#search`,
    limitPerWindow: 1,
    windowMs: SEARCH_WINDOW_MS,
    now,
    sleep,
  });
  const caller = createApiCaller({
    hubspotTenSecondLimit: env.HUBSPOT_TEN_SECOND_LIMIT,
    sharedBudget,
    sharedSearchBudget,
    timeScale,
    sleep,
    now,
    onEvent: (event: ApiCallEvent) => log.warn(`api ${event.type}`, { ...event }),
  });
  return {
    dynamo,
    store: new ReconciliationStore({ client: dynamo, tableName: env.TABLE_NAME, now }),
    caller,
    now,
  };
}

/**
 * The caller lives as long as the container, so its counters add up across invocations; a run
 * reports only its own calls: take a snapshot at the start, ask for the difference at the end.
 */
export function apiCallsSince(caller: Pick<VenueSyncApiCaller, 'stats'>): () => ApiCallStats {
  const before = structuredClone(caller.stats());
  return () => {
    const now = caller.stats();
    const minus = (a: Record<ApiName, number>, b: Record<ApiName, number>) =>
      Object.fromEntries(Object.entries(a).map(([api, n]) => [api, n - b[api as ApiName]])) as Record<
        ApiName,
        number
      >;
    return {
      calls: minus(now.calls, before.calls),
      rateLimited: minus(now.rateLimited, before.rateLimited),
      retries: minus(now.retries, before.retries),
    };
  };
}

/** The HubSpot contacts adapter every sync handler builds from its credentials. */
export function hubspotContactsFor(
  credentials: Credentials,
  env: { HUBSPOT_BASE_URL: string },
  caller: VenueSyncApiCaller,
): HubSpotContacts {
  const accessToken = requireCredential(credentials, 'hubspotToken', 'HUBSPOT_TOKEN');
  const apis = createHubSpotApis({
    accessToken,
    baseUrl: env.HUBSPOT_BASE_URL,
    onResponseHeaders: (headers) => caller.observeHubSpotHeaders(headers),
  });
  return new HubSpotContacts(apis, caller);
}

/**
 * A Tripleseat venue's OAuth access in a handler, or undefined without OAuth credentials. Refreshed pairs
 * rotate in the venue's own table partition (shared/reconciliation/oauth-tokens.ts), not in the secret.
 */
export function tripleseatTokensFor(
  credentials: Credentials,
  env: { VENUE_ID: string; TRIPLESEAT_BASE_URI: string; TABLE_NAME: string },
  runtime: Pick<RuntimeResources, 'dynamo' | 'caller' | 'now'>,
): AccessTokenSource | undefined {
  return tripleseatAccessTokens({
    venueId: env.VENUE_ID,
    credentials,
    baseUrl: env.TRIPLESEAT_BASE_URI,
    caller: runtime.caller,
    tokenStore: new OAuthTokenStore({ client: runtime.dynamo, tableName: env.TABLE_NAME, now: runtime.now }),
    now: runtime.now,
  });
}
