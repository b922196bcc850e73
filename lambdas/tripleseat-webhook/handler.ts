/**
 * One venue's Tripleseat webhook receiver behind its own Lambda Function URL (payload format 2.0). Thin:
 * verify `X-Signature` with THIS venue's webhook secret, parse the delivery, and apply it to this venue's
 * ledger and contacts (shared/tripleseat/webhook/apply.ts). Its role reads only this venue's secret and
 * partitions, so a delivery can never reach another venue's contacts, even with a bug here.
 *
 * Answers (Tripleseat resends up to 5 more times without a 200):
 *   200  applied, a repeat or older delivery (nothing changed), or a lead venue-sync did not create
 *        (recorded for ops) — retrying those would change nothing
 *   401  bad or missing signature, nothing written;  400  not a POST Function URL request
 *   200  also for a signed body it cannot read: kept for `venue-sync replay --deliveries` (resends would not help)
 *   503  the venue's lease is held (a poll or replay is running): retried later
 *   500  HubSpot or the table failed: retried; the nightly reconcile re-applies what is still missing
 */
import { randomUUID } from 'node:crypto';
import { LeadIndex } from '../../shared/reconciliation/lead-index';
import { credentialsSource } from '../../shared/runtime/credentials';
import { LeadOutcomeEnvSchema, parseEnv } from '../../shared/runtime/env';
import { onFirstInvocation } from '../../shared/runtime/lambda-entry';
import {
  FunctionUrlEventSchema,
  readFunctionUrlRequest,
  textResponse as text,
  type FunctionUrlResponse,
} from '../../shared/runtime/function-url';
import { cachedByCredentials } from '../../shared/runtime/load-once';
import { powertoolsObservability, type Observability } from '../../shared/runtime/observability';
import { createRuntime, hubspotContactsFor, type RuntimeOverrides } from '../../shared/runtime/resources';
import type { HubSpotContactsPort } from '../../shared/sync/ports';
import { LeadOutcomeApplier, type ApplyResult } from '../../shared/tripleseat/webhook/apply';
import {
  LEAD_OUTCOME_METRIC_NAMES,
  LEAD_OUTCOME_SERVICE_NAMES,
  stageMetrics,
} from '../../shared/tripleseat/webhook/metrics';
import { parseTripleseatDelivery } from '../../shared/tripleseat/webhook/payload';
import {
  TRIPLESEAT_SIGNATURE_HEADER,
  verifyTripleseatSignature,
} from '../../shared/tripleseat/webhook/signature';

export type WebhookResponse = FunctionUrlResponse;

export type TripleseatWebhookHandler = (event: unknown, context?: unknown) => Promise<WebhookResponse>;

export interface HandlerOptions extends RuntimeOverrides {
  observability?: Observability;
  /** The HubSpot side (tests pass a spy over the simulator); default built from the venue's token. */
  hubspot?: Pick<HubSpotContactsPort, 'listProperties' | 'updateContacts'>;
}

