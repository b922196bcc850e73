/**
 * The metric contract of the lead-outcome functions (the Tripleseat webhook receiver and the nightly
 * reconcile) with the stack's dashboard. Free of aws-cdk-lib so handlers may import it.
 *
 * Dimensions: { service: LEAD_OUTCOME_SERVICE_NAMES.*, venue: <venue id> }.
 */
import type { MetricValue } from '../../runtime/observability';
import type { AppliedDelivery } from './apply';

export const LEAD_OUTCOME_SERVICE_NAMES = {
  tripleseatWebhook: 'tripleseat-webhook',
  leadReconcile: 'lead-reconcile',
} as const;

export const LEAD_OUTCOME_METRIC_NAMES = {
  /** Count, 1 per delivery with a valid signature and a readable body. */
  deliveriesAccepted: 'TripleseatDeliveriesAccepted',
  /** Count, 1 per request refused with 401 (bad or missing signature). */
  deliveriesUnauthorized: 'TripleseatDeliveriesUnauthorized',
  /** Count, 1 per delivery about a lead venue-sync did not create (answered 200, recorded for ops). */
  unknownLeads: 'TripleseatUnknownLeads',
  /** Count, 1 per delivery that changed nothing (a repeat, or older than what is applied). */
  deliveriesIgnored: 'TripleseatDeliveriesIgnored',
  /** Count of leads reaching each stage for the first time. */
  leadsConverted: 'LeadsConverted',
  leadsBooked: 'LeadsBooked',
  leadsTurnedDown: 'LeadsTurnedDown',
  leadsLost: 'LeadsLost',
  /** Seconds, one value per booked lead: from the lead's creation to its booking. Dashboard p50. */
  leadToBookingSeconds: 'LeadToBookingSeconds',
  /** Count of quarantined lost-answer requests a CREATE_LEAD settled. */
  lostAnswersSettled: 'LostAnswersSettled',
  /** Reconcile only: leads it read, and outcomes it applied that no delivery had brought. */
  reconcileLeadsRead: 'ReconcileLeadsRead',
  reconcileOutcomesApplied: 'ReconcileOutcomesApplied',
} as const;

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
