/**
 * Pacing in virtual time (sandbox/virtual-time.ts): the clock moves only when every participant waits,
 * so the starts recorded here are exact and a loaded machine cannot change them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualTime } from '../../sandbox/virtual-time';
import { ApiLimiters, parseCallLimit, parseHubSpotRateHeaders } from '../../shared/rate-limit';

let time: VirtualTime;
beforeAll(() => {
  time = VirtualTime.install();
});
afterAll(() => time.uninstall());

const clock = () => ({ now: () => time.now(), sleep: (ms: number) => time.sleep(ms) });

/** Most starts inside any sliding window of `windowMs`. */
function maxInSlidingWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Schedules `count` calls at once; each takes `latencyMs` of virtual time; returns start times. */
async function runCalls(
  limiters: ApiLimiters,
  api: 'hubspot' | 'hubspot-search' | 'tripleseat' | 'webex',
  count: number,
  options: { cost?: number; latencyMs?: (index: number) => number } = {},
): Promise<number[]> {
  const origin = time.now();
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      limiters.schedule(
        api,
        async () => {
          starts.push(time.now() - origin);
          await time.sleep(options.latencyMs?.(index) ?? 50);
        },
        options.cost !== undefined ? { cost: options.cost } : {},
      ),
    ),
  );
  return starts;
}

describe('Class: ApiLimiters', () => {
  describe('Method: schedule', () => {
    it('keeps HubSpot general calls at 90% of the burst limit in any rolling 10 s', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, ...clock() });

      // Act: 140 calls = more than one window's worth
      const starts = await runCalls(limiters, 'hubspot', 140);

      // Assess
      expect(limiters.minTimeMs('hubspot')).toBeCloseTo(111.1, 0);
      expect(maxInSlidingWindow(starts, 10_000)).toBe(90);
      // The 91st waits for the first to leave the window (10 s + margin), no longer.
      expect([...starts].sort((a, b) => a - b)[90]).toBeLessThanOrEqual(10_020);
      await limiters.close();
    });

    it('paces HubSpot search at 4 and Tripleseat at 10 in any rolling second', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 190, ...clock() });

      // Act
      const [search, tripleseat] = await Promise.all([
        runCalls(limiters, 'hubspot-search', 14),
        runCalls(limiters, 'tripleseat', 30),
      ]);

      // Assess
      expect(maxInSlidingWindow(search, 1_000)).toBe(4);
      expect(maxInSlidingWindow(tripleseat, 1_000)).toBe(10);
      // At the limit, not below it: 30 calls take just over two windows.
      expect(Math.max(...tripleseat)).toBeLessThan(2_200);
      await limiters.close();
    });

    it('counts Tripleseat by send time: a slow answer never lets the next call reach the server early', async () => {
      // Prepare: a server that counts arrivals (sent + 100 ms) in a sliding second, limit 10
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, ...clock() });
      const arrivals: number[] = [];
      const origin = time.now();

      // Act: every 7th answer takes 900 ms, the rest 100 ms
      await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          limiters.schedule('tripleseat', async () => {
            arrivals.push(time.now() - origin + 100);
            await time.sleep(index % 7 === 0 ? 900 : 100);
          }),
        ),
      );

      // Assess
      expect(maxInSlidingWindow(arrivals, 1_000)).toBeLessThanOrEqual(10);
      await limiters.close();
    });

    it('spends the Webex cost budget per rolling second, admitting while room is left', async () => {
      // Prepare: 50 cost/s; queries of cost 10 -> 5 per second (the 5th fills the window)
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, webexCostPerSecond: 50, ...clock() });
      // A new limiter first waits out a window of use it never saw (test/webex/cold-start-pacing.test.ts);
      // here the server has already reported an empty window.
      limiters.observeWebexHeaders({ 'X-Secondly-Call-Limit': '0/50' });

      // Act
      const starts = await runCalls(limiters, 'webex', 12, { cost: 10 });

      // Assess
      const sorted = [...starts].sort((a, b) => a - b);
      expect(sorted[4]).toBe(0);
      expect(sorted[5]).toBeGreaterThanOrEqual(1_000);
      expect(sorted[10]).toBeGreaterThanOrEqual(2_000);
      expect(maxInSlidingWindow(starts, 1_000)).toBe(5);
      await limiters.close();
    });
  });

  describe('Method: rateLimited', () => {
    it('pauses the lane for Retry-After and widens its margin', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, ...clock() });

      // Act
      limiters.rateLimited('tripleseat', 2_000);
      const [start] = await runCalls(limiters, 'tripleseat', 1);

      // Assess
      expect(start).toBeGreaterThanOrEqual(2_000);
      await limiters.close();
    });
  });

  describe('Method: observeWebexHeaders', () => {
    it('adopts the reported limit and counts other clients use of this second', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, webexCostPerSecond: 50, ...clock() });
      const origin = time.now();

      // Act: the server says 500/s, and 495 already used this second by someone else
      limiters.observeWebexHeaders({ 'X-Secondly-Call-Limit': '495/500', 'X-Daily-Call-Limit': '62/2000' });
      await limiters.schedule('webex', async () => undefined, { cost: 10 });
      await limiters.schedule('webex', async () => undefined, { cost: 10 });

      // Assess: the first fits the 5 units left (admitted while room), the second waits for the window
      expect(limiters.webexCostPerWindow()).toBe(500);
      expect(limiters.webexDailyUsedFraction()).toBeCloseTo(0.031);
      expect(time.now() - origin).toBeGreaterThanOrEqual(1_000);
      await limiters.close();
    });

    it('parses used/limit headers', () => {
      // Act / Assess
      expect(parseCallLimit('1/500')).toEqual({ used: 1, limit: 500 });
      expect(parseCallLimit('garbage')).toBeUndefined();
    });
  });

  describe('Method: observeHubSpotHeaders', () => {
    it('counts calls other apps made in the portal window against our lane', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, ...clock() });
      const origin = time.now();

      // Act: HubSpot reports 95 of 100 used; our lane (90 of the 100) sees 85 used -> 5 left now
      limiters.observeHubSpotHeaders({
        'X-HubSpot-RateLimit-Max': '100',
        'X-HubSpot-RateLimit-Remaining': '5',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      });
      const starts = await runCalls(limiters, 'hubspot', 6);

      // Assess
      expect(starts.filter((start) => start < 10_000)).toHaveLength(5);
      expect(time.now() - origin).toBeGreaterThanOrEqual(10_000);
      expect(parseHubSpotRateHeaders({ 'x-hubspot-ratelimit-max': 'x' })).toBeUndefined();
      await limiters.close();
    });
  });
});
