/**
 * `npm start`: the accelerated schedule. Every 5 simulated minutes each venue's poller runs (as its
 * EventBridge schedule would: concurrently, overlaps settled by the poller's lease); every 15 the Webex
 * sync, after the sandbox has edited, added and (once) re-issued ids of attendees; between polls a
 * marketer ticks a few flags (some on flawed contacts, some re-ticks of synced ones) and, every other
 * time, HubSpot's signed webhook delivery for those ticks wakes the venue's poller early. Ctrl-C (or
 * SIGTERM) stops: in-flight runs finish, servers close, the cursor comes back, exit 0.
 */
import { ChaosMonkey, planChaos } from './chaos';
import { DemoMarketer, seedDemo } from './demo-data';
import {
  InPlaceRenderer,
  SHOW_CURSOR,
  outcomeActivityLine,
  readOutcomeActivity,
  renderFrame,
  renderLine,
  type Schedule,
} from './live-view';
import { deliveryState } from './lead-outcomes-check';
import { SandboxRunner } from './runner';
import { SalesTeam, carryOut, leadsWithReceivers, type SalesAct } from './sales-team';
import { DELIVERY_RETRIES } from './tripleseat/webhooks';
import { CLI_ENV_DIR, removeCliEnv, writeCliEnv } from './cli-env';
import { ODD_MODE, World } from './world';

const POLL_EVERY_MS = 5 * 60_000;
const WEBEX_EVERY_MS = 15 * 60_000;
const REDRAW_EVERY_MS = 500;
const SCHEDULER_TICK_MS = 50;
/** The sales team looks at its leads once a simulated minute. */
const SALES_EVERY_MS = 60_000;
/** The sales team's seed when no chaos seed is given. */
const SALES_SEED = 7;
/** How long Ctrl-C waits for in-flight runs before closing anyway. */
const STOP_GRACE_MS = 5_000;
/** Chaos is planned this far ahead, in batches, while the live run goes on. */
const CHAOS_BATCH_MS = 30 * 60_000;

export interface LiveOptions {
  timeScale: number;
  out: NodeJS.WriteStream;
  /** The odd vendor (WorldOptions.odd). */
  odd?: boolean;
  chaos?: { seed: number };
}

