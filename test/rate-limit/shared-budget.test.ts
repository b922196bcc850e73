import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../sandbox/local-dynamo';
import { SimClock } from '../../sandbox/sim-kit';
import { VirtualTime } from '../../sandbox/virtual-time';
import {
  DailyLimitError,
  SharedBudget,
  createApiCaller,
  errorFromHttp,
  errorFromNetwork,
  hubspotTokensPerWindow,
} from '../../shared/rate-limit';

const TEN_SECOND_LIMIT = 100;
/** Virtual time (sandbox/virtual-time.ts): the scale is 1 and CPU load cannot move the clock. */
const TIME_SCALE = 1;
/**
 * Wall-clock allowance per test: virtual time makes the outcome independent of CPU load, not the wall
 * time it takes on a loaded 2-core machine. A hang guard, not a performance bound.
 */
const HANG_GUARD_MS = 300_000;

/** A tiny HubSpot stand-in: counts requests in a rolling 10 s of clock time and 429s above the limit. */
async function startCountingServer(clock: SimClock): Promise<{
  url: string;
  served: number[];
  rejected: () => number;
  close: () => Promise<void>;
}> {
  const served: number[] = [];
  let rejected = 0;
  const server: Server = createServer((_req, res) => {
    const now = clock.now();
    const inWindow = served.filter((at) => at > now - 10_000).length;
    if (inWindow >= TEN_SECOND_LIMIT) {
      rejected += 1;
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          policyName: 'TEN_SECONDLY_ROLLING',
        }),
      );
      return;
    }
    served.push(now);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    rejected: () => rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function hubspotGet(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw errorFromNetwork('hubspot', error, 'HubSpot test call');
  }
  const body = await response.text();
  if (!response.ok)
    throw errorFromHttp(
      'hubspot',
      { status: response.status, headers: response.headers, body },
      'HubSpot test call',
    );
  return JSON.parse(body) as unknown;
}

describe('Class: SharedBudget', { timeout: HANG_GUARD_MS }, () => {
  let dynamo: LocalDynamo;
  let time: VirtualTime;

  beforeAll(async () => {
    time = VirtualTime.install();
    dynamo = await startLocalDynamo();
  }, HANG_GUARD_MS);

  afterAll(async () => {
    await dynamo.close();
    time.uninstall();
  }, HANG_GUARD_MS);

  it('keeps 4 concurrent functions under the portal burst limit with zero 429s', async () => {
    // Prepare
    const clock = SimClock.scaled(TIME_SCALE);
    const server = await startCountingServer(clock);
    const functions = Array.from({ length: 4 }, () => {
      const budget = SharedBudget.forHubSpot({
        client: dynamo.client,
        tableName: dynamo.tableName,
        portalKey: 'portal-4-functions',
        tenSecondLimit: TEN_SECOND_LIMIT,
        dailyLimit: 250_000,
        now: () => clock.now(),
        sleep: (ms) => clock.sleep(ms),
      });
      const caller = createApiCaller({
        hubspotTenSecondLimit: TEN_SECOND_LIMIT,
        sharedBudget: budget,
        timeScale: TIME_SCALE,
        sleep: (ms) => clock.sleep(ms),
      });
      return { budget, caller };
    });
    const callsPerFunction = 30;

    // Act
    await Promise.all(
      functions.map(({ caller }) =>
        Promise.all(
          Array.from({ length: callsPerFunction }, () =>
            caller.call('hubspot', () => hubspotGet(server.url)),
          ),
        ),
      ),
    );
    // From first to last served: start-up (SDK, connections) is not pacing.
    const elapsedSimMs = Math.max(...server.served) - Math.min(...server.served);
    // Closing flushes each function's daily count; one after another, so the last sees the total.
    for (const { caller } of functions) await caller.close();
    await server.close();

    // Assess: nothing bounced, everything served, at close to the paced rate (9 per simulated second)
    expect(server.rejected()).toBe(0);
    expect(server.served).toHaveLength(4 * callsPerFunction);
    expect(functions.reduce((sum, { caller }) => sum + caller.stats().rateLimited.hubspot, 0)).toBe(0);
    expect(functions.reduce((sum, { caller }) => sum + caller.stats().calls.hubspot, 0)).toBe(120);
    const perSecond = (4 * callsPerFunction) / (elapsedSimMs / 1_000);
    // Measured from first to last call served, a fixed-window pace can read up to one window's worth
    // above the budget (the first window's head and the last window's tail are not counted); the
    // rolling limit itself is proven by the zero rejections above.
    expect(perSecond).toBeLessThanOrEqual(hubspotTokensPerWindow(TEN_SECOND_LIMIT) * 1.3);
    // In virtual time loopback and dynalite take no simulated time: the budget alone sets the pace.
    expect(perSecond).toBeGreaterThan(hubspotTokensPerWindow(TEN_SECOND_LIMIT) * 0.8);
    // One UpdateItem per call, plus daily flushes and one failed conditional write per waiting call
    // per full window (the price of contention: 16 callers share 8 tokens a second here).
    const writes = functions.reduce((sum, { budget }) => sum + budget.stats().writes, 0);
    expect(writes).toBeLessThan(120 * 3);
    // The shared daily counter saw every call.
    expect(functions[3]?.budget.dailyUsedFraction()).toBeCloseTo(120 / 250_000, 6);
  });

  it('waits for the next window when the current one is full', async () => {
    // Prepare
    const clock = SimClock.manual(Date.UTC(2026, 10, 23, 12, 0, 0, 500));
    const waits: number[] = [];
    const budget = new SharedBudget({
      client: dynamo.client,
      tableName: dynamo.tableName,
      portalKey: 'portal-window',
      limitPerWindow: 3,
      now: () => clock.now(),
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
      random: () => 0,
    });

    // Act
    for (let i = 0; i < 4; i += 1) await budget.acquire();

    // Assess: 3 fit in the window that started at .000, the 4th waited the 500 ms to the next one
    expect(waits).toEqual([500]);
    expect(budget.stats()).toMatchObject({ waits: 1, tokensAcquired: 4 });
  });

  it('reserves tokens in batches to cut DynamoDB writes', async () => {
    // Prepare
    const clock = SimClock.manual();
    const budget = new SharedBudget({
      client: dynamo.client,
      tableName: dynamo.tableName,
      portalKey: 'portal-batch',
      limitPerWindow: 10,
      tokensPerReservation: 5,
      now: () => clock.now(),
      sleep: async (ms) => clock.advance(ms),
    });

    // Act
    for (let i = 0; i < 10; i += 1) await budget.acquire();

    // Assess
    expect(budget.stats().writes).toBe(2);
  });

  it('stops with DailyLimitError once the shared daily budget is spent, across functions', async () => {
    // Prepare
    const clock = SimClock.manual();
    const make = (): SharedBudget =>
      new SharedBudget({
        client: dynamo.client,
        tableName: dynamo.tableName,
        portalKey: 'portal-daily',
        limitPerWindow: 100,
        dailyLimit: 10,
        dailyStopFraction: 1,
        dailyFlushEvery: 1,
        now: () => clock.now(),
        sleep: async (ms) => clock.advance(ms),
      });
    const first = make();
    const second = make();

    // Act
    for (let i = 0; i < 6; i += 1) await first.acquire();
    for (let i = 0; i < 4; i += 1) await second.acquire();
    // `first` still believes 6 were used (its view lags by what others did since its last flush);
    // this call goes through and its flush brings the portal-wide total (11).
    await first.acquire();
    const outcome = first.acquire();

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(DailyLimitError);
    expect(first.dailyUsedFraction()).toBeCloseTo(1.1);
  });
});
