/**
 * The bench scenarios. Each builds its own World (fresh dynalite and simulators, same seeds), so ours
 * and the naive baseline meet identical data and identical limits.
 */
import type { World } from '../sandbox/world';
import { Client } from '@hubspot/api-client';
import { naiveCollectFlagged, naivePollerRun, type NaivePollerResult } from './naive/poller';
import { naiveWebexRun, type NaiveWebexResult } from './naive/webex';
import {
  emptyCounters,
  flaggedCount,
  measure,
  naivePollerConfig,
  naiveRuntime,
  naiveWebexConfig,
  POLLER_TIMEOUT_MS,
  progress,
  seedFlaggedContacts,
  startBenchWorld,
  tickPoller,
  tickWebex,
  VENUE,
  WEBEX_TIMEOUT_MS,
  type PhaseMeasure,
} from './harness';

export type Side = 'ours' | 'naive';

export interface ScenarioSettings {
  timeScale: number;
  latencyMs: number;
}

export interface RunOutcome {
  side: Side;
  records: number;
  /** Records actually handled (distinct leads for the poller; attendees paged for Webex). */
  processed: number;
  m: PhaseMeasure;
  ticks: number;
  finished: boolean;
  retries: number;
  /** Leads in Tripleseat / distinct emails among them (duplicates = leads - distinct). */
  leads?: number;
  distinctLeads?: number;
  /** Flagged contacts left at the end. */
  remaining?: number;
  notes: string[];
  timeScale: number;
}

/** Drains `count` flagged contacts with ticks run back to back, until none is flagged or maxTicks. */
export async function pollerDrain(
  side: Side,
  count: number,
  settings: ScenarioSettings,
  maxTicks: number,
): Promise<RunOutcome> {
  const world = await startBenchWorld(settings);
  try {
    seedFlaggedContacts(world, count);
    const notes: string[] = [];
    const counters = emptyCounters();
    let retries = 0;
    let ticks = 0;
    let capNoted = false;
    const { m } = await measure(world, async () => {
      while (ticks < maxTicks && flaggedCount(world) > 0) {
        ticks += 1;
        if (side === 'ours') {
          const report = await tickPoller(world, counters);
          progress(`  ours poller tick ${ticks}: ${report.status}, ${report.created} leads`);
        } else {
          const rt = naiveRuntime(world, POLLER_TIMEOUT_MS);
          let result: NaivePollerResult | undefined;
          try {
            result = await naivePollerRun(naivePollerConfig(world), rt);
          } catch (error) {
            // The Lambda died (timeout during the search phase, or an unhandled error): the next tick retries.
            notes.push(`tick ${ticks}: run failed (${error instanceof Error ? error.name : String(error)})`);
          }
          retries += rt.stats.retries;
          if (result?.capped && !capNoted) {
            capNoted = true;
            notes.push(`search stopped at ${result.fetched} of ${result.total} (10,000-result cap)`);
          }
          progress(
            `  naive poller tick ${ticks}: ${result ? `${result.leadsCreated} leads, ${result.failedContacts} failed${result.timedOut ? ', killed at timeout' : ''}` : 'failed'}`,
          );
        }
      }
    });
    const leads = world.tripleseat.leads(VENUE);
    const remaining = flaggedCount(world);
    const distinctLeads = new Set(leads.map((lead) => lead.email_address)).size;
    return {
      side,
      records: count,
      processed: distinctLeads,
      m,
      ticks,
      finished: remaining === 0,
      retries: side === 'ours' ? counters.retries : retries,
      leads: leads.length,
      distinctLeads,
      remaining,
      notes,
      timeScale: settings.timeScale,
    };
  } finally {
    await world.close();
  }
}

export interface WebexPhase {
  name: 'first' | 'unchanged' | 'changed10';
  outcome: RunOutcome;
}

function seedEvents(world: World, attendees: number): number[] {
  const eventIds = [
    world.webex.addEvent({ name: 'Harbor Summit 2026', startDate: '2026-05-04T09:00:00Z' }),
    world.webex.addEvent({ name: 'Marina Expo 2026', startDate: '2026-09-14T09:00:00Z' }),
  ];
  const half = Math.floor(attendees / 2);
  world.webex.seedAttendees(eventIds[0] as number, half);
  world.webex.seedAttendees(eventIds[1] as number, attendees - half);
  return eventIds;
}

