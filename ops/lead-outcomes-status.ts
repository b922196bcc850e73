/**
 * `venue-sync status`'s lead-outcome part for one Tripleseat venue (docs/lead-outcomes.md): what became of
 * the leads venue-sync sent, from the venue's `OUTCOME#<leadId>` items (one per lead with an outcome), the
 * deliveries about leads it did not create (`UNKNOWNLEAD#`), the signed deliveries the receiver could not
 * read and kept (`UNREADABLE#`), and when the nightly reconcile last ran.
 * The counting is pure (summarizeLeadOutcomes); reading the table is leadOutcomeStatus.
 */
import type {
  LeadOutcomeRecord,
  UnknownLeadRecord,
  UnreadableDeliveryRecord,
} from '../shared/reconciliation/lead-index';
import { LeadIndex } from '../shared/reconciliation/lead-index';
import type { OpsContext } from './context';
import { isoTime } from './io';

export interface LeadOutcomeStatus {
  /** Leads with an outcome recorded (the rest of the venue's leads have had no delivery yet). */
  leads: number;
  /** Leads by their current stage (`lead-open`, `converted`, `booked`, ...). */
  byStage: Record<string, number>;
  /** Leads that ever reached each stage (a booked lead counts as converted too if it was). */
  reached: { converted: number; booked: number; turnedDown: number; lost: number };
  /** Lost leads by reason, most frequent first. */
  lostReasons: Array<{ reason: string; leads: number }>;
  /** Median seconds from the checkbox tick to the lead's creation at Tripleseat. */
  medianTickToLeadSeconds?: number;
  /** Median seconds from the lead's creation to its booking. */
  medianLeadToBookingSeconds?: number;
  /** Deliveries about leads venue-sync did not create (web-form leads, another system's). */
  unknownLeads: number;
  /**
   * Signed deliveries the receiver could not read, kept for `venue-sync replay --deliveries`, and why
   * (distinct reasons: the fields it could not read, never their values).
   */
  unreadableDeliveries: { kept: number; why: string[] };
  lastOutcomeAt?: string;
  lastReconcileStartedAt?: string;
}

/** The median of the values (undefined for none); the mean of the middle two for an even count. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarizeLeadOutcomes(
  outcomes: readonly LeadOutcomeRecord[],
  unknownLeads: readonly UnknownLeadRecord[],
  lastReconcileMs?: number,
  unreadable: readonly UnreadableDeliveryRecord[] = [],
): LeadOutcomeStatus {
  const byStage: Record<string, number> = {};
  const reasons = new Map<string, number>();
  for (const outcome of outcomes) {
    const stage = outcome.stage ?? 'unknown';
    byStage[stage] = (byStage[stage] ?? 0) + 1;
    if (outcome.lostAtMs !== undefined) {
      const reason = outcome.lostReason ?? '(no reason given)';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const count = (pick: (o: LeadOutcomeRecord) => number | undefined) =>
    outcomes.filter((o) => pick(o) !== undefined).length;
  const seconds = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined || Number.isNaN(from) || to < from ? [] : [(to - from) / 1000];
  const lastOutcome = Math.max(...outcomes.map((o) => o.updatedAt));
  const tickToLead = median(outcomes.flatMap((o) => seconds(Date.parse(o.flagSetAt), o.leadCreatedAtMs)));
  const leadToBooking = median(outcomes.flatMap((o) => seconds(o.leadCreatedAtMs, o.bookedAtMs)));
  return {
    leads: outcomes.length,
    byStage,
    reached: {
      converted: count((o) => o.convertedAtMs),
      booked: count((o) => o.bookedAtMs),
      turnedDown: count((o) => o.turnedDownAtMs),
      lost: count((o) => o.lostAtMs),
    },
    lostReasons: [...reasons]
      .map(([reason, leads]) => ({ reason, leads }))
      .sort((a, b) => b.leads - a.leads || a.reason.localeCompare(b.reason)),
    ...(tickToLead !== undefined ? { medianTickToLeadSeconds: Math.round(tickToLead) } : {}),
    ...(leadToBooking !== undefined ? { medianLeadToBookingSeconds: Math.round(leadToBooking) } : {}),
    unknownLeads: unknownLeads.length,
    unreadableDeliveries: {
      kept: unreadable.length,
      why: [...new Set(unreadable.map((record) => `${record.reason}: ${record.detail}`))].sort(),
    },
    ...(outcomes.length > 0 ? { lastOutcomeAt: isoTime(lastOutcome) } : {}),
    ...(lastReconcileMs !== undefined ? { lastReconcileStartedAt: isoTime(lastReconcileMs) } : {}),
  };
}

export async function leadOutcomeStatus(ctx: OpsContext, venueId: string): Promise<LeadOutcomeStatus> {
  const { client, tableName } = ctx.dynamo;
  const index = new LeadIndex({ client, tableName, now: ctx.now });
  const [outcomes, unknown, lastReconcile, unreadable] = await Promise.all([
    index.listOutcomes(venueId),
    index.listUnknownLeads(venueId),
    index.lastReconcile(venueId),
    index.listUnreadableDeliveries(venueId),
  ]);
  return summarizeLeadOutcomes(outcomes, unknown, lastReconcile, unreadable);
}

/** A duration for people: `45s`, `12m`, `3.5h`, `6.2d`. */
export function humanSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}

/** The status lines (indented under the venue). */
export function renderLeadOutcomes(status: LeadOutcomeStatus): string[] {
  const { reached } = status;
  const lines = [
    `  lead outcomes: ${status.leads} lead(s) with an outcome; converted ${reached.converted}, booked ${reached.booked}, ` +
      `turned down ${reached.turnedDown}, lost ${reached.lost}`,
    `    median tick to lead: ${status.medianTickToLeadSeconds === undefined ? 'n/a' : humanSeconds(status.medianTickToLeadSeconds)}` +
      `   median lead to booking: ${status.medianLeadToBookingSeconds === undefined ? 'n/a' : humanSeconds(status.medianLeadToBookingSeconds)}`,
  ];
  if (status.lostReasons.length > 0) {
    lines.push(`    lost: ${status.lostReasons.map((r) => `${r.reason} (${r.leads})`).join(', ')}`);
  }
  lines.push(
    `    last outcome: ${status.lastOutcomeAt ?? 'none'}   nightly reconcile: ${status.lastReconcileStartedAt ?? 'never ran'}` +
      `   deliveries about leads venue-sync did not create: ${status.unknownLeads}`,
  );
  const { unreadableDeliveries } = status;
  if (unreadableDeliveries.kept > 0) {
    lines.push(
      `    UNREADABLE Tripleseat deliveries kept: ${unreadableDeliveries.kept} ` +
        `(${unreadableDeliveries.why.slice(0, 3).join('; ')}); Tripleseat's payload differs from what the ` +
        "reader assumes (docs/lead-outcomes.md): fix the reader, deploy, then 'venue-sync replay <venue> --deliveries'",
    );
  }
  return lines;
}
