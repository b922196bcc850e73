/** Runs one side's scenarios (ours or naive) in its own process and prints the results as JSON. */
import '../shared/runtime/local-node';
import { VirtualTime } from '../sandbox/virtual-time';
import { LATENCY_MS, plans, type SidePlan } from './plan';
import { progress } from './harness';
import { naiveSearchCapProbe, pollerDrain, webexDrain, webexResyncs, type Side } from './scenarios';
import { WEBEX_TIMEOUT_MS } from './harness';

export async function runSide(side: Side, quick: boolean) {
  const time = VirtualTime.install();
  try {
    return await runScenarios(side, quick);
  } finally {
    time.uninstall();
  }
}

/** Contacts of the unmeasured first drain (see runScenarios). */
const WARM_UP_CONTACTS = 50;

async function runScenarios(side: Side, quick: boolean) {
  const plan: SidePlan = plans(quick)[side];
  const at = (timeScale: number) => ({ timeScale, latencyMs: LATENCY_MS });
  // A small drain first, not measured, so the first measured scenario is not charged with loading and
  // JIT-compiling the SDKs (module init is measured apart, bench/bundle.ts). A warm Lambda has done it too.
  progress(`${side}: warm-up drain, ${WARM_UP_CONTACTS} flagged contacts (not measured)`);
  await pollerDrain(side, WARM_UP_CONTACTS, at(1), 2);
  progress(
    `${side}: poller, ${plan.pollerCalls.contacts} flagged contacts (k=${plan.pollerCalls.timeScale})`,
  );
  const pollerCalls = await pollerDrain(
    side,
    plan.pollerCalls.contacts,
    at(plan.pollerCalls.timeScale),
    plan.pollerCalls.maxTicks,
  );
  progress(`${side}: Webex first sync + re-syncs, ${plan.webexResyncs.attendees} attendees`);
  const webex = await webexResyncs(side, plan.webexResyncs.attendees, at(plan.webexResyncs.timeScale));
  progress(`${side}: Webex drain, ${plan.webexDrain.attendees} attendees`);
  // The naive pass runs without a Lambda timeout: it has no checkpoint, so a pass longer than the
  // timeout would restart from page 1 every run and never finish; we measure the pass instead.
  const webexDrainResult = await webexDrain(
    side,
    plan.webexDrain.attendees,
    at(plan.webexDrain.timeScale),
    side === 'naive' ? Number.POSITIVE_INFINITY : WEBEX_TIMEOUT_MS,
  );
  const capProbe = plan.capProbe
    ? (progress(`${side}: search cap probe, ${plan.capProbe.contacts} flagged`),
      await naiveSearchCapProbe(plan.capProbe.contacts, at(plan.capProbe.timeScale)))
    : undefined;
  progress(
    `${side}: poller drain, ${plan.pollerDrain.contacts} flagged contacts (k=${plan.pollerDrain.timeScale})`,
  );
  const drain = await pollerDrain(
    side,
    plan.pollerDrain.contacts,
    at(plan.pollerDrain.timeScale),
    plan.pollerDrain.maxTicks,
  );
  return { side, plan, pollerCalls, webex, webexDrain: webexDrainResult, drain, capProbe };
}

export type SideResult = Awaited<ReturnType<typeof runScenarios>>;
