/**
 * Webex sync Lambda: invoked on a schedule (the event's content is ignored). Thin: parse the
 * environment, build clients, run syncWebex(), emit metrics (service dimension only).
 *
 * The Webex client lives as long as the container (until the secret rotates): its introspected schema
 * (one API call, counted in the first run's ApiCallsWebex) and any page size Webex refused are kept
 * across invocations.
 */
import type { Context } from 'aws-lambda';
import { SERVICE_NAMES } from '../../shared/observability/metric-names';
import { credentialsSource, requireCredential } from '../../shared/runtime/credentials';
import { WebexEnvSchema, parseEnv } from '../../shared/runtime/env';
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
  type RuntimeOverrides,
} from '../../shared/runtime/resources';
import { syncWebex, type SyncWebexOptions, type WebexSyncReport } from '../../shared/sync/sync-webex';
import { WebexClient } from '../../shared/webex/client';
import { parseWebexFieldMap } from '../../shared/webex/fields';

/** Count of configured Webex fields this account's schema lacks (the run went on without them). */
export const WEBEX_FIELDS_MISSING_METRIC = 'WebexFieldsMissing';

export type WebexSyncHandler = (
  event: unknown,
  context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
) => Promise<WebexSyncReport>;

export interface HandlerOptions extends RuntimeOverrides {
  observability?: Observability;
  /** Engine tuning (page size, stop margin, lease TTL); tests and the sandbox only. */
  sync?: SyncWebexOptions;
}

export function createHandler(
  env: Record<string, string | undefined>,
  options: HandlerOptions = {},
): WebexSyncHandler {
  const config = parseEnv(WebexEnvSchema, env, 'webex sync');
  // Unknown Webex field names fail at cold start, listing the known ones.
  const fieldMap = parseWebexFieldMap(config.WEBEX_FIELD_MAP);
  const observability = options.observability ?? powertoolsObservability(SERVICE_NAMES.webexSync);
  const { log, metrics } = observability;
  const runtime = createRuntime(config, log, options);
  // Clients are rebuilt only when the secret changed (rotation); credentials are never logged.
  const clients = cachedByCredentials(credentialsSource(config), (credentials) => {
    return {
      hubspot: hubspotContactsFor(credentials, config, runtime.caller),
      webex: new WebexClient(
        { token: requireCredential(credentials, 'webexToken', 'WEBEX_TOKEN'), apiUrl: config.WEBEX_API_URL },
        runtime.caller,
      ),
    };
  });

  return async (_event, context) => {
    logInvocationContext(observability, context);
    const { hubspot, webex } = await clients();
    const callsThisRun = apiCallsSince(runtime.caller);
    const report = await syncWebex({
      webex,
      hubspot,
      store: runtime.store,
      fieldMap,
      eventIds: config.WEBEX_EVENT_IDS,
      runId: context.awsRequestId,
      remainingMs: () => context.getRemainingTimeInMillis(),
      log,
      ...(options.sync ? { options: options.sync } : {}),
    });
    const calls = callsThisRun();
    log.info('run finished', {
      ...report,
      events: report.events.length,
      missingFields: report.missingFields.map(({ label, field }) => `${field} (${label})`),
      apiCalls: calls.calls,
      rateLimited: calls.rateLimited,
      webexDailyUsedFraction: runtime.caller.webexDailyUsedFraction(),
    });
    metrics.publish(
      {},
      {
        ...syncRunMetrics({
          flagged: report.created + report.updated + report.failed,
          synced: report.created + report.updated,
          rejected: report.quarantined + report.failed,
          retried: report.failed,
          quarantined: report.quarantined,
          calls,
          hubspotDailyUsedFraction: runtime.caller.dailyUsedFraction(),
        }),
        [WEBEX_FIELDS_MISSING_METRIC]: { value: report.missingFields.length, unit: 'Count' },
      },
    );
    return report;
  };
}

/** The deployed entry point (see onFirstInvocation). */
export const handler: WebexSyncHandler = onFirstInvocation(() => createHandler(process.env));
