/**
 * `npm start -- --once --chaos`: the one-cycle run with vendor trouble injected, then what ops would do
 * about it, then the end-to-end promises.
 *
 *  1. chaos: the scheduled polls, the Webex sync and the webhook path run for a few 5-minute ticks while
 *     the seeded plan (sandbox/chaos.ts) injects 429 storms, outages, slow and lost answers;
 *  2. settle: chaos stops and ticks go on until no venue has a flagged request left;
 *  3. replay: `replayVenue` (the code behind `venue-sync replay`) for every venue with quarantined
 *     requests. With OAuth it looks leads up itself; without, the sandbox checks the venue's Tripleseat
 *     leads the way a person would and confirms `checkedTripleseat` only when none of the requests that
 *     may have a lead has one;
 *  4. the end state is checked (sandbox/invariants.ts).
 */
import { listQuarantined, replayVenue, type ReplayCandidate, type ReplayReport } from '../ops/replay';
import { OpsContext } from '../ops/context';
import type { SeededContact } from './demo-data';
import type { EndState, FlaggedRequest, QuarantineFact } from './invariants';
import type { SandboxRunner } from './runner';
import type { World } from './world';

export const POLL_EVERY_MS = 5 * 60_000;
/** Ticks with chaos on (the plan covers them), then at most this many to settle. */
export const CHAOS_TICKS = 5;
const MAX_SETTLE_TICKS = 8;
/** The poller's default attempt budget (PollVenueOptions.maxAttempts); the world's pollers use it. */
export const POLLER_MAX_ATTEMPTS = 5;

/** The ops CLI's view of one venue, with the venue's own credentials (as .sandbox/<venue>.env gives). */
export function venueOpsContext(world: World, venueId: string): OpsContext {
  return new OpsContext(
    world.config,
    { ...world.pollerEnv(venueId), VENUE_ID: venueId },
    { now: () => world.clock.now() },
  );
}

/** Moves simulated time to `at` if it is not there yet (ticks come every 5 simulated minutes). */
export function advanceTo(world: World, at: number): void {
  const now = world.clock.now();
  if (at > now) world.clock.advance(at - now);
}

export interface SettleResult {
  ticks: number;
  /** What was still unfinished when the settle ticks ran out (empty when settled). */
  problems: string[];
}

/**
 * Ticks (every venue's poller, concurrently) until each venue's run completed with nothing flagged left.
 * The first tick after chaos retries what chaos left; a request whose attempts ran out is quarantined.
 */
export async function settle(world: World, runner: SandboxRunner, from: number): Promise<SettleResult> {
  let problems: string[] = [];
  for (let tick = 1; tick <= MAX_SETTLE_TICKS; tick += 1) {
    advanceTo(world, from + tick * POLL_EVERY_MS);
    const reports = await Promise.all(world.config.venues.map((venue) => runner.poll(venue.id, 'schedule')));
    await runner.idle();
    problems = reports.flatMap((report, index) => {
      const venueId = world.config.venues[index]?.id ?? '?';
      if (!report)
        return [`${venueId}: the poller threw (${runner.stats.venues.get(venueId)?.lastRun?.error})`];
      if (report.status !== 'completed') return [`${venueId}: ${report.status}`];
      if (report.flagged > 0)
        return [`${venueId}: ${report.flagged} flagged request(s) still being worked on`];
      return [];
    });
    if (problems.length === 0) return { ticks: tick, problems };
  }
  return { ticks: MAX_SETTLE_TICKS, problems };
}

export interface VenueReplay {
  venueId: string;
  hasOauth: boolean;
  quarantined: number;
  /** Without OAuth: requests that may have a lead, found in / missing from Tripleseat by the person's check. */
  personChecked?: { withLead: number; withoutLead: number; confirmedNone: boolean };
  report?: ReplayReport;
  /** A mixed set cannot be confirmed venue-wide (see the report); what is left needs a person per request. */
  note?: string;
}

export interface ReplayPhase {
  venues: VenueReplay[];
  quarantinedDuringRun: QuarantineFact[];
}

const normEmail = (email: string | undefined): string => (email ?? '').normalize('NFC').trim().toLowerCase();

