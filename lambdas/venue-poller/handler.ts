/**
 * Venue poller Lambda: one per venue, invoked every 5 minutes by EventBridge Scheduler (or early by
 * the HubSpot webhook). Thin: parse the environment, build clients, run pollVenue(), emit metrics.
 */
import type { Context } from 'aws-lambda';
import { METRIC_NAMES, SERVICE_NAMES } from '../../shared/observability/metric-names';
import type { AuthError } from '../../shared/rate-limit/errors';
import { LeadIndex } from '../../shared/reconciliation/lead-index';
import { RunHistory, runTriggerOf } from '../../shared/reconciliation/run-history';
import { credentialsSource, requireCredential } from '../../shared/runtime/credentials';
import { PollerEnvSchema, parseEnv } from '../../shared/runtime/env';
import {
  powertoolsObservability,
  syncRunMetrics,
  type Observability,
} from '../../shared/runtime/observability';
import { logInvocationContext, onFirstInvocation } from '../../shared/runtime/lambda-entry';
import { cachedByCredentials } from '../../shared/runtime/load-once';
import {
  apiCallsSince,
  createRuntime,
  hubspotContactsFor,
  tripleseatTokensFor,
  type RuntimeOverrides,
} from '../../shared/runtime/resources';
import { pollVenue, type PollReport, type PollVenueDeps } from '../../shared/sync/poll-venue';
import { httpDestinationFor } from '../../shared/destinations/venue-destination';
import { TripleseatClient } from '../../shared/tripleseat/client';
import { tripleseatPortFor } from '../../shared/tripleseat/venue-access';

export type VenuePollerHandler = (
  event: unknown,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
) => Promise<PollReport>;

export interface HandlerOptions extends RuntimeOverrides {
  observability?: Observability;
  /** Observes the engine's step boundaries (the sandbox's live view; crash-injection tests). */
  onStep?: PollVenueDeps['onStep'];
  /** Observes every step the decision core decides (the dry-run parity test). */
  onDecision?: PollVenueDeps['onDecision'];
}

