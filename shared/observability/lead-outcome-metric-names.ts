/**
 * The metric contract of the lead-outcome functions (the Tripleseat webhook receiver and the nightly
 * reconcile) with the stack's alarms and dashboard, next to the pollers' (metric-names.ts). The stack
 * (lib/) may import only names from shared/; handlers import these through
 * shared/tripleseat/webhook/metrics.ts.
 *
 * Dimensions: { service: LEAD_OUTCOME_SERVICE_NAMES.*, venue: <venue id> }.
 */

export const LEAD_OUTCOME_SERVICE_NAMES = {
  tripleseatWebhook: 'tripleseat-webhook',
  leadReconcile: 'lead-reconcile',
} as const;

export const LEAD_OUTCOME_METRIC_NAMES = {
  /** Count, 1 per delivery with a valid signature and a readable body. */
  deliveriesAccepted: 'TripleseatDeliveriesAccepted',
  /** Count, 1 per signed delivery the receiver could not read (kept for `venue-sync replay --deliveries`). */
  deliveriesUnreadable: 'TripleseatDeliveriesUnreadable',
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
