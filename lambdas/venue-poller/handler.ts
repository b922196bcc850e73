/**
 * Venue poller Lambda: one per venue, invoked every 5 minutes by EventBridge Scheduler (or early by
 * the HubSpot webhook). Thin: parse the environment, build clients, run pollVenue(), emit metrics.
 */
import type { Context } from 'aws-lambda';
import { SERVICE_NAMES } from '../../shared/observability/metric-names';
import { loadCredentials, requireCredential } from '../../shared/runtime/credentials';
import { PollerEnvSchema, parseEnv } from '../../shared/runtime/env';
import {
  powertoolsObservability,
  syncRunMetrics,
  type Observability,
} from '../../shared/runtime/observability';
import { onFirstInvocation } from '../../shared/runtime/lambda-entry';
import { loadOnce } from '../../shared/runtime/load-once';
import {
  apiCallsSince,
  createRuntime,
  hubspotContactsFor,
  type RuntimeOverrides,
} from '../../shared/runtime/resources';
import { pollVenue, type PollReport, type PollVenueDeps } from '../../shared/sync/poll-venue';
import { TripleseatClient } from '../../shared/tripleseat/client';

export type VenuePollerHandler = (
  event: unknown,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
) => Promise<PollReport>;

export interface HandlerOptions extends RuntimeOverrides {
  observability?: Observability;
  /** Observes the engine's step boundaries (the sandbox's live view; crash-injection tests). */
  onStep?: PollVenueDeps['onStep'];
}

export function createHandler(
  env: Record<string, string | undefined>,
  options: HandlerOptions = {},
): VenuePollerHandler {
  const config = parseEnv(PollerEnvSchema, env, `venue poller ${env['VENUE_ID'] ?? ''}`.trim());
  const { log, metrics } = options.observability ?? powertoolsObservability(SERVICE_NAMES.venuePoller);
  const runtime = createRuntime(config, log, options);
  // Credentials are read once per container (cold start), held in memory only, never logged.
  const clients = loadOnce(async () => {
    const credentials = await loadCredentials(config);
    return {
      hubspot: hubspotContactsFor(credentials, config, runtime.caller),
      tripleseat: new TripleseatClient(
        {
          publicKey: requireCredential(credentials, 'tripleseatPublicKey', 'TRIPLESEAT_PUBLIC_KEY'),
          oauthToken: credentials.tripleseatOauthToken,
          leadFormId: config.TRIPLESEAT_LEAD_FORM_ID,
          baseUrl: config.TRIPLESEAT_BASE_URI,
        },
        runtime.caller,
      ),
    };
  });

  return async (_event, context) => {
    const { hubspot, tripleseat } = await clients();
    const callsThisRun = apiCallsSince(runtime.caller);
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
      // Without an OAuth token the lookup that closes the answer-lost window is impossible.
      tripleseat: tripleseat.hasOauth ? tripleseat : { createLead: (lead) => tripleseat.createLead(lead) },
      store: runtime.store,
      runId: context.awsRequestId,
      now: runtime.now,
      remainingMs: () => context.getRemainingTimeInMillis(),
      log,
      onStep: options.onStep,
    });
    const calls = callsThisRun();
    log.info('run finished', {
      ...report,
      rejections: report.rejections.length,
      apiCalls: calls.calls,
      rateLimited: calls.rateLimited,
    });
    metrics.publish(
      { venue: config.VENUE_ID },
      syncRunMetrics({
        flagged: report.flagged,
        synced: report.created,
        rejected: report.rejected + report.quarantined,
        retried: report.retried,
        quarantined: report.quarantined,
        calls,
        hubspotDailyUsedFraction: runtime.caller.dailyUsedFraction(),
      }),
    );
    return report;
  };
}

/** The deployed entry point (see onFirstInvocation). */
export const handler: VenuePollerHandler = onFirstInvocation(() => createHandler(process.env));
