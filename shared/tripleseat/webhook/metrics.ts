/**
 * The metric contract of the lead-outcome functions (the Tripleseat webhook receiver and the nightly
 * reconcile) with the stack's dashboard. Free of aws-cdk-lib so handlers may import it.
 *
 * Dimensions: { service: LEAD_OUTCOME_SERVICE_NAMES.*, venue: <venue id> }.
 */
import { LEAD_OUTCOME_METRIC_NAMES } from '../../observability/lead-outcome-metric-names';
import type { MetricValue } from '../../runtime/observability';
import type { AppliedDelivery } from './apply';

// The names live with the other metric names, where the stack may read them.
export {
  LEAD_OUTCOME_METRIC_NAMES,
  LEAD_OUTCOME_SERVICE_NAMES,
} from '../../observability/lead-outcome-metric-names';
/** The stage metrics of applied deliveries (what a run newly reached), ready for MetricSink.publish. */
export function stageMetrics(applied: readonly AppliedDelivery[]): Record<string, MetricValue> {
  const count = (pick: (a: AppliedDelivery) => boolean) => ({
    value: applied.filter(pick).length,
    unit: 'Count' as const,
  });
  const bookingSeconds = applied.flatMap((a) =>
    a.newly.leadToBookingSeconds === undefined ? [] : [a.newly.leadToBookingSeconds],
  );
  return {
    [LEAD_OUTCOME_METRIC_NAMES.leadsConverted]: count((a) => a.newly.converted),
    [LEAD_OUTCOME_METRIC_NAMES.leadsBooked]: count((a) => a.newly.booked),
    [LEAD_OUTCOME_METRIC_NAMES.leadsTurnedDown]: count((a) => a.newly.turnedDown),
    [LEAD_OUTCOME_METRIC_NAMES.leadsLost]: count((a) => a.newly.lost),
    ...(bookingSeconds.length > 0
      ? {
          [LEAD_OUTCOME_METRIC_NAMES.leadToBookingSeconds]: {
            value: bookingSeconds,
            unit: 'Seconds' as const,
          },
        }
      : {}),
  };
}
