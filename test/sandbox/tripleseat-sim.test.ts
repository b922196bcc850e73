/**
 * Contract of the Tripleseat simulator over plain HTTP: the adapter in shared/tripleseat is written
 * against exactly these requests and answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../sandbox/sim-kit';
import { TripleseatSimulator } from '../../sandbox/tripleseat';

const VENUE_A = {
  venueId: 'venue-a',
  publicKey: 'pk_venue_a',
  oauthToken: 'oauth_venue_a',
  leadFormIds: ['11'],
};
const VENUE_B = { venueId: 'venue-b', publicKey: 'pk_venue_b', locationIds: ['7'] };

const validLead = {
  first_name: 'José',
  last_name: 'Müller',
  email_address: 'jose.muller@example.com',
  phone_number: '+1 555 010 2345',
};

describe('Class: TripleseatSimulator', () => {
  let clock: SimClock;
  let sim: TripleseatSimulator;

  beforeEach(async () => {
    clock = SimClock.manual();
    sim = new TripleseatSimulator({ clock, accounts: [VENUE_A, VENUE_B], seed: 7 });
    await sim.start();
  });

  afterEach(async () => {
    await sim.close();
  });

  const postJson = (publicKey: string, body: unknown, query = ''): Promise<Response> =>
    fetch(`${sim.url}/v1/leads/create.js?public_key=${publicKey}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const oauthGet = (path: string, token = VENUE_A.oauthToken): Promise<Response> =>
    fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  describe('Method: POST /v1/leads/create.js', () => {
    it('stores a JSON lead in the account whose public key was used, and only there', async () => {
      // Act
      const response = await postJson(VENUE_A.publicKey, { lead: { ...validLead, lead_form_id: '11' } });

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { success_message: string; lead_id: number };
      expect(body.success_message).toBe('Lead was successfully created.');
      expect(sim.leads('venue-a')).toEqual([
        expect.objectContaining({
          id: body.lead_id,
          ...validLead,
          lead_form_id: '11',
          created_at: new Date(clock.now()).toISOString(),
        }),
      ]);
      expect(sim.leads('venue-b')).toEqual([]);
    });

    it('accepts a form-encoded lead with a top-level location_id', async () => {
      // Prepare
      const form = new URLSearchParams({
        'lead[first_name]': 'Zoë',
        'lead[last_name]': "O'Brien",
        'lead[email_address]': 'zoe@example.ie',
        'lead[phone_number]': '087 123 4567',
        'lead[guest_count]': '40',
        location_id: '7',
      });

      // Act
      const response = await fetch(`${sim.url}/v1/leads/create.js?public_key=${VENUE_B.publicKey}`, {
        method: 'POST',
        body: form,
      });

      // Assess
      expect(response.status).toBe(200);
      expect(sim.leads('venue-b')).toEqual([
        expect.objectContaining({ last_name: "O'Brien", guest_count: '40', location_id: '7' }),
      ]);
      expect(sim.leads('venue-a')).toEqual([]);
    });

    it('answers 200 with a Rails-style errors map for a missing last name and an invalid email', async () => {
      // Act
      const response = await postJson(VENUE_A.publicKey, {
        lead: { ...validLead, last_name: '', email_address: ' jose@example.com' },
      });

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        errors: { last_name: ["can't be blank"], email_address: ['is invalid'] },
      });
      expect(sim.allLeads()).toEqual([]);
    });

    it('rejects a lead form id of another account, with 422 when configured so', async () => {
      // Prepare
      const strict = new TripleseatSimulator({ clock, accounts: [VENUE_A], validationErrorStatus: 422 });
      await strict.start();

      // Act
      const response = await fetch(
        `${strict.url}/v1/leads/create.js?public_key=${VENUE_A.publicKey}&lead_form_id=99`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ lead: validLead }),
        },
      );
      await strict.close();

      // Assess
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ errors: { lead_form_id: ['is not valid for this account'] } });
    });

    it('answers 401 with a JSON error for an unknown or rotated public key', async () => {
      // Prepare
      sim.rotatePublicKey('venue-a', 'pk_venue_a_2');

      // Act
      const unknown = await postJson('pk_nobody', { lead: validLead });
      const rotated = await postJson(VENUE_A.publicKey, { lead: validLead });
      const fresh = await postJson('pk_venue_a_2', { lead: validLead });

      // Assess
      expect(unknown.status).toBe(401);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await unknown.json()).toEqual({
        error: 'invalid_public_key',
        error_description: 'The public key is not valid.',
      });
      expect(rotated.status).toBe(401);
      expect(fresh.status).toBe(200);
      expect(sim.leads('venue-a')).toHaveLength(1);
    });

    it('stores the lead even when the answer is dropped after the write', async () => {
      // Prepare
      sim.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });

      // Act
      const outcome = await postJson(VENUE_A.publicKey, { lead: validLead }).then(
        () => 'answered',
        () => 'failed',
      );

      // Assess
      expect(outcome).toBe('failed');
      expect(sim.leads('venue-a')).toEqual([
        expect.objectContaining({ email_address: validLead.email_address }),
      ]);
      expect(sim.log.entries.at(-1)).toMatchObject({ path: '/v1/leads/create.js', status: 0 });
    });
  });

  describe('Method: OAuth leads REST API', () => {
    it('pages search results 50 at a time and matches on email and name', async () => {
      // Prepare
      for (let i = 0; i < 120; i++) {
        await postJson(VENUE_A.publicKey, {
          lead: { ...validLead, first_name: `Guest${i}`, email_address: `guest${i}@Example.com` },
        });
        clock.advance(200); // stay under 10 requests/s
      }
      await postJson(VENUE_B.publicKey, { lead: { ...validLead, email_address: 'guest999@example.com' } });
      clock.advance(1000);

      // Act
      const pages = [];
      for (const page of [1, 2, 3, 4]) {
        const response = await oauthGet(`/v1/leads/search.json?query=example.com&page=${page}`);
        pages.push(
          (await response.json()) as {
            results: Array<{ lead: { email_address: string } }>;
            total_pages: number;
          },
        );
      }
      const byName = (await (await oauthGet('/v1/leads/search.json?query=guest7%20m')).json()) as {
        results: Array<{ lead: { first_name: string } }>;
      };

      // Assess
      expect(pages.map((page) => page.results.length)).toEqual([50, 50, 20, 0]);
      expect(pages.every((page) => page.total_pages === 3)).toBe(true);
      const emails = pages.flatMap((page) => page.results.map((result) => result.lead.email_address));
      expect(new Set(emails).size).toBe(120);
      expect(emails).not.toContain('guest999@example.com');
      expect(byName.results.map((result) => result.lead.first_name)).toEqual(['Guest7']);
    });

    it('gets and deletes a lead by id', async () => {
      // Prepare
      const created = (await (await postJson(VENUE_A.publicKey, { lead: validLead })).json()) as {
        lead_id: number;
      };

      // Act
      const got = await oauthGet(`/v1/leads/${created.lead_id}.json`);
      const deleted = await fetch(`${sim.url}/v1/leads/${created.lead_id}.json`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${VENUE_A.oauthToken}` },
      });
      const gone = await oauthGet(`/v1/leads/${created.lead_id}.json`);

      // Assess
      expect(got.status).toBe(200);
      const body = (await got.json()) as { lead: Record<string, unknown> };
      expect(body.lead).toMatchObject({ id: created.lead_id, ...validLead, status: 'new' });
      expect(body.lead).not.toHaveProperty('venueId');
      expect(deleted.status).toBe(200);
      expect(gone.status).toBe(404);
      expect(sim.leads('venue-a')).toEqual([]);
    });

    it('answers 401 with an OAuth hint when a public key is used instead of a token', async () => {
      // Act
      const asBearer = await oauthGet('/v1/leads/search.json?query=x', VENUE_A.publicKey);
      const asQuery = await fetch(`${sim.url}/v1/leads/search.json?query=x&public_key=${VENUE_A.publicKey}`);
      const missing = await fetch(`${sim.url}/v1/leads/search.json?query=x`);

      // Assess
      for (const response of [asBearer, asQuery, missing]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
        const body = (await response.json()) as { error: string; error_description: string };
        expect(body.error).toBe('invalid_token');
        expect(body.error_description).toContain('OAuth 2.0 access token');
      }
    });

    it('answers 401 after the token is revoked', async () => {
      // Prepare
      sim.revokeOauth('venue-a');

      // Act
      const response = await oauthGet('/v1/leads/search.json?query=x');

      // Assess
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: 'invalid_token',
        error_description: 'The access token was revoked.',
      });
    });
  });

  describe('Method: rate limit', () => {
    it('answers 429 with Retry-After past 10 requests per second and recovers when the clock moves', async () => {
      // Act
      const statuses = [];
      for (let i = 0; i < 11; i++) statuses.push((await oauthGet('/v1/leads/search.json?query=x')).status);
      const limited = await oauthGet('/v1/leads/search.json?query=x');
      const otherVenue = await postJson(VENUE_B.publicKey, { lead: validLead });
      clock.advance(1000);
      const recovered = await oauthGet('/v1/leads/search.json?query=x');

      // Assess
      expect(statuses).toEqual([...Array<number>(10).fill(200), 429]);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
      expect(otherVenue.status).toBe(200);
      expect(recovered.status).toBe(200);
    });
  });
});

describe('Class: TripleseatSimulator OAuth 2.0 token endpoint', () => {
  const client = { clientId: 'cid', clientSecret: 'csecret' };
  let clock: SimClock;
  let sim: TripleseatSimulator;

  beforeEach(async () => {
    clock = SimClock.manual();
    sim = new TripleseatSimulator({
      clock,
      accounts: [{ venueId: 'venue-a', publicKey: 'pk_a', oauthClient: client }],
      accessTokenLifetimeSeconds: 60,
    });
    await sim.start();
  });

  afterEach(async () => {
    await sim.close();
  });

  const token = (form: Record<string, string>) =>
    fetch(`${sim.url}/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });
  const search = (accessToken: string) =>
    fetch(`${sim.url}/v1/leads/search.json?query=x`, { headers: { authorization: `Bearer ${accessToken}` } });

  it('rotates: the old refresh token works until the new access token is used, then is refused', async () => {
    // Prepare
    const { accessToken: oldAccess, refreshToken: oldRefresh } = sim.grantOauth('venue-a');
    const refresh = {
      grant_type: 'refresh_token',
      refresh_token: oldRefresh,
      client_id: 'cid',
      client_secret: 'csecret',
    };

    // Act
    const first = (await (await token(refresh)).json()) as { access_token: string; expires_in: number };
    const beforeUse = await token(refresh); // a racing refresher with the same token
    const used = await search(first.access_token);
    const afterUse = await token(refresh);
    const oldAccessAfter = await search(oldAccess);
    clock.advance(60_000);
    const expired = await search(first.access_token);

    // Assess
    expect(first.expires_in).toBe(60);
    expect(beforeUse.status).toBe(200);
    expect(used.status).toBe(200);
    expect(afterUse.status).toBe(400);
    expect(await afterUse.json()).toMatchObject({ error: 'invalid_grant' });
    expect(oldAccessAfter.status).toBe(401);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({
      error: 'invalid_token',
      error_description: 'The access token expired.',
    });
  });

  it('refuses an unknown client with 401 invalid_client', async () => {
    // Act
    const response = await token({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: 'cid',
      client_secret: 'wrong',
    });

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
