/**
 * The marketers' promise, "a lead within about five minutes", measured the way the dashboard does:
 * tick-to-lead seconds of every lead the poll reports created (p50/p95), and how long the oldest
 * request still undecided has waited. Pure over reports; the waiting age is read from HubSpot (flags
 * still set), which also sees ticks no run has looked at yet.
 */
import type { PollReport } from '../shared/sync/poll-venue';
import type { World } from './world';

/** The promise: a ticked contact is a lead within five minutes. */
export const PROMISE_SECONDS = 300;

export interface LeadLatency {
  leads: number;
  p50?: number;
  p95?: number;
  /** Worst wait any run reported (PollReport.oldestWaitingSeconds). */
  worstReportedWaitSeconds: number;
}

/** Nearest-rank percentile of `values` (0 < p <= 100); undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function leadLatency(
  reports: ReadonlyArray<Pick<PollReport, 'tickToLeadSeconds' | 'oldestWaitingSeconds'>>,
): LeadLatency {
  const seconds = reports.flatMap((report) => report.tickToLeadSeconds);
  const p50 = percentile(seconds, 50);
  const p95 = percentile(seconds, 95);
  return {
    leads: seconds.length,
    ...(p50 === undefined ? {} : { p50 }),
    ...(p95 === undefined ? {} : { p95 }),
    worstReportedWaitSeconds: Math.max(0, ...reports.map((report) => report.oldestWaitingSeconds)),
  };
}

export type PromiseVerdict = 'met' | 'missed' | 'no leads yet';

/** Met when 95% of leads came within the promise and nothing has waited longer than it. */
export function promiseVerdict(latency: LeadLatency, waitingNowSeconds: number | undefined): PromiseVerdict {
  const waitedTooLong =
    (waitingNowSeconds ?? 0) > PROMISE_SECONDS || latency.worstReportedWaitSeconds > PROMISE_SECONDS;
  if (latency.p95 === undefined) return waitedTooLong ? 'missed' : 'no leads yet';
  return latency.p95 <= PROMISE_SECONDS && !waitedTooLong ? 'met' : 'missed';
}

/**
 * Seconds the oldest request still flagged for this venue has waited (its checkbox is still ticked:
 * not yet decided), or undefined when none is waiting.
 */
export function oldestWaitingNow(world: World, venueId: string): number | undefined {
  const flag = world.flagProperty(venueId);
  const now = world.clock.now();
  let oldest: number | undefined;
  for (const contact of world.hubspot.contacts()) {
    if (contact.properties[flag] !== 'true') continue;
    // The newest 'true' in the history is the tick being waited on (order differs by mode: take the max).
    const tickedAt = Math.max(
      ...world.hubspot
        .history(contact.id, flag)
        .filter((entry) => entry.value === 'true')
        .map((entry) => entry.timestamp),
    );
    if (Number.isFinite(tickedAt)) oldest = Math.min(oldest ?? tickedAt, tickedAt);
  }
  return oldest === undefined ? undefined : Math.max(0, Math.round((now - oldest) / 1000));
}

/** 75 -> "1m15s", 42 -> "42s". */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
