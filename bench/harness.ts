/**
 * What every bench scenario shares: a World (dynalite + the three simulators on one scaled clock,
 * enforcing the real limits), a network latency on every simulated API, the real handlers run the
 * way Lambda runs them, and measurement by diffing the simulators' request logs.
 */
import { profiled, type CpuSplit } from './cpu-profile';
import { meterDynamo, type DynamoUsage } from './dynamo-meter';
import { randomUUID } from 'node:crypto';
import { createHandler as createPollerHandler } from '../lambdas/venue-poller/handler';
import { createHandler as createWebexHandler } from '../lambdas/webex-sync/handler';
import type { Observability } from '../shared/runtime/observability';
import type { PollReport } from '../shared/sync/poll-venue';
import type { WebexSyncReport } from '../shared/sync/sync-webex';
import { defineWebexProperties } from '../sandbox/webex-properties';
import { tripleseatKeys, World } from '../sandbox/world';
import { naiveStats, type NaiveRuntime } from './naive/retry';

/** HubSpot Starter burst limit (the config default), used by the simulator and by our pacing. */
export const HUBSPOT_TEN_SECOND_LIMIT = 100;
/** Lambda timeouts the stack deploys (ScheduledSync.timeoutFor): 5-min poller, 15-min Webex sync. */
export const POLLER_TIMEOUT_MS = 240_000;
export const WEBEX_TIMEOUT_MS = 840_000;
export const VENUE = 'venue-b';

export interface BenchWorldOptions {
  timeScale: number;
  /** Round-trip latency added to every simulated API call, in SIMULATED ms. */
  latencyMs: number;
}

export async function startBenchWorld(options: BenchWorldOptions): Promise<World> {
  const world = await World.start({
    timeScale: options.timeScale,
    hubspot: { tenSecondLimit: HUBSPOT_TEN_SECOND_LIMIT },
  });
  defineWebexProperties(world.hubspot);
  // Loopback answers in ~1 ms; real APIs take ~100 ms. Fault latency is in real ms.
  const latencyMs = options.latencyMs / options.timeScale;
  if (latencyMs > 0) {
    world.hubspot.faults.add({ latencyMs });
    world.tripleseat.faults.add({ latencyMs });
    world.webex.faults.add({ latencyMs });
  }
  return world;
}

/** Flagged contacts for the poller's venue, valid for a lead. */
export function seedFlaggedContacts(world: World, count: number, prefix = 'guest'): void {
  const flag = world.flagProperty(VENUE);
  for (let i = 0; i < count; i++) {
    world.hubspot.createContact({
      firstname: 'Guest',
      lastname: `Number ${i}`,
      email: `${prefix}${i}@example.com`,
      phone: '+16175550100',
      company: 'Harbor Events',
      [flag]: 'true',
    });
  }
}

export function flaggedCount(world: World): number {
  const flag = world.flagProperty(VENUE);
  let count = 0;
  for (const contact of world.hubspot.contacts()) if (contact.properties[flag] === 'true') count += 1;
  return count;
}

/** What the real handlers report through their log: calls, 429s and retries of our ApiCaller. */
export interface EngineCounters {
  apiCalls: number;
  rateLimited: number;
  retries: number;
}

export function countingObservability(counters: EngineCounters): Observability {
  const sum = (value: unknown): number =>
    typeof value === 'object' && value !== null
      ? Object.values(value).reduce((total: number, n) => total + (typeof n === 'number' ? n : 0), 0)
      : 0;
  return {
    log: {
      info: (message, fields) => {
        if (message !== 'run finished') return;
        counters.apiCalls += sum(fields?.['apiCalls']);
        counters.rateLimited += sum(fields?.['rateLimited']);
      },
      warn: (message) => {
        if (message === 'api retry') counters.retries += 1;
      },
      error: () => {},
    },
    metrics: { publish: () => {} },
  };
}

export function emptyCounters(): EngineCounters {
  return { apiCalls: 0, rateLimited: 0, retries: 0 };
}

/** One scheduled invocation of the real poller handler with a Lambda deadline in simulated time. */
export async function tickPoller(world: World, counters: EngineCounters): Promise<PollReport> {
  const handler = createPollerHandler(world.pollerEnv(VENUE), {
    observability: countingObservability(counters),
    now: () => world.clock.now(),
  });
  const deadline = world.clock.now() + POLLER_TIMEOUT_MS;
  return handler(
    {},
    { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => deadline - world.clock.now() },
  );
}