/** Replays every venue's quarantine, the way an operator would after an incident. */
export async function replayQuarantined(world: World): Promise<ReplayPhase> {
  const phase: ReplayPhase = { venues: [], quarantinedDuringRun: [] };
  for (const venue of world.config.venues) {
    const ctx = venueOpsContext(world, venue.id);
    try {
      const candidates = await listQuarantined(ctx, venue.id);
      phase.quarantinedDuringRun.push(...(await quarantineFacts(ctx, venue.id, candidates)));
      // A static token, or (odd vendor) an OAuth client: either way replay can look leads up.
      const env = world.pollerEnv(venue.id);
      const hasOauth =
        env['TRIPLESEAT_OAUTH_TOKEN'] !== undefined || env['TRIPLESEAT_CLIENT_ID'] !== undefined;
      const item: VenueReplay = { venueId: venue.id, hasOauth, quarantined: candidates.length };
      phase.venues.push(item);
      if (candidates.length === 0) continue;
      let checkedTripleseat = false;
      if (!hasOauth) {
        // The person's check: search the venue's Tripleseat for each contact whose lead may exist.
        const leadEmails = new Set(world.leadsAt(venue.id).map((lead) => normEmail(lead.email_address)));
        const maybeSent = candidates.filter((candidate) => candidate.maybeSent);
        const withLead = maybeSent.filter((candidate) => {
          const contact = candidate.contactId ? world.hubspot.getContact(candidate.contactId) : undefined;
          return leadEmails.has(normEmail(contact?.properties['email']));
        }).length;
        const withoutLead = maybeSent.length - withLead;
        // --checked-tripleseat is venue-wide: confirming it while some of them do have a lead would
        // send those again. Only when every one of them has none is it true.
        checkedTripleseat = withoutLead > 0 && withLead === 0;
        item.personChecked = { withLead, withoutLead, confirmedNone: checkedTripleseat };
        if (withLead > 0 && withoutLead > 0) {
          item.note =
            `${withoutLead} request(s) have no lead and ${withLead} do: --checked-tripleseat would resend the ` +
            'latter, so the former stay quarantined for a person';
        }
      }
      item.report = await replayVenue(ctx, venue.id, {
        runId: `sandbox-chaos-replay-${venue.id}`,
        checkedTripleseat,
      });
    } finally {
      await ctx.close();
    }
  }
  return phase;
}

async function quarantineFacts(
  ctx: OpsContext,
  venueId: string,
  candidates: readonly ReplayCandidate[],
): Promise<QuarantineFact[]> {
  const facts: QuarantineFact[] = [];
  for (const candidate of candidates) {
    const entry =
      candidate.contactId && candidate.flagSetAt
        ? await ctx.store.getLedger({
            venueId,
            contactId: candidate.contactId,
            flagSetAt: candidate.flagSetAt,
          })
        : undefined;
    facts.push({
      venueId,
      contactId: candidate.contactId ?? candidate.key,
      reason: candidate.reason,
      maybeSent: candidate.maybeSent,
      attempts: entry?.attempts ?? 0,
    });
  }
  return facts;
}

/** The end state, from the simulators (leads) and the table (rejections, quarantine): the ground truth. */
export async function readEndState(
  world: World,
  contacts: readonly SeededContact[],
  quarantinedDuringRun: QuarantineFact[],
): Promise<EndState> {
  const requests: FlaggedRequest[] = contacts.flatMap((contact) =>
    contact.flags.map((venueId) => ({
      venueId,
      contactId: contact.contactId,
      name: contact.name,
      email: world.hubspot.getContact(contact.contactId)?.properties['email'] ?? '',
      valid: 'lead' in contact.expect,
    })),
  );
  // Every lead anywhere: each Tripleseat account (a lead in the wrong account is caught) and the platform
  // of each venue on its own HTTP destination.
  const onPlatforms = world.config.venues.filter((venue) => venue.destination?.type === 'http');
  const leads = [
    ...world.tripleseat
      .allLeads()
      .map((lead) => ({ venueId: lead.venueId, leadId: lead.id, email: lead.email_address })),
    ...onPlatforms.flatMap((venue) =>
      world
        .leadsAt(venue.id)
        .map((lead) => ({ venueId: venue.id, leadId: lead.id, email: lead.email_address })),
    ),
  ];
  const state: EndState = {
    requests,
    leads,
    rejections: [],
    quarantinedDuringRun,
    quarantinedAtEnd: [],
    maxAttempts: POLLER_MAX_ATTEMPTS,
  };
  const rejections: EndState['rejections'][number][] = [];
  const atEnd: QuarantineFact[] = [];
  for (const venue of world.config.venues) {
    const ctx = venueOpsContext(world, venue.id);
    try {
      for (const entry of await ctx.store.listLedger(venue.id)) {
        if (entry.state === 'REJECTED')
          rejections.push({ venueId: venue.id, contactId: entry.contactId, reason: entry.reason ?? '' });
      }
      atEnd.push(...(await quarantineFacts(ctx, venue.id, await listQuarantined(ctx, venue.id))));
    } finally {
      await ctx.close();
    }
  }
  return { ...state, rejections, quarantinedAtEnd: atEnd };
}
