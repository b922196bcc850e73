/**
 * One venue's nightly lead reconcile (its own schedule). Webhook deliveries can be lost (an endpoint
 * disabled, five failed attempts, a deploy at the wrong moment); this run asks Tripleseat, with the
 * venue's OAuth access, for every lead changed since the last run (`updated_after`) and applies each lead
 * venue-sync created through the same order-safe logic as the receiver, so a delivery that did arrive
 * changes nothing and one that did not is caught up. It also indexes any recorded lead id the index lacks
 * (requests from before the index existed, or recorded by `venue-sync replay`).
 */
import { randomUUID } from 'node:crypto';
import { LeadIndex, LeadIndexConflictError } from '../../shared/reconciliation/lead-index';
import { loadCredentials } from '../../shared/runtime/credentials';
import { LeadOutcomeEnvSchema, parseEnv } from '../../shared/runtime/env';
import { onFirstInvocation } from '../../shared/runtime/lambda-entry';
import { powertoolsObservability, type Observability } from '../../shared/runtime/observability';
import {
  createRuntime,
  hubspotContactsFor,
  tripleseatTokensFor,
  type RuntimeOverrides,
} from '../../shared/runtime/resources';
import type { HubSpotContactsPort } from '../../shared/sync/ports';
import { LeadOutcomeApplier, type AppliedDelivery } from '../../shared/tripleseat/webhook/apply';
import {
  LEAD_OUTCOME_METRIC_NAMES,
  LEAD_OUTCOME_SERVICE_NAMES,
  stageMetrics,
} from '../../shared/tripleseat/webhook/metrics';
import { deliveryFromRestLead } from '../../shared/tripleseat/webhook/payload';
import { TripleseatLeadReader } from '../../shared/tripleseat/webhook/rest';

/** Read a little before the last run started: clocks differ, and a change at the boundary must not slip. */
const OVERLAP_MS = 60 * 60 * 1000;

export interface ReconcileReport {
  venueId: string;
  status: 'completed' | 'no-oauth';
  since?: string;
  leadsRead: number;
  applied: number;
  ignored: number;
  notOurs: number;
  indexed: number;
}

export type LeadReconcileHandler = (event: unknown, context?: unknown) => Promise<ReconcileReport>;

export interface HandlerOptions extends RuntimeOverrides {
  observability?: Observability;
  hubspot?: Pick<HubSpotContactsPort, 'listProperties' | 'updateContacts'>;
}

export function createHandler(
  env: Record<string, string | undefined>,
  options: HandlerOptions = {},
): LeadReconcileHandler {
  const config = parseEnv(LeadOutcomeEnvSchema, env, `lead reconcile ${env['VENUE_ID'] ?? ''}`.trim());
  const { log, metrics } =
    options.observability ?? powertoolsObservability(LEAD_OUTCOME_SERVICE_NAMES.leadReconcile);
  const runtime = createRuntime(config, log, options);
  const venueId = config.VENUE_ID;
  const index = new LeadIndex({ client: runtime.dynamo, tableName: config.TABLE_NAME, now: runtime.now });

  return async () => {
    const startedAt = runtime.now();
    const report: ReconcileReport = {
      venueId,
      status: 'completed',
      leadsRead: 0,
      applied: 0,
      ignored: 0,
      notOurs: 0,
      indexed: 0,
    };
    const credentials = await loadCredentials(config);
    const tokens = tripleseatTokensFor(credentials, config, runtime);
    if (!tokens) {
      log.error(
        "lead reconcile needs the venue's Tripleseat OAuth access; only webhook deliveries update outcomes",
        {
          venueId,
        },
      );
      return { ...report, status: 'no-oauth' };
    }
    report.indexed = await backfillIndex(runtime.store, index, venueId, log);

    const last = await index.lastReconcile(venueId);
    const sinceMs = (last ?? startedAt - config.LEAD_RECONCILE_FIRST_LOOKBACK_HOURS * 3_600_000) - OVERLAP_MS;
    report.since = new Date(sinceMs).toISOString();
    const reader = new TripleseatLeadReader({
      baseUrl: config.TRIPLESEAT_BASE_URI,
      tokens,
      caller: runtime.caller,
    });
    const records = await reader.leadsUpdatedAfter(sinceMs);
    report.leadsRead = records.length;

    const applier = new LeadOutcomeApplier({
      venue: { id: venueId, writeBack: config.WRITEBACK_MAP },
      store: runtime.store,
      index,
      hubspot: options.hubspot ?? hubspotContactsFor(credentials, config, runtime.caller),
      runId: `lead-reconcile-${randomUUID()}`,
      now: runtime.now,
      log,
    });
    const applied: AppliedDelivery[] = [];
    for (const record of records) {
      const delivery = deliveryFromRestLead(record);
      // Only leads venue-sync created: the account's other leads are none of its business.
      if (!delivery?.leadId || !(await index.findLead(venueId, delivery.leadId))) {
        report.notOurs += 1;
        continue;
      }
      const result = await applier.apply(delivery);
      if (result.kind === 'applied') applied.push(result);
      else report.ignored += 1;
    }
    report.applied = applied.length;
    await index.markReconciled(venueId, startedAt);
    log.info('lead reconcile finished', { ...report });
    metrics.publish(
      { venue: venueId },
      {
        [LEAD_OUTCOME_METRIC_NAMES.reconcileLeadsRead]: { value: report.leadsRead, unit: 'Count' },
        [LEAD_OUTCOME_METRIC_NAMES.reconcileOutcomesApplied]: { value: report.applied, unit: 'Count' },
        ...stageMetrics(applied),
      },
    );
    return report;
  };
}

/** Indexes every recorded lead id of the venue's ledger that the index lacks; returns how many. */
async function backfillIndex(
  store: ReturnType<typeof createRuntime>['store'],
  index: LeadIndex,
  venueId: string,
  log: Observability['log'],
): Promise<number> {
  let indexed = 0;
  for (const entry of await store.listLedger(venueId)) {
    if (!entry.leadId || entry.leadId === 'unknown') continue;
    if (await index.findLead(venueId, entry.leadId)) continue;
    try {
      await index.recordLead(entry, entry.leadId);
      indexed += 1;
    } catch (error) {
      if (!(error instanceof LeadIndexConflictError)) throw error;
      log.error('lead index conflict; outcome deliveries for this lead are not written', {
        venueId,
        leadId: entry.leadId,
        error: error.message,
      });
    }
  }
  return indexed;
}

/** The deployed entry point (see onFirstInvocation). */
export const handler: LeadReconcileHandler = onFirstInvocation(() => createHandler(process.env));
