/** Test wiring over sandbox/world.ts: the real handlers, a capturing log, and contact helpers. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createHandler } from '../../lambdas/venue-poller/handler';
import type { MetricValue, Observability } from '../../shared/runtime/observability';
import { ReconciliationStore, type LedgerEntry } from '../../shared/reconciliation';
import type { PollReport, PollStep } from '../../shared/sync/poll-venue';
import { World, type WorldOptions } from '../../sandbox/world';

export interface CapturedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface CapturedMetrics {
  dimensions: Record<string, string>;
  values: Record<string, MetricValue>;
}

export function capturingObservability(
  lines: CapturedLine[] = [],
): Observability & { lines: CapturedLine[]; published: CapturedMetrics[] } {
  const published: CapturedMetrics[] = [];
  const at =
    (level: CapturedLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  return {
    lines,
    published,
    log: { info: at('info'), warn: at('warn'), error: at('error') },
    metrics: { publish: (dimensions, values) => published.push({ dimensions, values }) },
  };
}

export function useWorld(options: WorldOptions = {}): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await World.start({ timeScale: 50, ...options });
  });
  afterAll(async () => {
    await world?.close();
  });
  return () => {
    if (!world) throw new Error('world not started');
    return world;
  };
}

/** Runs the real poller handler once for a venue, as a schedule tick would. */
export async function tickPoller(
  world: World,
  venueId: string,
  options: { remainingMs?: () => number; observability?: Observability; env?: Record<string, string> } = {},
): Promise<PollReport> {
  const handler = createHandler(
    { ...world.pollerEnv(venueId), ...options.env },
    { observability: options.observability ?? capturingObservability(), now: () => world.clock.now() },
  );
  return handler(
    {},
    { awsRequestId: randomUUID(), getRemainingTimeInMillis: options.remainingMs ?? (() => 240_000) },
  );
}

/** What crashingTick throws at the chosen step boundary. */
export class SimulatedCrash extends Error {}

/** Runs the real poller once and makes it throw at `step` for `contactId`; resolves to what it threw. */
export async function crashingTick(
  world: World,
  venueId: string,
  step: PollStep,
  contactId: string,
): Promise<unknown> {
  const handler = createHandler(world.pollerEnv(venueId), {
    observability: capturingObservability(),
    now: () => world.clock.now(),
    onStep: (at, id) => {
      if (at === step && id === contactId) throw new SimulatedCrash(`crash at ${step}`);
    },
  });
  return handler({}, { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 240_000 }).catch(
    (error: unknown) => error,
  );
}

/** The venue's Tripleseat leads carrying the contact's email. */
export function tripleseatLeadsOf(world: World, venueId: string, contactId: string) {
  const email = world.hubspot.getContact(contactId)?.properties['email'];
  return world.tripleseat.leads(venueId).filter((lead) => lead.email_address === email);
}

export function ledgerOf(world: World, venueId: string): Promise<LedgerEntry[]> {
  return new ReconciliationStore({
    client: world.dynamo.client,
    tableName: world.dynamo.tableName,
  }).listLedger(venueId);
}

let contactSeq = 0;
/** A contact whose data makes a valid lead for every demo venue; override any property. */
export function validContact(world: World, overrides: Record<string, string> = {}): string {
  contactSeq += 1;
  return world.hubspot.createContact({
    firstname: 'Ada',
    lastname: `Lovelace${contactSeq}`,
    email: `ada${contactSeq}.${randomUUID().slice(0, 6)}@example.com`,
    phone: '+1 617 555 0100',
    company: 'Analytical Engines',
    event_date: '2027-06-12',
    guest_count: '40',
    ...overrides,
  });
}