export function createHandler(
  env: Record<string, string | undefined>,
  options: HandlerOptions = {},
): VenuePollerHandler {
  const config = parseEnv(PollerEnvSchema, env, `venue poller ${env['VENUE_ID'] ?? ''}`.trim());
  const observability = options.observability ?? powertoolsObservability(SERVICE_NAMES.venuePoller);
  const { log, metrics } = observability;
  const runtime = createRuntime(config, log, options);
  // Clients are rebuilt only when the secret changed (rotation); credentials are never logged.
  const clients = cachedByCredentials(credentialsSource(config), (credentials) => {
    const destination = httpDestinationFor(config, credentials, runtime.caller);
    if (destination) return { hubspot: hubspotContactsFor(credentials, config, runtime.caller), destination };
    // OAuth 2.0 pairs rotate: the current pair lives in the venue's own table partition, not the secret.
    const tokens = tripleseatTokensFor(credentials, config, runtime);
    return {
      hubspot: hubspotContactsFor(credentials, config, runtime.caller),
      tripleseat: new TripleseatClient(
        {
          publicKey: requireCredential(credentials, 'tripleseatPublicKey', 'TRIPLESEAT_PUBLIC_KEY'),
          leadFormId: config.TRIPLESEAT_LEAD_FORM_ID,
          baseUrl: config.TRIPLESEAT_BASE_URI,
          ...(tokens ? { tokens } : {}),
        },
        runtime.caller,
      ),
    };
  });

  const history = new RunHistory(runtime.dynamo, config.TABLE_NAME);
  /** One run-history item per invocation (`venue-sync runs`); a failed write is logged, never fatal. */
  const recordRun = (
    run: { event: unknown; runId: string; startedAt: number },
    status: string,
    report?: PollReport,
    error?: string,
  ) =>
    history
      .record({
        venueId: config.VENUE_ID,
        runId: run.runId,
        trigger: runTriggerOf(run.event, run.runId),
        startedAt: run.startedAt,
        durationMs: runtime.now() - run.startedAt,
        status,
        counts: {
          flagged: report?.flagged ?? 0,
          created: report?.created ?? 0,
          rejected: report?.rejected ?? 0,
          retried: report?.retried ?? 0,
          quarantined: report?.quarantined ?? 0,
        },
        ...(error ? { error } : {}),
      })
      .catch((failure: unknown) => log.warn('run history not written', { error: String(failure) }));

  return async (event, context) => {
    logInvocationContext(observability, context);
    const run = { event, runId: context.awsRequestId, startedAt: runtime.now() };
    try {
      const report = await pollOnce(context);
      await recordRun(run, report.status, report);
      return report;
    } catch (error) {
      await recordRun(run, 'failed', undefined, error instanceof Error ? error.message : String(error));
      throw error;
    }
  };

  async function pollOnce(
    context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
  ): Promise<PollReport> {
    const built = await clients();
    const { hubspot } = built;
    const callsThisRun = apiCallsSince(runtime.caller);
    let oauthFailed: AuthError | undefined;
    const report = await pollVenue({
      venue: {
        id: config.VENUE_ID,
        syncFlagLabel: config.SYNC_FLAG_LABEL,
        fieldMap: config.FIELD_MAP,
        writeBack: config.WRITEBACK_MAP,
        tripleseatLeadFormId: config.TRIPLESEAT_LEAD_FORM_ID,
        tripleseatLocationId: config.TRIPLESEAT_LOCATION_ID,
      },
      hubspot,
      // Without OAuth the lookup that closes the answer-lost window is impossible; a refused OAuth token
      // costs only the lookup (the request waits), never lead creation by public key.
      tripleseat:
        built.destination !== undefined
          ? built.destination
          : tripleseatPortFor(built.tripleseat, (error) => (oauthFailed = error)),
      store: runtime.store,
      leadIndex: new LeadIndex({ client: runtime.dynamo, tableName: config.TABLE_NAME, now: runtime.now }),
      runId: context.awsRequestId,
      now: runtime.now,
      // The lease lives as long as this invocation can (see pollVenue), derived from the real timeout.
      remainingMs: () => context.getRemainingTimeInMillis(),
      otherVenueFlagLabels: config.OTHER_VENUE_FLAG_LABELS ?? [],
      log,
      onStep: options.onStep,
      onDecision: options.onDecision,
    });
    const calls = callsThisRun();
    if (oauthFailed) {
      log.error('Tripleseat refused the OAuth token: lost-answer lookups wait until it is re-authorized', {
        venueId: config.VENUE_ID,
        error: oauthFailed.message,
      });
    }
    log.info('run finished', {
      ...report,
      rejections: report.rejections.length,
      tickToLeadSeconds: undefined,
      apiCalls: calls.calls,
      rateLimited: calls.rateLimited,
    });
    metrics.publish(
      { venue: config.VENUE_ID },
      {
        ...syncRunMetrics({
          flagged: report.flagged,
          synced: report.created,
          rejected: report.rejected + report.quarantined,
          retried: report.retried,
          quarantined: report.quarantined,
          calls,
          hubspotDailyUsedFraction: runtime.caller.dailyUsedFraction(),
        }),
        [METRIC_NAMES.tripleseatAuthFailed]: { value: oauthFailed ? 1 : 0, unit: 'Count' },
        [METRIC_NAMES.oldestWaitingSeconds]: { value: report.oldestWaitingSeconds, unit: 'Seconds' },
        ...(report.tickToLeadSeconds.length > 0
          ? {
              [METRIC_NAMES.tickToLeadSeconds]: { value: report.tickToLeadSeconds, unit: 'Seconds' as const },
            }
          : {}),
      },
    );
    return report;
  }
}

/** The deployed entry point (see onFirstInvocation). */
export const handler: VenuePollerHandler = onFirstInvocation(() => createHandler(process.env));
