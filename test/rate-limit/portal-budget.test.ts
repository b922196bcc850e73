/**
 * Several functions (venue pollers + the Webex sync) draw from one HubSpot portal's limit. Each
 * "function" here has its own ApiCaller, its own SharedBudget and its own DynamoDB client, as separate
 * Lambdas would; they share only the table and the portal, and talk to the HubSpot simulator (which
 * enforces the real 10-second rolling limit on the scaled clock) through the real SDK.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HUBSPOT_TOKEN } from '../../sandbox/hubspot';
import { LOCAL_AWS } from '../../sandbox/local-dynamo';
import { World } from '../../sandbox/world';
import { HubSpotContacts } from '../../shared/hubspot/contacts';
import { createHubSpotApis } from '../../shared/hubspot/sdk';
import { createApiCaller, SharedBudget } from '../../shared/rate-limit';

const TIME_SCALE = 20;
const FUNCTIONS = 4;
const CALLS_EACH = 60;

let world: World;
beforeAll(async () => {
  world = await World.start({ timeScale: TIME_SCALE, hubspot: { tenSecondLimit: 100 } });
});
afterAll(async () => world.close());

function oneFunction(withSharedBudget: boolean) {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / TIME_SCALE));
  const now = () => world.clock.now();
  const sharedBudget = withSharedBudget
    ? SharedBudget.forHubSpot({
        client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: world.dynamo.endpoint }),
        tableName: world.dynamo.tableName,
        portalKey: 'portal-1',
        tenSecondLimit: 100,
        now,
        sleep,
      })
    : undefined;
  // One attempt: a 429 here must be counted, not retried away.
  const caller = createApiCaller({
    hubspotTenSecondLimit: 100,
    timeScale: TIME_SCALE,
    sleep,
    maxAttempts: 1,
    sharedBudget,
  });
  const contacts = new HubSpotContacts(
    createHubSpotApis({ accessToken: DEFAULT_HUBSPOT_TOKEN, baseUrl: world.hubspot.url }),
    caller,
  );
  return async () => {
    for (let i = 0; i < CALLS_EACH; i++) await contacts.listProperties().catch(() => undefined);
    await caller.close();
  };
}

describe('Shared HubSpot budget across functions', () => {
  it('keeps four concurrent functions under the portal limit: zero 429s from our own traffic', async () => {
    const before = world.hubspot.rateLimited429s;

    await Promise.all(Array.from({ length: FUNCTIONS }, () => oneFunction(true)()));

    expect(world.hubspot.rateLimited429s - before).toBe(0);
  });

  it('(control) without the shared budget the same four functions do hit 429s', async () => {
    world.clock.advance(60_000); // a fresh rolling window
    const before = world.hubspot.rateLimited429s;

    await Promise.all(Array.from({ length: FUNCTIONS }, () => oneFunction(false)()));

    expect(world.hubspot.rateLimited429s - before).toBeGreaterThan(0);
  });
});
