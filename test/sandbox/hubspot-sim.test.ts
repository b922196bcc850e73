/**
 * Contract tests for the HubSpot simulator, driven through the real `@hubspot/api-client` 13.5 over
 * HTTP. They pin the behaviour in HubSpot's CRM v3 docs and the Node SDK so adapters built against the simulator
 * meet the same status codes, bodies, headers, caps and limits as the real API.
 */
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HUBSPOT_TOKEN, HubSpotSimulator, type HubSpotSimulatorOptions } from '../../sandbox/hubspot';
import { SimClock } from '../../sandbox/sim-kit';

const FLAG = 'tripleseat_sync_venue_a';
const running: HubSpotSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function startSim(
  options: HubSpotSimulatorOptions = {},
  token = DEFAULT_HUBSPOT_TOKEN,
): Promise<{ sim: HubSpotSimulator; client: Client; clock: SimClock }> {
  const clock = options.clock ?? SimClock.manual();
  const sim = new HubSpotSimulator({ ...options, clock });
  running.push(sim);
  await sim.start();
  sim.defineProperty({
    name: FLAG,
    label: 'Tripleseat Sync - Venue A',
    type: 'bool',
    fieldType: 'booleancheckbox',
    groupName: 'venue_sync',
  });
  sim.defineProperty({
    name: 'webex_status',
    label: 'Webex Registration Status',
    type: 'enumeration',
    fieldType: 'select',
    options: [
      { label: 'Registered', value: 'Registered' },
      { label: 'Attended', value: 'Attended' },
    ],
  });
  return { sim, client: clientFor(sim, token), clock };
}

function clientFor(sim: HubSpotSimulator, token: string): Client {
  return new Client({ accessToken: token, basePath: sim.url, numberOfApiCallRetries: 0 });
}

/** Awaits a call that must fail and returns what it threw (an ApiException from the SDK). */
async function failure(
  call: Promise<unknown>,
): Promise<{ code?: number; body?: Record<string, unknown>; headers?: Record<string, string> } & Error> {
  try {
    await call;
  } catch (error) {
    return error as {
      code?: number;
      body?: Record<string, unknown>;
      headers?: Record<string, string>;
    } & Error;
  }
  throw new Error('expected the call to fail');
}

function seedContacts(
  sim: HubSpotSimulator,
  count: number,
  extra: (index: number) => Record<string, string> = () => ({}),
): string[] {
  return Array.from({ length: count }, (_, index) =>
    sim.createContact({ email: `guest${index}@example.com`, firstname: `Guest${index}`, ...extra(index) }),
  );
}

const flagIsTrue = [{ filters: [{ propertyName: FLAG, operator: FilterOperatorEnum.Eq, value: 'true' }] }];