/** One full pass over every event (several ticks if a tick stops for time), measured. */
async function webexPass(
  side: Side,
  world: World,
  eventIds: number[],
  records: number,
  settings: ScenarioSettings,
  options: { maxTicks: number; naiveTimeoutMs: number },
): Promise<RunOutcome> {
  const counters = emptyCounters();
  const notes: string[] = [];
  let retries = 0;
  let ticks = 0;
  let finished = false;
  const { m } = await measure(world, async () => {
    while (ticks < options.maxTicks && !finished) {
      ticks += 1;
      if (side === 'ours') {
        const report = await tickWebex(world, eventIds, counters);
        finished = report.status === 'completed';
        progress(
          `  ours webex tick ${ticks}: ${report.status}, created ${report.created}, updated ${report.updated}, skipped ${report.skippedUnchanged}`,
        );
      } else {
        const rt = naiveRuntime(world, options.naiveTimeoutMs);
        const result: NaiveWebexResult = await naiveWebexRun(naiveWebexConfig(world, eventIds), rt);
        retries += rt.stats.retries;
        finished = !result.timedOut;
        if (result.failed > 0) notes.push(`${result.failed} people not written (gave up after retries)`);
        if (result.timedOut)
          notes.push(`tick ${ticks} killed at the timeout after ${result.attendees} attendees`);
        progress(
          `  naive webex tick ${ticks}: created ${result.created}, updated ${result.updated}, failed ${result.failed}${result.timedOut ? ', killed at timeout' : ''}`,
        );
      }
    }
  });
  return {
    side,
    records,
    processed: records,
    m,
    ticks,
    finished,
    retries: side === 'ours' ? counters.retries : retries,
    notes,
    timeScale: settings.timeScale,
  };
}

/** First sync, unchanged re-sync, 10 % changed re-sync. */
export async function webexResyncs(
  side: Side,
  attendees: number,
  settings: ScenarioSettings,
): Promise<WebexPhase[]> {
  const world = await startBenchWorld(settings);
  try {
    const eventIds = seedEvents(world, attendees);
    const options = { maxTicks: 5, naiveTimeoutMs: Number.POSITIVE_INFINITY };
    const first = await webexPass(side, world, eventIds, attendees, settings, options);
    const unchanged = await webexPass(side, world, eventIds, attendees, settings, options);
    for (const eventId of eventIds) world.webex.mutateRandomly(eventId, 0.1);
    const changed10 = await webexPass(side, world, eventIds, attendees, settings, options);
    return [
      { name: 'first', outcome: first },
      { name: 'unchanged', outcome: unchanged },
      { name: 'changed10', outcome: changed10 },
    ];
  } finally {
    await world.close();
  }
}

/** First sync of `attendees` people; the naive one is also run without a Lambda timeout. */
export async function webexDrain(
  side: Side,
  attendees: number,
  settings: ScenarioSettings,
  naiveTimeoutMs: number,
): Promise<RunOutcome> {
  const world = await startBenchWorld(settings);
  try {
    const eventIds = seedEvents(world, attendees);
    return await webexPass(side, world, eventIds, attendees, settings, { maxTicks: 5, naiveTimeoutMs });
  } finally {
    await world.close();
  }
}

export { WEBEX_TIMEOUT_MS };

/**
 * The naive search against a backlog just above HubSpot's 10,000-result cap: how many ids its
 * `after` paging actually returns (search phase only; no leads are created).
 */
export async function naiveSearchCapProbe(
  count: number,
  settings: ScenarioSettings,
): Promise<{ total: number; fetched: number; searchCalls: number; http429: number; simMs: number }> {
  const world = await startBenchWorld(settings);
  try {
    seedFlaggedContacts(world, count);
    const config = naivePollerConfig(world);
    const hubspot = new Client({ accessToken: config.hubspotToken, basePath: config.hubspotBaseUrl });
    const rt = naiveRuntime(world, Number.POSITIVE_INFINITY);
    const { result, m } = await measure(world, () => naiveCollectFlagged(hubspot, config.flagProperty, rt));
    return {
      total: result.total,
      fetched: result.ids.length,
      searchCalls: m.hubspotSearch,
      http429: m.http429.hubspot,
      simMs: m.simMs,
    };
  } finally {
    await world.close();
  }
}
