/**
 * The CloudWatch metric contract between the handlers (which emit with Powertools Metrics, EMF) and the
 * stack (which alarms and graphs on them). One module so both sides cannot drift apart.
 *
 * Deliberately free of aws-cdk-lib imports: a handler may import these constants without pulling CDK
 * into its bundle.
 *
 * Dimension sets (an alarm only matches a metric emitted with EXACTLY these dimensions):
 * - venue poller:  { service: SERVICE_NAMES.venuePoller, venue: <venue id> }
 * - Webex sync:    { service: SERVICE_NAMES.webexSync }
 * - webhook:       { service: SERVICE_NAMES.hubspotWebhook }
 * Powertools adds `service` (from POWERTOOLS_SERVICE_NAME) to every metric by default; the poller adds
 * `venue` with `metrics.addDimension(METRIC_DIMENSIONS.venue, venueId)` once per invocation.
 */

/** Powertools `POWERTOOLS_METRICS_NAMESPACE`; the stack sets it in every function's environment. */
export const METRICS_NAMESPACE = 'VenueSync';

/** Values of `POWERTOOLS_SERVICE_NAME`, one per handler kind (set by the stack). */
export const SERVICE_NAMES = {
  venuePoller: 'venue-poller',
  webexSync: 'webex-sync',
  hubspotWebhook: 'hubspot-webhook',
} as const;

export const METRIC_DIMENSIONS = {
  /** Added by Powertools from POWERTOOLS_SERVICE_NAME. */
  service: 'service',
  /** The venue id (poller only). */
  venue: 'venue',
} as const;

export const METRIC_NAMES = {
  /**
   * Count, 1 per run that ended without a fatal error (including a run that stopped early for time,
   * and a run that found the lease held by another run). Alarm: no datapoint >= 1 for 3 intervals.
   */
  successfulRun: 'SuccessfulRun',
  /** Count of flag-set events (poller) / changed people (Webex) this run looked at. */
  recordsFlagged: 'RecordsFlagged',
  /** Count of records that could not be synced (REJECTED / quarantined). Alarm on rejected / flagged. */
  recordsRejected: 'RecordsRejected',
  /** Count of Tripleseat leads created (poller) / HubSpot contacts upserted (Webex). Dashboard only. */
  recordsSynced: 'RecordsSynced',
  /** Percent (0-100) of the HubSpot portal's daily call budget used so far today. Alarm: > 80. */
  hubSpotDailyBudgetUsedPercent: 'HubSpotDailyBudgetUsedPercent',
  /** Count of records left for a later tick after a temporary failure. Dashboard only. */
  recordsRetried: 'RecordsRetried',
  /** Count of records parked for `venue-sync replay` (poller) or quarantined (Webex, no email). */
  recordsQuarantined: 'RecordsQuarantined',
  /** Count of API requests this run made (each retry counts), per API: `ApiCalls<Api>`. */
  apiCallsHubSpot: 'ApiCallsHubSpot',
  apiCallsTripleseat: 'ApiCallsTripleseat',
  apiCallsWebex: 'ApiCallsWebex',
  /** Count of 429 answers this run received, all APIs. */
  rateLimitedAnswers: 'RateLimitedAnswers',
  /**
   * Poller only. Count, 1 per run in which Tripleseat refused the venue's OAuth token or its refresh
   * (401/403 from the token or an OAuth call), else 0. Alarm: >= 1 in an interval (the lead lookup that
   * prevents duplicates is blind until someone issues a new token).
   */
  tripleseatAuthFailed: 'TripleseatAuthFailed',
  /**
   * Poller only. Seconds (unit `Seconds`): age of the oldest request still waiting for a decision at the
   * end of a run, measured from the checkbox tick; 0 when nothing waits. Alarm: maximum > 2 intervals.
   */
  oldestWaitingSeconds: 'OldestWaitingSeconds',
  /**
   * Poller only. Seconds (unit `Seconds`), one value PER lead created (not a per-run average, so
   * percentiles stay meaningful): time from the checkbox tick to the Tripleseat lead. Dashboard p50/p95.
   */
  tickToLeadSeconds: 'TickToLeadSeconds',
} as const;

export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/**
 * Metrics this handler emits (dimension: `service` = hubspot-webhook, added by Powertools). Dashboard
 * only for now; no alarm depends on them.
 */
export const WEBHOOK_METRIC_NAMES = {
  /** Count, 1 per delivery with a valid signature and body. */
  deliveriesAccepted: 'WebhookDeliveriesAccepted',
  /** Count, 1 per request refused with 401 (bad, missing or stale signature). */
  requestsUnauthorized: 'WebhookRequestsUnauthorized',
  /** Count, 1 per signed request refused with 400 (body not a JSON array of <= 100 events). */
  requestsMalformed: 'WebhookRequestsMalformed',
  /** Count of events in accepted deliveries that did not parse (reported, skipped). */
  eventsMalformed: 'WebhookEventsMalformed',
  /** Count of venue pollers invoked early. */
  venuesTriggered: 'WebhookVenuesTriggered',
  /** Count of early invokes that failed. */
  invokeFailures: 'WebhookInvokeFailures',
} as const;