export async function runLive(options: LiveOptions): Promise<number> {
  const { out } = options;
  const tty = out.isTTY === true;
  const startedReal = Date.now();
  if (tty) out.write('venue-sync sandbox: starting dynalite and the simulators…\n');
  const world = await World.start({
    timeScale: options.timeScale,
    odd: options.odd === true,
    leadOutcomes: true,
  });
  const runner = await SandboxRunner.start(world);
  const envFiles = await writeCliEnv(world);
  out.write(
    `venue-sync sandbox: for the ops CLI in another terminal: set -a; . ${envFiles[0]}; set +a; ` +
      `npx venue-sync status (one env file per venue in ${CLI_ENV_DIR}/)\n`,
  );
  const seed = seedDemo(world);
  runner.configureWebex(seed.webexEvents.map((event) => event.id));
  const marketer = new DemoMarketer(world);
  const renderer = tty ? new InPlaceRenderer(out) : undefined;

  const t0 = world.clock.now();
  const schedule: Schedule = {
    timeScale: options.timeScale,
    cycle: 0,
    nextPollAt: t0,
    nextWebexAt: t0,
    nextMarketerAt: t0 + POLL_EVERY_MS / 2,
    realElapsedMs: 0,
    stopping: false,
    ...(options.odd ? { odd: ODD_MODE } : {}),
  };
  const chaos = options.chaos ? new ChaosMonkey(world, options.chaos.seed) : undefined;
  if (chaos) schedule.chaos = chaos;
  const salesTeam = new SalesTeam({ seed: options.chaos?.seed ?? SALES_SEED });
  const salesActs: SalesAct[] = [];
  schedule.sales = { team: salesTeam, acts: salesActs };
  let nextSalesAt = t0;
  /** Without a TTY: each sales change's line is printed once, when its delivery has ended. */
  const unprinted: SalesAct[] = [];
  let chaosBatches = 0;
  /** Keeps at least one batch of chaos planned ahead (each batch its own seed derived from --seed). */
  const planChaosAhead = () => {
    if (!chaos) return;
    const now = world.clock.now();
    while (chaos.plannedUntil < now + CHAOS_BATCH_MS) {
      const from = Math.max(now, chaos.plannedUntil);
      chaos.add(
        planChaos({
          seed: chaos.seed + chaosBatches,
          from,
          horizonMs: CHAOS_BATCH_MS,
          firstId: chaos.episodes.length + 1,
        }),
      );
      chaosBatches += 1;
    }
  };
  // Requests that went through a poll at least once: candidates for a marketer's re-tick.
  const synced = seed.contacts
    .filter((contact) => 'lead' in contact.expect)
    .flatMap((contact) => contact.flags.map((venueId) => ({ contactId: contact.contactId, venueId })));
  let pendingTicks: Array<{ contactId: string; venueId: string }> = [];
  let bursts = 0;
  let webexCycles = 0;

  const draw = () => {
    schedule.realElapsedMs = Date.now() - startedReal;
    renderer?.draw(renderFrame(world, runner.stats, schedule));
  };

  const pollCycle = () => {
    schedule.cycle += 1;
    planChaosAhead();
    synced.push(...pendingTicks);
    pendingTicks = [];
    const runs = world.config.venues.map((venue) => runner.poll(venue.id, 'schedule'));
    if (!renderer) {
      void Promise.allSettled(runs).then(() => {
        schedule.realElapsedMs = Date.now() - startedReal;
        out.write(`${renderLine(world, runner.stats, schedule)}\n`);
        printSettledActivity();
      });
    }
  };

  const salesTeamRound = () => {
    salesTeam.notice(leadsWithReceivers(world));
    const now = world.clock.now();
    for (const plan of salesTeam.due(now)) {
      try {
        const act = carryOut(world.tripleseat.webhooks, plan, now);
        salesActs.push(act);
        unprinted.push(act);
      } catch (error) {
        // A lead deleted in Tripleseat meanwhile: nothing to change, say so in the lines and go on.
        out.write(
          `venue-sync sandbox: sales team skipped ${plan.venueId} lead ${plan.leadId}: ${String(error)}\n`,
        );
      }
    }
  };

  /** Prints the sales changes whose delivery has ended (non-TTY). */
  const printSettledActivity = () => {
    for (let i = 0; i < unprinted.length;) {
      const act = unprinted[i]!;
      if (act.delivery && deliveryState(act.delivery, DELIVERY_RETRIES + 1) === 'in flight') {
        i += 1;
        continue;
      }
      unprinted.splice(i, 1);
      out.write(`  outcome ${outcomeActivityLine(readOutcomeActivity(world, act))}\n`);
    }
  };

  const webexCycle = () => {
    webexCycles += 1;
    const changes = runner.stats.webex.changes;
    if (webexCycles > 1) {
      for (const eventId of runner.stats.webex.eventIds) {
        changes.mutated += world.webex.mutateRandomly(eventId, 0.03).length;
        changes.added += world.webex.seedAttendees(eventId, 3).length;
      }
    }
    // Once, the first event re-issues every attendee id: the sync must follow, not duplicate.
    if (webexCycles === 2) {
      const firstEvent = runner.stats.webex.eventIds[0];
      if (firstEvent !== undefined) {
        world.webex.rollIds(firstEvent);
        changes.idRolls += 1;
      }
    }
    void runner.syncWebex();
  };

  const marketerBurst = () => {
    bursts += 1;
    const ticks = marketer.newRequests(2 + Math.floor(bursts % 3));
    if (synced.length > 0 && marketer.chance(0.5)) ticks.push(marketer.retick(synced));
    pendingTicks.push(...ticks);
    if (bursts % 2 === 1) void runner.deliverWebhook(ticks);
    // Once, somebody posts a delivery with a wrong signature: 401, nothing invoked.
    if (bursts === 4) void runner.deliverWebhook(ticks.slice(0, 1), { forge: true });
  };

  const stop = waitForStopSignal();
  const scheduler = setInterval(() => {
    if (schedule.stopping) return;
    const now = world.clock.now();
    if (now >= schedule.nextPollAt) {
      schedule.nextPollAt += POLL_EVERY_MS;
      pollCycle();
    }
    if (now >= schedule.nextWebexAt) {
      schedule.nextWebexAt += WEBEX_EVERY_MS;
      webexCycle();
    }
    if (now >= nextSalesAt) {
      nextSalesAt += SALES_EVERY_MS;
      salesTeamRound();
    }
    if (now >= schedule.nextMarketerAt) {
      schedule.nextMarketerAt += POLL_EVERY_MS;
      marketerBurst();
    }
  }, SCHEDULER_TICK_MS);
  const redraw = renderer ? setInterval(draw, REDRAW_EVERY_MS) : undefined;
  try {
    draw();
    await stop;
    schedule.stopping = true;
    clearInterval(scheduler);
    chaos?.stop();
    draw();
    await Promise.race([
      Promise.all([runner.idle(), world.tripleseat.webhooks.settled()]),
      new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS)),
    ]);
    draw();
    if (!renderer) printSettledActivity();
  } finally {
    clearInterval(scheduler);
    if (redraw) clearInterval(redraw);
    if (renderer) out.write(SHOW_CURSOR);
    await runner.close();
    await world.close();
    await removeCliEnv();
  }
  out.write('venue-sync sandbox: stopped; servers closed.\n');
  return 0;
}

/** Resolves on the first Ctrl-C (or SIGTERM); a second one exits at once, cursor restored. */
function waitForStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = () => {
      signals += 1;
      if (signals === 1) resolve();
      else {
        process.stdout.write(`${SHOW_CURSOR}\nvenue-sync sandbox: stopped without waiting.\n`);
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
