/** WebexClient against the simulator: token errors, unknown events, zod-parsed pages. */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, PermanentApiError, createApiCaller } from '../../shared/rate-limit';
import { WebexClient } from '../../shared/webex/client';
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
    const first = await client.attendeesPage(eventId, undefined, 20);
    const second = await client.attendeesPage(eventId, first.endCursor, 20);

    // Assess
    expect(events.map((event) => event.id)).toEqual([eventId]);
    expect(first.event.name).toBe('Harbor Summit 2026');
    expect(first.attendees).toHaveLength(20);
    expect(first.hasNextPage).toBe(true);
    expect(second.attendees).toHaveLength(5);
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
    const page = client.attendeesPage(999_999, undefined, 10);

    // Assess
    await expect(page).rejects.toBeInstanceOf(PermanentApiError);
    await expect(page).rejects.toThrow(/RECORD_NOT_FOUND/);
  });
});
