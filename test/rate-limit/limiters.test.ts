import { describe, expect, it } from 'vitest';
import { ApiLimiters, parseCallLimit } from '../../shared/rate-limit';

const SCALE = 20; // API time runs 20x faster than wall time

/** Most starts inside any sliding window of `windowMs` API-time, given start times in API-time ms. */
function maxInSlidingWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j += 1;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function runCalls(
  limiters: ApiLimiters,
  api: 'hubspot' | 'hubspot-search' | 'tripleseat' | 'webex',
  count: number,
  cost?: number,
  scale = SCALE,
): Promise<number[]> {
  const origin = performance.now();
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      limiters.schedule(
        api,
        async () => {
          starts.push((performance.now() - origin) * scale);
        },
        cost !== undefined ? { cost } : {},
      ),
    ),
  );
  const first = Math.min(...starts);
  return starts.map((start) => start - first);
}

describe('Class: ApiLimiters', () => {
  describe('Method: schedule', () => {
    it('paces HubSpot general calls below the 10 s burst limit in any rolling window', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, timeScale: SCALE });

      // Act: 140 calls = more than one 10 s window of API time (~1.2 s wall)
      const starts = await runCalls(limiters, 'hubspot', 140);

      // Assess
      expect(limiters.minTimeMs('hubspot')).toBeCloseTo(111.1, 0);
      expect(maxInSlidingWindow(starts, 10_000)).toBeLessThanOrEqual(100);
      expect(Math.max(...starts)).toBeGreaterThan(139 * 111 * 0.9); // spread, not bunched
      await limiters.close();
    });

    it('paces HubSpot search at 4/s and Tripleseat at 9/s', async () => {
      // Prepare
      // A gentler scale: the per-second paces are short intervals, and timer lateness must not bunch them.
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 190, timeScale: 5 });

      // Act
      const [search, tripleseat] = await Promise.all([
        runCalls(limiters, 'hubspot-search', 14, undefined, 5),
        runCalls(limiters, 'tripleseat', 30, undefined, 5),
      ]);

      // Assess
      // 950 ms windows leave room for timer lateness (a late start followed by an on-time one).
      expect(maxInSlidingWindow(search, 950)).toBeLessThanOrEqual(5);
      expect(maxInSlidingWindow(tripleseat, 950)).toBeLessThanOrEqual(10);
      await limiters.close();
    });

    it('spends the Webex cost budget per second, weight = cost', async () => {
      // Prepare: 50 cost/s -> 45 paced; 12 queries of cost 10 need 3 windows (4 per window)
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, webexCostPerSecond: 50, timeScale: 5 });

      // Act
      const starts = await runCalls(limiters, 'webex', 12, 10, 5);

      // Assess: 4 queries (40 cost) per refresh: the 5th waits for the 2nd window, the 9th for the 3rd
      const sorted = [...starts].sort((a, b) => a - b);
      expect(sorted[3]).toBeLessThan(500);
      expect(sorted[4]).toBeGreaterThanOrEqual(800);
      expect(sorted[8]).toBeGreaterThanOrEqual(1_800);
      // Fixed refresh windows: a sliding second can straddle two of them, never more.
      expect(maxInSlidingWindow(starts, 1_000)).toBeLessThanOrEqual(8);
      await limiters.close();
    });
  });

  describe('Method: observeWebexHeaders', () => {
    it('adopts the reported limit and shrinks the reservoir when Webex shows less room', async () => {
      // Prepare
      const limiters = new ApiLimiters({ hubspotTenSecondLimit: 100, webexCostPerSecond: 50, timeScale: 1 });

      // Act: the server says 500/s, and 445 already used this second by someone else
      limiters.observeWebexHeaders({ 'X-Secondly-Call-Limit': '445/500', 'X-Daily-Call-Limit': '62/2000' });
      await new Promise((resolve) => setTimeout(resolve, 10));

      // Assess
      expect(limiters.webexCostPerWindow()).toBe(450);
      expect(limiters.webexDailyUsedFraction()).toBeCloseTo(0.031);
      // Only 5 cost units are left this second: a cost-10 query has to wait for the refresh.
      const started = performance.now();
      await limiters.schedule('webex', async () => undefined, { cost: 10 });
      expect(performance.now() - started).toBeGreaterThan(50);
      await limiters.close();
    });

    it('parses used/limit headers', () => {
      // Act / Assess
      expect(parseCallLimit('1/500')).toEqual({ used: 1, limit: 500 });
      expect(parseCallLimit('garbage')).toBeUndefined();
    });
  });
});
