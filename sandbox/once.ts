/**
 * `npm start -- --once`: one full cycle (seed, every venue poller once, the Webex sync once, the
 * webhook path once), then the summary and its checks. Returns the summary; the caller decides the
 * exit code.
 *
 * With `chaos`, the cycle runs for a few ticks under the seeded chaos plan, then settles, replays the
 * quarantine as ops would, and checks the end state (sandbox/chaos-cycle.ts, sandbox/invariants.ts).
 */
import {
  CHAOS_TICKS,
  POLL_EVERY_MS,
  advanceTo,
  readEndState,
  replayQuarantined,
  settle,
} from './chaos-cycle';
import { ChaosMonkey, planChaos } from './chaos';
import { DemoMarketer, WEBHOOK_CONTACT, createAndTick, seedDemo, type SeededContact } from './demo-data';
import { checkEndState } from './invariants';
import {
  deliveryCounts,
  readLeadOutcomes,
  summarizeLeadOutcomes,
  type LeadOutcomesSummary,
} from './lead-outcomes-check';
import { SandboxRunner } from './runner';
import { SalesTeam, carryOut, leadsWithReceivers } from './sales-team';
import { DELIVERY_RETRIES } from './tripleseat/webhooks';
import { buildOnceSummary, type ChaosSummary, type OnceSummary } from './summary';
import { World } from './world';

export interface OnceOptions {
  timeScale: number;
  /** The odd vendor (WorldOptions.odd). */
  odd?: boolean;
  /** Inject chaos with this seed. */
  chaos?: { seed: number };
}

/** The sales team's seed when no chaos seed is given. */
const SALES_SEED = 7;

export async function runOnce(options: OnceOptions): Promise<OnceSummary> {
  const startedRealMs = Date.now();
  // Lead outcomes on: each Tripleseat venue's real receiver takes the simulator's signed deliveries.
  const world = await World.start({
    timeScale: options.timeScale,
    odd: options.odd === true,
    leadOutcomes: true,
  });
  let runner: SandboxRunner | undefined;
  try {
    runner = await SandboxRunner.start(world);
    const seed = seedDemo(world);
    runner.configureWebex(seed.webexEvents.map((event) => event.id));
    const t0 = world.clock.now();
    const monkey = options.chaos ? new ChaosMonkey(world, options.chaos.seed) : undefined;
    monkey?.add(planChaos({ seed: monkey.seed, from: t0, horizonMs: CHAOS_TICKS * POLL_EVERY_MS }));

    // The 5-minute schedule fires every venue's poller (concurrently, as EventBridge would), and the
    // 15-minute one the Webex sync.
    await Promise.all([
      ...world.config.venues.map((venue) => runner!.poll(venue.id, 'schedule')),
      runner.syncWebex(),
    ]);

    // A marketer ticks a contact after the poll: HubSpot's signed delivery wakes that venue's poller
    // early. A forged delivery (wrong secret) must be refused and wake nothing: the demo's own check of
    // the signature, not an attack.
    const webhookContact = createAndTick(world, WEBHOOK_CONTACT);
    const ticks = webhookContact.flags.map((venueId) => ({ contactId: webhookContact.contactId, venueId }));
    const signed = await runner.deliverWebhook(ticks);
    await runner.idle();
    const invocationsBeforeForged = runner.lambda.invocations.length;
    const forged = await runner.deliverWebhook(ticks, { forge: true });
    await runner.idle();

    let chaos: ChaosSummary | undefined;
    const laterContacts: SeededContact[] = [];
    if (monkey) {
      // The rest of the chaos window: a tick every 5 minutes, the Webex sync every third, and a marketer
      // ticking a few more contacts before each, so chaos meets work in flight.
      const marketer = new DemoMarketer(world, monkey.seed);
      for (let tick = 1; tick < CHAOS_TICKS; tick += 1) {
        advanceTo(world, t0 + tick * POLL_EVERY_MS - POLL_EVERY_MS / 2);
        laterContacts.push(...marketer.newContacts(3));
        advanceTo(world, t0 + tick * POLL_EVERY_MS);
        await Promise.all([
          ...world.config.venues.map((venue) => runner!.poll(venue.id, 'schedule')),
          ...(tick % 3 === 0 ? [runner.syncWebex()] : []),
        ]);
        await runner.idle();
      }
      const episodes = [...monkey.episodes];
      monkey.stop();
      const settled = await settle(world, runner, world.clock.now());
      // A clean Webex pass after the trouble: what chaos interrupted is picked up again.
      await runner.syncWebex();
      const replay = await replayQuarantined(world);
      const endState = await readEndState(
        world,
        [...seed.contacts, webhookContact, ...laterContacts],
        replay.quarantinedDuringRun,
      );
      chaos = {
        seed: monkey.seed,
        episodes: episodes.map((episode) => ({
          label: episode.label,
          fromMinute: Math.round((episode.startsAt - t0) / 60_000),
          toMinute: Math.round((episode.endsAt - t0) / 60_000),
        })),
        injected: injectedAnswers(world),
        requestsDuringChaos: laterContacts.length,
        settleTicks: settled.ticks,
        settleProblems: settled.problems,
        replay: replay.venues,
        rejections: [...endState.rejections],
        checks: checkEndState(endState),
      };
    }

    const leadOutcomes = await salesTeamActs(world, options.chaos?.seed ?? SALES_SEED);

    return buildOnceSummary({
      world,
      runner,
      seed,
      webhookContacts: [webhookContact],
      laterContacts,
      webhookAnswers: { signed: signed.statusCode, forged: forged.statusCode },
      invocationsBeforeForged,
      startedRealMs,
      leadOutcomes,
      ...(chaos ? { chaos } : {}),
    });
  } finally {
    await runner?.close();
    await world.close();
  }
}

/**
 * After the polls (and, with chaos, once it stopped and replay ran), the venues' sales teams act on the
 * leads venue-sync created: the clock moves on until every planned change is due, each change sends its
 * signed delivery, the deliveries settle, and what landed is read back from HubSpot and the table.
 */
async function salesTeamActs(world: World, seed: number): Promise<LeadOutcomesSummary> {
  const webhooks = world.tripleseat.webhooks;
  // The creation deliveries end first, so the sales team's changes are the newest news about each lead.
  await webhooks.settled();
  const team = new SalesTeam({ seed });
  team.notice(leadsWithReceivers(world));
  const lastDueAt = team.lastDueAt;
  if (lastDueAt !== undefined) advanceTo(world, lastDueAt);
  const acts = team.due(world.clock.now()).map((plan) => carryOut(webhooks, plan, world.clock.now()));
  await webhooks.settled();
  const state = await readLeadOutcomes(world, acts);
  return summarizeLeadOutcomes(state, {
    leftOpen: team.leftOpen,
    deliveries: deliveryCounts(webhooks.deliveries, DELIVERY_RETRIES + 1),
  });
}

/** What the chaos did to answers, read from each simulator's request log (a lost answer logs status 0). */
function injectedAnswers(world: World): ChaosSummary['injected'] {
  const count = (entries: ReadonlyArray<{ status: number }>) => ({
    lostAnswers: entries.filter((entry) => entry.status === 0).length,
    status429: entries.filter((entry) => entry.status === 429).length,
    status503: entries.filter((entry) => entry.status === 503).length,
  });
  return {
    hubspot: count(world.hubspot.log.entries),
    tripleseat: count(world.tripleseat.log.entries),
    webex: count(world.webex.log.entries),
  };
}
