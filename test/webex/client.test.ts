/** WebexClient against the simulator: token errors, unknown events, zod-parsed pages, endpoint by token. */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, PermanentApiError, createApiCaller } from '../../shared/rate-limit';
import { WebexClient, webexApiUrl } from '../../shared/webex/client';
import { WEBEX_FIELDS } from '../../shared/webex/fields';
import { WebexSimulator } from '../../sandbox/webex';
import { WEBEX_TOKEN } from './world';

describe('Class: WebexClient', () => {
  let sim: WebexSimulator | undefined;
  const caller = createApiCaller({ hubspotTenSecondLimit: 100, timeScale: 50 });

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function start(): Promise<WebexSimulator> {
    sim = new WebexSimulator({ tokens: [WEBEX_TOKEN] });
    await sim.start();
    return sim;
  }

  it('pages attendees with Relay cursors and lists events', async () => {
    // Prepare
    const webex = await start();
    const eventId = webex.addEvent({ name: 'Harbor Summit 2026', startDate: '2026-05-04T09:00:00Z' });
    webex.seedAttendees(eventId, 25);
    const client = new WebexClient({ token: WEBEX_TOKEN, apiUrl: webex.url }, caller);

    // Act
    const events = await client.listEvents();
    const first = await client.attendeesPage(eventId, undefined, 20, WEBEX_FIELDS);
    const second = await client.attendeesPage(eventId, first.endCursor, 20, WEBEX_FIELDS);

    // Assess
    expect(events.map((event) => event.id)).toEqual([eventId]);
    expect(first.items[0]?.values['event.name']).toBe('Harbor Summit 2026');
    expect(first.items).toHaveLength(20);
    expect(first.hasNextPage).toBe(true);
    expect(second.items).toHaveLength(5);
    expect(second.hasNextPage).toBe(false);
    expect(first.totalCount).toBe(25);
  });

  it('turns INVALID_TOKEN and TOKEN_IS_REQUIRED into an AuthError that says what to fix', async () => {
    // Prepare
    const webex = await start();
    const wrong = new WebexClient({ token: 'sk_test_wrong', apiUrl: webex.url }, caller);
    const empty = new WebexClient({ token: '', apiUrl: webex.url }, caller);

    // Act
    const invalid = wrong.listEvents();
    const missing = empty.listEvents();

    // Assess
    await expect(invalid).rejects.toBeInstanceOf(AuthError);
    await expect(invalid).rejects.toThrow(/INVALID_TOKEN.*webexToken/);
    await expect(missing).rejects.toBeInstanceOf(AuthError);
    await expect(missing).rejects.toThrow(/TOKEN_IS_REQUIRED/);
  });

  it('reports an unknown event as a permanent error (GraphQL errors[] with 200)', async () => {
    // Prepare
    const webex = await start();
    const client = new WebexClient({ token: WEBEX_TOKEN, apiUrl: webex.url }, caller);

    // Act
    const page = client.attendeesPage(999_999, undefined, 10, WEBEX_FIELDS);

    // Assess
    await expect(page).rejects.toBeInstanceOf(PermanentApiError);
    await expect(page).rejects.toThrow(/RECORD_NOT_FOUND/);
  });

  it('introspects the schema once per client and counts it as a Webex call', async () => {
    // Prepare
    const webex = await start();
    const eventId = webex.addEvent({ name: 'Harbor Summit 2026' });
    webex.seedAttendees(eventId, 5);
    const counting = createApiCaller({ hubspotTenSecondLimit: 100, timeScale: 50 });
    const bodies: string[] = [];
    const recording: typeof fetch = (input, init) => {
      bodies.push(typeof init?.body === 'string' ? init.body : '');
      return fetch(input, init);
    };
    const client = new WebexClient({ token: WEBEX_TOKEN, apiUrl: webex.url, fetch: recording }, counting);

    // Act
    await client.readableFields(WEBEX_FIELDS);
    await client.attendeesPage(eventId, undefined, 10, WEBEX_FIELDS);
    await client.listEventIds();

    // Assess
    expect(bodies.filter((body) => body.includes('__schema'))).toHaveLength(1);
    expect(bodies).toHaveLength(3);
    expect(counting.stats().calls.webex).toBe(3);
    await counting.close();
  });

  it('picks the endpoint by token unless WEBEX_API_URL is set', () => {
    // Assess
    expect(webexApiUrl('sk_live_abc')).toBe('https://public.api.socio.events/graphql');
    expect(webexApiUrl('sk_test_abc')).toBe('https://public.sandbox-api.socio.events/graphql');
    expect(webexApiUrl('anything-else')).toBe('https://public.sandbox-api.socio.events/graphql');
    expect(webexApiUrl('sk_live_abc', 'http://127.0.0.1:9/graphql')).toBe('http://127.0.0.1:9/graphql');
  });
});
