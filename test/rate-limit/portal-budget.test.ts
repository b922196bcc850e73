/**
 * Several functions (venue pollers + the Webex sync) draw from one HubSpot portal's limit. Each
 * "function" here has its own ApiCaller, its own SharedBudget and its own DynamoDB client, as separate
 * Lambdas would; they share only the table and the portal, and talk to the HubSpot simulator (which
 * enforces the real 10-second rolling limit) through the real SDK. Everything runs in virtual time
 * (sandbox/virtual-time.ts): the clock moves only when every function, the simulator and dynalite are
 * waiting, so CPU load cannot bunch calls at the simulator and the counts are exact.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HUBSPOT_TOKEN } from '../../sandbox/hubspot';
import { LOCAL_AWS } from '../../sandbox/local-dynamo';
import { VirtualTime } from '../../sandbox/virtual-time';
import { World } from '../../sandbox/world';
import { HubSpotContacts } from '../../shared/hubspot/contacts';
import { createHubSpotApis } from '../../shared/hubspot/sdk';
import { createApiCaller, hubspotTokensPerWindow, SharedBudget } from '../../shared/rate-limit';
import { createRuntime, hubspotContactsFor } from '../../shared/runtime/resources';
import { silentLog } from '../../shared/sync/decision-log';

const TIME_SCALE = 1;
/**
 * Wall-clock allowance per test. Virtual time makes the outcome independent of CPU load, but not the
 * wall time it takes to get there: on a 2-core machine shared with other suites a test of a few
 * hundred calls through dynalite can take a minute. This is a hang guard, not a performance bound.
 */
const HANG_GUARD_MS = 300_000;
const FUNCTIONS = 4;
const CALLS_EACH = 60;

let world: World;
let time: VirtualTime;
beforeAll(async () => {
  time = VirtualTime.install();
  world = await World.start({ timeScale: TIME_SCALE, hubspot: { tenSecondLimit: 100 } });
}, HANG_GUARD_MS);
afterAll(async () => {
  await world.close();
  time.uninstall();
}, HANG_GUARD_MS);

function oneFunction(
  withSharedBudget: boolean,
  on: World = world,
  timeScale = TIME_SCALE,
  calls = CALLS_EACH,
) {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / timeScale));
  const now = () => on.clock.now();
  const sharedBudget = withSharedBudget
    ? SharedBudget.forHubSpot({
        client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: on.dynamo.endpoint }),
        tableName: on.dynamo.tableName,
        portalKey: 'portal-1',
        tenSecondLimit: 100,
        now,
        sleep,
      })
    : undefined;
  // One attempt: a 429 here must be counted, not retried away.
  const caller = createApiCaller({
    hubspotTenSecondLimit: 100,
    timeScale,
    sleep,
    maxAttempts: 1,
    sharedBudget,
  });
  const contacts = new HubSpotContacts(
    createHubSpotApis({ accessToken: DEFAULT_HUBSPOT_TOKEN, baseUrl: on.hubspot.url }),
    caller,
  );
  return async () => {
    for (let i = 0; i < calls; i++) await contacts.listProperties().catch(() => undefined);
    await caller.close();
  };
}

/** `used` of every burst window the shared budget wrote for `portalKey`. */
async function tokensPerWindow(portalKey: string): Promise<number[]> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...LOCAL_AWS, endpoint: world.dynamo.endpoint }),
  );
  const answer = await doc.send(
    new QueryCommand({
      TableName: world.dynamo.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :window)',
      ExpressionAttributeValues: { ':pk': `BUDGET#hubspot#${portalKey}`, ':window': 'WINDOW#' },
    }),
  );
  return (answer.Items ?? []).map((item) => Number(item['used']));
}

describe('Shared HubSpot budget across functions', { timeout: HANG_GUARD_MS }, () => {
  it('keeps four concurrent functions under the portal limit: zero 429s from our own traffic', async () => {
    const before = world.hubspot.rateLimited429s;

    await Promise.all(Array.from({ length: FUNCTIONS }, () => oneFunction(true)()));

    expect(world.hubspot.rateLimited429s - before).toBe(0);
    // The budget's own contract, read back from the table and independent of when anything ran: no
    // window handed out more than its share, and every call took a token.
    const windows = await tokensPerWindow('portal-1');
    expect(Math.max(...windows)).toBeLessThanOrEqual(hubspotTokensPerWindow(100));
    expect(windows.reduce((sum, used) => sum + used, 0)).toBe(FUNCTIONS * CALLS_EACH);
  });

  it('(control) without the shared budget the same four functions do hit 429s', async () => {
    // The four unshared lanes (90 per 10 s each) outrun the portal's 100 per 10 s.
    const control = await World.start({ hubspot: { tenSecondLimit: 100 } });
    try {
      await Promise.all(Array.from({ length: FUNCTIONS }, () => oneFunction(false, control, 1, 40)()));

      expect(control.hubspot.rateLimited429s).toBeGreaterThan(0);
    } finally {
      await control.close();
    }
  });
});

describe('Shared HubSpot search budget across functions', { timeout: HANG_GUARD_MS }, () => {
  const SEARCH_TIME_SCALE = 1;

  it('keeps four concurrent functions under the 5/s search limit with the runtime the handlers use', async () => {
    const searchWorld = await World.start();
    try {
      const env = {
        TABLE_NAME: searchWorld.dynamo.tableName,
        AWS_ENDPOINT_URL_DYNAMODB: searchWorld.dynamo.endpoint,
        HUBSPOT_TEN_SECOND_LIMIT: 190,
        HUBSPOT_DAILY_LIMIT: 1_000_000,
        HUBSPOT_PORTAL_KEY: 'portal-search',
        VENUE_SYNC_TIME_SCALE: SEARCH_TIME_SCALE,
      };

      await Promise.all(
        Array.from({ length: FUNCTIONS }, async () => {
          const runtime = createRuntime(env, silentLog, { now: () => searchWorld.clock.now() });
          const contacts = hubspotContactsFor(
            { hubspotToken: DEFAULT_HUBSPOT_TOKEN },
            { HUBSPOT_BASE_URL: searchWorld.hubspot.url },
            runtime.caller,
          );
          for (let i = 0; i < 10; i++) await contacts.searchFlagged('tripleseat_sync_venue_a', '0', 10);
          await runtime.caller.close();
        }),
      );

      expect(searchWorld.hubspot.log.count((entry) => entry.path.endsWith('/search'))).toBe(FUNCTIONS * 10);
      expect(searchWorld.hubspot.rateLimited429sByPolicy.SECONDLY).toBe(0);
    } finally {
      await searchWorld.close();
    }
  });
});
