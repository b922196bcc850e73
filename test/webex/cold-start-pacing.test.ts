/**
 * A new Webex client (a new container, or the next invocation built from scratch) must not spend the
 * token's cost window blind. The previous run may have just overdrawn the current second (the server
 * admits a query while any budget is left and charges it in full), and a fresh limiter cannot see that
 * until an answer reports it. Seen in the bench's "10 % changed" re-sync: its cost-1 introspection,
 * sent 200 ms after the unchanged pass left the second at 505/500, came back 429.
 *
 * Real WebexClient and limiters against the Webex simulator over HTTP, in virtual time
 * (sandbox/virtual-time.ts): the clock moves only when everyone waits, so load cannot change the
 * timings asserted here. No mocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebexSimulator } from '../../sandbox/webex';
import { VirtualTime } from '../../sandbox/virtual-time';
import { createApiCaller, type VenueSyncApiCaller } from '../../shared/rate-limit';
import { WebexClient } from '../../shared/webex/client';
import { WEBEX_FIELDS } from '../../shared/webex/fields';
import { WEBEX_TOKEN } from './world';

/** A hang guard for a loaded machine, not a performance bound. */
const HANG_GUARD_MS = 120_000;
const SECONDLY_COST_LIMIT = 500;

interface Answer {
  /** Virtual time the answer came back. */
  at: number;
  status: number;
  /** `X-Secondly-Call-Limit` used part. */
  used: number;
}

/** The fetch the client sends with, noting each answer's status and reported use. */
function recordingFetch(answers: Answer[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const used = Number(response.headers.get('x-secondly-call-limit')?.split('/')[0] ?? Number.NaN);
    answers.push({ at: Date.now(), status: response.status, used });
    return response;
  };
}

/** What one scheduled run builds: its own limiters (caller) and client, as a cold container does. */
function newRun(sim: WebexSimulator, answers: Answer[]): { caller: VenueSyncApiCaller; client: WebexClient } {
  const caller = createApiCaller({ hubspotTenSecondLimit: 100 });
  const client = new WebexClient(
    { token: WEBEX_TOKEN, apiUrl: sim.url, fetch: recordingFetch(answers) },
    caller,
  );
  return { caller, client };
}

async function readAll(client: WebexClient, eventId: number): Promise<number> {
  let people = 0;
  for await (const page of client.attendeePages(eventId, undefined, { fields: WEBEX_FIELDS, pageSize: 100 }))
    people += page.registrants.length;
  return people;
}

describe('Webex pacing across invocations of one token', () => {
  let time: VirtualTime;
  let sim: WebexSimulator;
  let eventId: number;

  beforeAll(async () => {
    time = VirtualTime.install();
    sim = new WebexSimulator({ tokens: [WEBEX_TOKEN], secondlyCostLimit: SECONDLY_COST_LIMIT });
    await sim.start();
    eventId = sim.addEvent({ name: 'Harbor Summit 2026', startDate: '2026-05-04T09:00:00Z' });
    // 5 pages of 100: with the introspection, 1 + 5 x 101 = 506 cost in one second.
    sim.seedAttendees(eventId, 500);
  });

  afterAll(async () => {
    await sim.close();
    time.uninstall();
  });

  it(
    'waits out the window a previous run may have filled before its first query: no 429',
    async () => {
      // Prepare: the previous run reads the whole event and leaves the second overdrawn
      const previousAnswers: Answer[] = [];
      const previous = newRun(sim, previousAnswers);
      expect(await readAll(previous.client, eventId)).toBe(500);
      await previous.caller.close();
      expect(previousAnswers.at(-1)?.used).toBeGreaterThanOrEqual(SECONDLY_COST_LIMIT);
      const previousEnd = Date.now();

      // Act: the next run starts at once (a new container: a new caller and client)
      const nextAnswers: Answer[] = [];
      const next = newRun(sim, nextAnswers);
      const people = await readAll(next.client, eventId);

      // Assess: every answer of the next run is a 200, the first one a window after the previous run
      expect(people).toBe(500);
      expect(nextAnswers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(next.caller.stats().rateLimited.webex).toBe(0);
      expect(sim.log.count((entry) => entry.status === 429)).toBe(0);
      const firstAnswer = nextAnswers[0]?.at ?? Number.NaN;
      expect(firstAnswer - previousEnd).toBeGreaterThanOrEqual(1_000);
      // One window (1 s plus the lane's 10 ms margin), not more: the cold start costs at most that.
      expect(firstAnswer - previousEnd).toBeLessThanOrEqual(1_011);
      await next.caller.close();
    },
    HANG_GUARD_MS,
  );

  it(
    'does not wait when the limiter was made a window or more before its first query',
    async () => {
      // Prepare: a caller made at container start, then a second of other work
      const answers: Answer[] = [];
      const run = newRun(sim, answers);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const before = Date.now();

      // Act
      await run.client.readableFields(WEBEX_FIELDS);

      // Assess: the introspection went straight out
      expect(answers.map((answer) => answer.status)).toEqual([200]);
      expect(answers[0]?.at).toBe(before);
      await run.caller.close();
    },
    HANG_GUARD_MS,
  );
});
