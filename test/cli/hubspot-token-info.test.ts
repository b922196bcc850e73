/** HubSpot token introspection always sends `Authorization: Bearer` (EU `pat-eu1-` tokens need it). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotAdmin } from '../../ops/hubspot-admin';
import { HubSpotSimulator, TOKEN_INFO_PATH } from '../../sandbox/hubspot';
import { createHubSpotApis } from '../../shared/hubspot/sdk';
import { createApiCaller } from '../../shared/rate-limit';

const EU_TOKEN = 'pat-eu1-00000000-0000-4000-8000-simeu0000042';
let hubspot: HubSpotSimulator;

beforeAll(async () => {
  hubspot = new HubSpotSimulator({ tokens: [EU_TOKEN] });
  await hubspot.start();
});
afterAll(async () => {
  await hubspot.close();
});

describe('HubSpotAdmin.tokenInfo', () => {
  it('sends the token as a Bearer header as well as in the body', async () => {
    // Prepare
    const caller = createApiCaller({ hubspotTenSecondLimit: 100 });
    const admin = new HubSpotAdmin(
      createHubSpotApis({ accessToken: EU_TOKEN, baseUrl: hubspot.url }),
      caller,
      {
        token: EU_TOKEN,
        baseUrl: hubspot.url,
      },
    );

    // Act
    const info = await admin.tokenInfo();
    await caller.close();

    // Assess: the simulator logs the last 4 characters of the Authorization header's credential
    expect(info.scopes.length).toBeGreaterThan(0);
    const calls = hubspot.log.entries.filter((entry) => entry.path === TOKEN_INFO_PATH);
    expect(calls).toEqual([expect.objectContaining({ status: 200, credential: EU_TOKEN.slice(-4) })]);
  });
});