export function createHandler(
  env: Record<string, string | undefined>,
  options: HandlerOptions = {},
): TripleseatWebhookHandler {
  const config = parseEnv(LeadOutcomeEnvSchema, env, `tripleseat webhook ${env['VENUE_ID'] ?? ''}`.trim());
  const { log, metrics } =
    options.observability ?? powertoolsObservability(LEAD_OUTCOME_SERVICE_NAMES.tripleseatWebhook);
  const runtime = createRuntime(config, log, options);
  const venueId = config.VENUE_ID;
  const dimensions = { venue: venueId };
  const count = (name: string) => metrics.publish(dimensions, { [name]: { value: 1, unit: 'Count' } });
  // Rebuilt only when the secret changed (a rotated webhook secret is picked up); never logged.
  const resources = cachedByCredentials(credentialsSource(config), (credentials) => {
    return {
      secret: credentials.tripleseatWebhookSecret ?? config.TRIPLESEAT_WEBHOOK_SECRET,
      hubspot: options.hubspot ?? hubspotContactsFor(credentials, config, runtime.caller),
    };
  });
  const index = new LeadIndex({ client: runtime.dynamo, tableName: config.TABLE_NAME, now: runtime.now });

  return async (rawEvent) => {
    const parsedEvent = FunctionUrlEventSchema.safeParse(rawEvent);
    if (!parsedEvent.success || parsedEvent.data.requestContext.http.method !== 'POST') {
      log.warn('tripleseat webhook refused: not a POST Function URL request', { venueId, status: 400 });
      return text(400, 'bad request');
    }
    const event = parsedEvent.data;
    const { headers, body } = readFunctionUrlRequest(event);

    const { secret, hubspot } = await resources();
    // https://support.tripleseat.com/hc/en-us/articles/40075780832919 (API Webhooks: X-Signature)
    const verdict = verifyTripleseatSignature(body, headers[TRIPLESEAT_SIGNATURE_HEADER], secret);
    if (!verdict.ok) {
      const level = verdict.reason === 'missing-secret' ? 'error' : 'warn';
      log[level]('tripleseat webhook refused: signature', { venueId, status: 401, reason: verdict.reason });
      count(LEAD_OUTCOME_METRIC_NAMES.deliveriesUnauthorized);
      return text(401, 'unauthorized');
    }
    const parsed = parseTripleseatDelivery(body);
    if (!parsed.ok) {
      // Signed, so it is Tripleseat's: its fields are not what this reader assumes. Resending cannot
      // change that, so it is kept whole for `venue-sync replay --deliveries` (after the reader is
      // fixed) and answered 200; a failed keep is answered 500 so Tripleseat resends it.
      const why = { reason: parsed.reason, detail: parsed.detail };
      try {
        await index.keepUnreadableDelivery(venueId, body, why);
      } catch (error) {
        log.error('tripleseat delivery unreadable and could not be kept; Tripleseat will retry', {
          venueId,
          status: 500,
          ...why,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return text(500, 'failed; retry');
      }
      log.error('tripleseat delivery unreadable: kept for venue-sync replay --deliveries', {
        venueId,
        status: 200,
        ...why,
      });
      count(LEAD_OUTCOME_METRIC_NAMES.deliveriesUnreadable);
      return text(200, 'kept: unreadable');
    }
    count(LEAD_OUTCOME_METRIC_NAMES.deliveriesAccepted);

    const applier = new LeadOutcomeApplier({
      venue: { id: venueId, writeBack: config.WRITEBACK_MAP },
      store: runtime.store,
      index,
      hubspot,
      runId: `tripleseat-webhook-${randomUUID()}`,
      now: runtime.now,
      log,
    });
    let result: ApplyResult;
    try {
      result = await applier.apply(parsed.delivery);
    } catch (error) {
      log.error('tripleseat delivery failed; Tripleseat will retry', {
        venueId,
        status: 500,
        leadId: parsed.delivery.leadId,
        trigger: parsed.delivery.trigger,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return text(500, 'failed; retry');
    }
    publishResult(result, (values) => metrics.publish(dimensions, values));
    if (result.kind === 'busy') return text(503, 'busy; retry');
    return text(200, 'ok');
  };
}

function publishResult(
  result: ApplyResult,
  publish: (values: Parameters<Observability['metrics']['publish']>[1]) => void,
): void {
  const one = { value: 1, unit: 'Count' as const };
  if (result.kind === 'unknown-lead') publish({ [LEAD_OUTCOME_METRIC_NAMES.unknownLeads]: one });
  if (result.kind === 'ignored') publish({ [LEAD_OUTCOME_METRIC_NAMES.deliveriesIgnored]: one });
  if (result.kind === 'applied') publish(stageMetrics([result]));
  if ((result.kind === 'applied' || result.kind === 'ignored') && result.settled)
    publish({ [LEAD_OUTCOME_METRIC_NAMES.lostAnswersSettled]: one });
}

/** The deployed entry point (see onFirstInvocation). */
export const handler: TripleseatWebhookHandler = onFirstInvocation(() => createHandler(process.env));