describe('Class: HubSpotSimulator', () => {
  describe('Endpoint: POST /crm/v3/objects/contacts/search', () => {
    it('pages with integer `after` offsets at limit 200 and omits paging on the last page', async () => {
      // Prepare
      const { sim, client } = await startSim();
      seedContacts(sim, 450, () => ({ [FLAG]: 'true' }));

      // Act
      const pages = [];
      let after: string | undefined = '0';
      while (after !== undefined) {
        const page = await client.crm.contacts.searchApi.doSearch({
          filterGroups: flagIsTrue,
          sorts: ['hs_object_id'],
          properties: ['email'],
          limit: 200,
          after,
        });
        pages.push(page);
        after = page.paging?.next?.after;
      }

      // Assess
      expect(pages.map((page) => page.results.length)).toEqual([200, 200, 50]);
      expect(pages.map((page) => page.paging?.next?.after)).toEqual(['200', '400', undefined]);
      expect(pages[2]?.paging).toBeUndefined();
      expect(pages[0]?.total).toBe(450);
      const ids = pages.flatMap((page) => page.results.map((result) => Number(result.id)));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(Object.keys(pages[0]?.results[0]?.properties ?? {}).sort()).toEqual([
        'createdate',
        'email',
        'hs_object_id',
        'lastmodifieddate',
      ]);
    });

    it('answers 400 when paging beyond 10,000 results or asking for more than 200', async () => {
      // Prepare
      const { client } = await startSim();

      // Act
      const beyondCap = await failure(client.crm.contacts.searchApi.doSearch({ limit: 200, after: '9900' }));
      const tooLarge = await failure(client.crm.contacts.searchApi.doSearch({ limit: 201, after: '0' }));
      const atCap = await client.crm.contacts.searchApi.doSearch({ limit: 200, after: '9800' });

      // Assess
      expect(beyondCap.code).toBe(400);
      expect(beyondCap.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(String(beyondCap.body?.message)).toContain('10,000');
      expect(tooLarge.code).toBe(400);
      expect(atCap).toMatchObject({ total: 0, results: [] });
      expect(atCap.paging).toBeUndefined();
    });

    it('ORs groups, ANDs filters, compares ids numerically and enumerations case-sensitively', async () => {
      // Prepare
      const { sim, client, clock } = await startSim();
      const ids = seedContacts(sim, 12, (index) => ({
        company: index % 2 === 0 ? 'Harbour Boats' : 'Other',
        ...(index < 3 ? { webex_status: 'Registered' } : {}),
      }));
      // Search allows 5 calls a second: step the clock past each window instead of sleeping.
      const search = (filterGroups: unknown, sorts: unknown[] = []) => {
        clock.advance(1_000);
        return client.crm.contacts.searchApi.doSearch({
          filterGroups: filterGroups as never,
          sorts: sorts as string[],
          limit: 100,
          after: '0',
        });
      };

      // Act
      const numeric = await search([
        { filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: ids[9] }] },
      ]);
      const ored = await search([
        { filters: [{ propertyName: 'email', operator: 'EQ', value: 'GUEST1@EXAMPLE.COM' }] },
        {
          filters: [
            { propertyName: 'company', operator: 'EQ', value: 'harbour boats' },
            { propertyName: 'hs_object_id', operator: 'LTE', value: ids[2] },
          ],
        },
      ]);
      const enumExact = await search([
        { filters: [{ propertyName: 'webex_status', operator: 'EQ', value: 'Registered' }] },
      ]);
      const enumWrongCase = await search([
        { filters: [{ propertyName: 'webex_status', operator: 'EQ', value: 'registered' }] },
      ]);
      const inLowercase = await search([
        { filters: [{ propertyName: 'company', operator: 'IN', values: ['other'] }] },
      ]);
      const inUppercase = await search([
        { filters: [{ propertyName: 'company', operator: 'IN', values: ['Other'] }] },
      ]);
      const notHas = await search([
        { filters: [{ propertyName: 'webex_status', operator: 'NOT_HAS_PROPERTY' }] },
      ]);
      const newestFirst = await search([], [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }]);

      // Assess
      expect(numeric.results.map((result) => result.id)).toEqual([ids[10], ids[11]]);
      expect(ored.results.map((result) => result.id)).toEqual([ids[0], ids[1], ids[2]]);
      expect(enumExact.total).toBe(3);
      expect(enumWrongCase.total).toBe(0);
      expect(inLowercase.total).toBe(6);
      expect(inUppercase.total).toBe(0);
      expect(notHas.total).toBe(9);
      expect(newestFirst.results[0]?.id).toBe(ids[11]);
    });

    it('hides writes from search until the index lag has passed', async () => {
      // Prepare
      const { sim, client, clock } = await startSim({ searchIndexLagMs: 5_000 });
      const [id] = seedContacts(sim, 1);
      clock.advance(10_000);
      const query = { filterGroups: flagIsTrue, limit: 10, after: '0' };

      // Act
      sim.setProperty(id as string, FLAG, 'true');
      const immediately = await client.crm.contacts.searchApi.doSearch(query);
      clock.advance(4_999);
      const justBefore = await client.crm.contacts.searchApi.doSearch(query);
      clock.advance(1);
      const afterLag = await client.crm.contacts.searchApi.doSearch(query);

      // Assess
      expect(immediately.total).toBe(0);
      expect(justBefore.total).toBe(0);
      expect(afterLag.results.map((result) => result.id)).toEqual([id]);
    });
  });

  describe('Endpoint: POST /crm/v3/objects/contacts/batch/*', () => {
    it('applies the valid inputs of a batch update and answers 207 with errors for the rest', async () => {
      // Prepare
      const { sim, client } = await startSim();
      const [good, badValue] = seedContacts(sim, 2);

      // Act
      const response = await client.crm.contacts.batchApi.update({
        inputs: [
          { id: good as string, properties: { [FLAG]: 'false', webex_status: 'Attended' } },
          { id: badValue as string, properties: { webex_status: 'ATTENDED' } },
          { id: '999999', properties: { firstname: 'Nobody' } },
        ],
      });

      // Assess
      expect(response.results.map((result) => result.id)).toEqual([good]);
      expect('errors' in response && response.errors?.map((error) => error.category)).toEqual([
        'OBJECT_NOT_FOUND',
        'VALIDATION_ERROR',
      ]);
      expect(JSON.stringify(response)).toContain('INVALID_OPTION');
      expect(sim.getContact(good as string)?.properties).toMatchObject({
        [FLAG]: 'false',
        webex_status: 'Attended',
      });
      expect(sim.getContact(badValue as string)?.properties.webex_status).toBeUndefined();
    });

    it('rejects duplicate ids and batches over 100 inputs with 400', async () => {
      // Prepare
      const { sim, client } = await startSim();
      const [id] = seedContacts(sim, 1);

      // Act
      const duplicate = await failure(
        client.crm.contacts.batchApi.update({
          inputs: [
            { id: id as string, properties: { firstname: 'A' } },
            { id: id as string, properties: { firstname: 'B' } },
          ],
        }),
      );
      const tooMany = await failure(
        client.crm.contacts.batchApi.read({
          inputs: Array.from({ length: 101 }, (_, index) => ({ id: String(index + 1) })),
          properties: [],
          propertiesWithHistory: [],
        }),
      );

      // Assess
      expect(duplicate.code).toBe(400);
      expect(String(duplicate.body?.message)).toContain('Duplicate IDs found in batch input');
      expect(tooMany.code).toBe(400);
      expect(tooMany.body?.category).toBe('VALIDATION_ERROR');
      expect(sim.getContact(id as string)?.properties.firstname).toBe('Guest0');
    });

    it('reads property history newest first, with 207 for unknown ids and a 50-input cap', async () => {
      // Prepare
      const { sim, client, clock } = await startSim();
      const [id] = seedContacts(sim, 1);
      clock.advance(60_000);
      sim.setProperty(id as string, FLAG, 'true');
      clock.advance(60_000);
      await client.crm.contacts.batchApi.update({
        inputs: [{ id: id as string, properties: { [FLAG]: 'false' } }],
      });

      // Act
      const read = await client.crm.contacts.batchApi.read({
        inputs: [{ id: id as string }, { id: '424242' }],
        properties: [FLAG],
        propertiesWithHistory: [FLAG],
      });
      const overCap = await failure(
        client.crm.contacts.batchApi.read({
          inputs: Array.from({ length: 51 }, (_, index) => ({ id: String(index + 1) })),
          properties: [],
          propertiesWithHistory: [FLAG],
        }),
      );

      // Assess
      const history = read.results[0]?.propertiesWithHistory?.[FLAG] ?? [];
      expect(history.map((entry) => [entry.value, entry.sourceType, entry.timestamp.toISOString()])).toEqual([
        ['false', 'INTEGRATION', '2026-11-23T12:02:00.000Z'],
        ['true', 'CRM_UI', '2026-11-23T12:01:00.000Z'],
      ]);
      expect(read.results[0]?.properties[FLAG]).toBe('false');
      expect('errors' in read && read.errors?.[0]).toMatchObject({
        category: 'OBJECT_NOT_FOUND',
        context: { ids: ['424242'] },
      });
      expect(overCap.code).toBe(400);
      expect(overCap.body?.message).toBe(
        'The maximum number of inputs supported in a batch request for property histories is 50.',
      );
    });

    it('upserts by email and flags which contacts are new', async () => {
      // Prepare
      const { sim, client } = await startSim();
      const [existing] = seedContacts(sim, 1);

      // Act
      const response = await client.crm.contacts.batchApi.upsert({
        inputs: [
          { id: 'guest0@example.com', idProperty: 'email', properties: { lastname: 'Known' } },
          { id: 'New.Person@Example.com', idProperty: 'email', properties: { firstname: 'New' } },
        ],
      });
      const duplicates = await failure(
        client.crm.contacts.batchApi.upsert({
          inputs: [
            { id: 'a@example.com', idProperty: 'email', properties: {} },
            { id: 'A@example.com', idProperty: 'email', properties: {} },
          ],
        }),
      );

      // Assess
      expect(response.results.map((result) => [result.id === existing, result._new])).toEqual([
        [true, false],
        [false, true],
      ]);
      expect(sim.findByEmail('new.person@example.com')?.properties.firstname).toBe('New');
      expect(sim.getContact(existing as string)?.properties.lastname).toBe('Known');
      expect(duplicates.code).toBe(400);
    });
  });

  describe('Endpoint: /crm/v3/objects/contacts (basic)', () => {
    it('creates with 201, refuses a taken email with 409 and validates values', async () => {
      // Prepare
      const { sim, client } = await startSim();
      const [existing] = seedContacts(sim, 1);

      // Act
      const created = await client.crm.contacts.basicApi.create({
        properties: { email: 'fresh@example.com' },
        associations: [],
      });
      const conflict = await failure(
        client.crm.contacts.basicApi.create({
          properties: { email: 'GUEST0@example.com' },
          associations: [],
        }),
      );
      const invalid = await failure(
        client.crm.contacts.basicApi.update(created.id, { properties: { [FLAG]: 'yes', no_such_prop: 'x' } }),
      );
      const missing = await failure(client.crm.contacts.basicApi.getById('31337'));

      // Assess
      expect(Number(created.id)).toBeGreaterThan(Number(existing));
      expect(conflict.code).toBe(409);
      expect(conflict.body).toMatchObject({
        category: 'CONFLICT',
        message: `Contact already exists. Existing ID: ${existing}`,
      });
      expect(invalid.code).toBe(400);
      expect(String(invalid.body?.message)).toMatch(/INVALID_BOOLEAN[\s\S]*PROPERTY_DOESNT_EXIST/);
      expect(missing.body).toMatchObject({
        status: 'error',
        message: 'Object not found.  objectId are usually numeric.',
        context: { id: ['31337'] },
        category: 'OBJECT_NOT_FOUND',
      });
    });
  });

  describe('Endpoint: /crm/v3/properties/contacts', () => {
    it('lists properties with labels that differ from names and creates new ones', async () => {
      // Prepare
      const { client } = await startSim();

      // Act
      const all = await client.crm.properties.coreApi.getAll('contacts');
      await client.crm.properties.groupsApi.create('contacts', {
        name: 'venue_sync_group',
        label: 'venue-sync',
      });
      const created = await client.crm.properties.coreApi.create('contacts', {
        name: 'tripleseat_lead_id',
        label: 'Tripleseat Lead ID',
        type: 'string' as never,
        fieldType: 'text' as never,
        groupName: 'venue_sync_group',
      });
      const again = await failure(
        client.crm.properties.coreApi.create('contacts', {
          name: 'tripleseat_lead_id',
          label: 'Again',
          type: 'string' as never,
          fieldType: 'text' as never,
          groupName: 'venue_sync_group',
        }),
      );

      // Assess
      const labels = Object.fromEntries(all.results.map((property) => [property.label, property.name]));
      expect(labels).toMatchObject({
        'First Name': 'firstname',
        'Phone Number': 'phone',
        'Company Name': 'company',
        'Tripleseat Sync - Venue A': FLAG,
      });
      expect(
        all.results.find((property) => property.name === FLAG)?.options.map((option) => option.value),
      ).toEqual(['true', 'false']);
      expect(created).toMatchObject({
        name: 'tripleseat_lead_id',
        groupName: 'venue_sync_group',
        hubspotDefined: false,
      });
      expect(again.code).toBe(409);
    });
  });

  describe('Auth', () => {
    it('answers 401 INVALID_AUTHENTICATION for unknown and revoked tokens, 403 for a missing scope', async () => {
      // Prepare
      const { sim } = await startSim({
        tokens: ['pat-good', 'pat-revoked', { token: 'pat-readonly', scopes: ['crm.objects.contacts.read'] }],
      });
      sim.revokeToken('pat-revoked');

      // Act
      const unknown = await failure(clientFor(sim, 'pat-nope').crm.contacts.basicApi.getById('1'));
      const revoked = await failure(clientFor(sim, 'pat-revoked').crm.contacts.basicApi.getById('1'));
      const readOnly = await failure(
        clientFor(sim, 'pat-readonly').crm.contacts.batchApi.update({
          inputs: [{ id: '1', properties: {} }],
        }),
      );
      const info = await clientFor(sim, 'pat-readonly').apiRequest({
        method: 'POST',
        path: '/oauth/v2/private-apps/get/access-token-info',
        body: { tokenKey: 'pat-readonly' },
      });

      // Assess
      for (const error of [unknown, revoked]) {
        expect(error.code).toBe(401);
        expect(error.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
        expect(String(error.body?.message)).toMatch(/^Authentication credentials not found\./);
        expect(typeof error.body?.correlationId).toBe('string');
      }
      expect(readOnly.code).toBe(403);
      expect(readOnly.body?.category).toBe('MISSING_SCOPES');
      expect(await info.json()).toEqual({
        userId: expect.any(Number),
        hubId: sim.portalId,
        appId: expect.any(Number),
        scopes: ['crm.objects.contacts.read'],
      });
    });
  });

  describe('Rate limits', () => {
    it('answers the ten-secondly 429 with its body and headers, and recovers when the window rolls', async () => {
      // Prepare
      const { sim, client, clock } = await startSim({ tenSecondLimit: 3, portalId: 777 });
      const call = () => client.crm.contacts.basicApi.getPage(1);

      // Act
      const first = await client.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts?limit=1' });
      await call();
      await call();
      const limited = await failure(call());
      clock.advance(10_000);
      const recovered = await call();

      // Assess
      expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('3');
      expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('2');
      expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
      expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('249999');
      expect(limited.code).toBe(429);
      expect(limited.body).toEqual({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: 'publicapi:private_app-api-calls-ten-secondly:4000001:777',
      });
      expect(limited.headers?.['x-hubspot-ratelimit-remaining']).toBe('0');
      expect(limited.headers?.['retry-after']).toBeUndefined();
      expect(recovered.results).toEqual([]);
      expect(sim.rateLimited429s).toBe(1);
    });

    it('limits search to 5/s in its own bucket with the secondly 429 body and daily headers only', async () => {
      // Prepare
      const { sim, client, clock } = await startSim({ tenSecondLimit: 2 });
      const search = () =>
        client.apiRequest({ method: 'POST', path: '/crm/v3/objects/contacts/search', body: { limit: 1 } });

      // Act
      const statuses = [];
      for (let index = 0; index < 6; index += 1) statuses.push((await search()).status);
      const limited = await search();
      const limitedBody = await limited.json();
      clock.advance(1_000);
      const recovered = await search();
      const nonSearch = await client.crm.contacts.basicApi.getPage(1);

      // Assess
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(limitedBody).toEqual({
        status: 'error',
        message: 'You have reached your secondly limit.',
        correlationId: expect.any(String),
        category: 'RATE_LIMITS',
      });
      expect(limited.headers.get('x-hubspot-ratelimit-daily')).not.toBeNull();
      expect(limited.headers.get('x-hubspot-ratelimit-max')).toBeNull();
      expect(recovered.status).toBe(200);
      expect(recovered.headers.get('x-hubspot-ratelimit-remaining')).toBeNull();
      expect(nonSearch.results).toEqual([]);
      expect(sim.rateLimited429sByPolicy).toEqual({ TEN_SECONDLY_ROLLING: 0, SECONDLY: 2, DAILY: 0 });
    });

    it('answers the DAILY 429 once the daily budget is spent, until midnight', async () => {
      // Prepare
      const { client, clock } = await startSim({ dailyLimit: 2 });
      await client.crm.contacts.basicApi.getPage(1);
      await client.crm.contacts.searchApi.doSearch({ limit: 1 });

      // Act
      const limited = await failure(client.crm.contacts.basicApi.getPage(1));
      clock.advance(12 * 3_600_000);
      const nextDay = await client.crm.contacts.basicApi.getPage(1);

      // Assess
      expect(limited.code).toBe(429);
      expect(limited.body).toMatchObject({
        status: 'error',
        message: 'You have reached your daily limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'DAILY',
      });
      expect(nextDay.results).toEqual([]);
    });
  });

  describe('Fault injection', () => {
    it('serves an injected 503 as JSON and applies a write whose answer is dropped', async () => {
      // Prepare
      const { sim, client } = await startSim();
      const [id] = seedContacts(sim, 1);
      sim.faults.add({ match: /^GET \/crm\/v3\/properties/, status: 503, times: 1 });
      sim.faults.add({
        match: /^POST \/crm\/v3\/objects\/contacts\/batch\/update$/,
        dropAnswerAfterWrite: true,
        times: 1,
      });

      // Act
      const injected = await failure(client.crm.properties.coreApi.getAll('contacts'));
      const dropped = await failure(
        client.crm.contacts.batchApi.update({
          inputs: [{ id: id as string, properties: { [FLAG]: 'true' } }],
        }),
      );
      const afterFaults = await client.crm.properties.coreApi.getAll('contacts');

      // Assess
      expect(injected.code).toBe(503);
      expect(dropped.code).not.toBeTypeOf('number'); // a socket error, not an HTTP answer
      expect(sim.getContact(id as string)?.properties[FLAG]).toBe('true');
      expect(sim.history(id as string, FLAG)[0]?.sourceType).toBe('INTEGRATION');
      expect(afterFaults.results.length).toBeGreaterThan(10);
      expect(sim.callCounts()).toMatchObject({
        'GET /crm/v3/properties/contacts': 2,
        'POST /crm/v3/objects/contacts/batch/update': 1,
      });
    });

    it('replays the same correlation ids for the same seed', async () => {
      // Prepare
      const runs = await Promise.all([startSim({ seed: 7 }), startSim({ seed: 7 })]);

      // Act
      const ids = await Promise.all(
        runs.map(
          async ({ client }) =>
            (await failure(client.crm.contacts.basicApi.getById('1'))).body?.correlationId,
        ),
      );

      // Assess
      expect(ids[0]).toEqual(ids[1]);
    });
  });
});