/** One scheduled invocation of the real Webex sync handler. */
export async function tickWebex(
  world: World,
  eventIds: readonly number[],
  counters: EngineCounters,
): Promise<WebexSyncReport> {
  const handler = createWebexHandler(
    { ...world.webexEnv(), WEBEX_EVENT_IDS: eventIds.join(',') },
    { observability: countingObservability(counters), now: () => world.clock.now() },
  );
  const deadline = world.clock.now() + WEBEX_TIMEOUT_MS;
  return handler(
    {},
    { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => deadline - world.clock.now() },
  );
}

export function naiveRuntime(world: World, timeoutMs: number): NaiveRuntime {
  return {
    sleep: (ms) => world.clock.sleep(ms),
    now: () => world.clock.now(),
    lambdaDeadline: world.clock.now() + timeoutMs,
    stats: naiveStats(),
  };
}

export function naivePollerConfig(world: World) {
  const env = world.pollerEnv(VENUE);
  return {
    hubspotBaseUrl: world.hubspot.url,
    hubspotToken: env['HUBSPOT_TOKEN'] as string,
    flagProperty: world.flagProperty(VENUE),
    tripleseatBaseUrl: world.tripleseat.url,
    tripleseatPublicKey: tripleseatKeys(VENUE).publicKey,
  };
}

export function naiveWebexConfig(world: World, eventIds: readonly number[]) {
  const env = world.webexEnv();
  return {
    hubspotBaseUrl: world.hubspot.url,
    hubspotToken: env['HUBSPOT_TOKEN'] as string,
    webexUrl: world.webex.url,
    webexToken: env['WEBEX_TOKEN'] as string,
    eventIds,
  };
}

/** Requests and 429s seen by each simulator, plus simulated, real and CPU time, over one phase. */
export interface PhaseMeasure {
  simMs: number;
  realMs: number;
  /** The whole process (engine, SDKs, simulators, dynalite). */
  cpuMs: number;
  /** The code under test alone: `cpuMs` times the profiler's share of it (bench/cpu-profile.ts). */
  oursCpuMs: number;
  cpu: CpuSplit;
  dynamo: DynamoUsage;
  hubspot: number;
  hubspotSearch: number;
  tripleseat: number;
  webex: number;
  http429: { hubspot: number; tripleseat: number; webex: number };
}

export async function measure<T>(
  world: World,
  fn: () => Promise<T>,
): Promise<{ result: T; m: PhaseMeasure }> {
  const start = {
    hubspot: world.hubspot.log.entries.length,
    tripleseat: world.tripleseat.log.entries.length,
    webex: world.webex.log.entries.length,
    sim: world.clock.now(),
    real: performance.now(),
    cpu: process.cpuUsage(),
  };
  const meter = meterDynamo(world.dynamo.endpoint);
  const { result, split } = await profiled(fn);
  const dynamo = meter.stop();
  const cpu = process.cpuUsage(start.cpu);
  const hubspot = world.hubspot.log.entries.slice(start.hubspot);
  const tripleseat = world.tripleseat.log.entries.slice(start.tripleseat);
  const webex = world.webex.log.entries.slice(start.webex);
  const is429 = (entry: { status: number }) => entry.status === 429;
  return {
    result,
    m: {
      simMs: world.clock.now() - start.sim,
      realMs: performance.now() - start.real,
      cpuMs: (cpu.user + cpu.system) / 1000,
      oursCpuMs: ((cpu.user + cpu.system) / 1000) * split.oursShare,
      cpu: split,
      dynamo,
      hubspot: hubspot.length,
      hubspotSearch: hubspot.filter((entry) => entry.path.endsWith('/search')).length,
      tripleseat: tripleseat.length,
      webex: webex.filter((entry) => entry.path === '/graphql').length,
      http429: {
        hubspot: hubspot.filter(is429).length,
        tripleseat: tripleseat.filter(is429).length,
        webex: webex.filter(is429).length,
      },
    },
  };
}

/** Progress on stderr (stdout carries only the table or the JSON). */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
