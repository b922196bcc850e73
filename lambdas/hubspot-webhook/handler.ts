/**
 * HubSpot webhook receiver behind a Lambda Function URL (payload format 2.0). Thin: check the signature
 * (v3, or v1/v2 for deliveries that carry only those), route the delivery to the venues whose sync
 * checkbox was ticked, and invoke those venues' pollers asynchronously so the lead appears in seconds
 * instead of at the next 5-minute tick.
 *
 * One venue's bad VENUE_POLLERS entry (malformed, a flag without letters, two venues with one flag) never
 * stops the others: that venue is left out of routing with an error log line naming it and the cause, at
 * cold start and on every delivery, and the rest route normally. Building the handler throws only when
 * the environment as a whole is unusable (no VENUE_POLLERS JSON object), and then the next invocation
 * tries again (onFirstInvocation does not keep a failed build).
 *
 * Nothing here is load-bearing for correctness: the scheduled poll stays the source of truth, and the
 * poller's DynamoDB lease makes an early invoke safe (two runs of one venue cannot overlap), so there is
 * no locking or deduplication here. Answers: 204 accepted, 401 bad/stale signature (nothing invoked),
 * 400 malformed request, 502 when an invoke failed (HubSpot retries the delivery; an extra early poll is
 * harmless).
 */
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { SERVICE_NAMES } from '../../shared/observability/metric-names';
import { credentialsSource, requireCredential } from '../../shared/runtime/credentials';
import { EnvError, WebhookEnvSchema, parseEnv } from '../../shared/runtime/env';
import { powertoolsObservability, type Observability } from '../../shared/runtime/observability';
import { logInvocationContext, onFirstInvocation } from '../../shared/runtime/lambda-entry';
import {
  FunctionUrlEventSchema,
  readFunctionUrlRequest,
  textResponse as text,
  type FunctionUrlResponse,
} from '../../shared/runtime/function-url';
import { cachedByCredentials } from '../../shared/runtime/load-once';
import { createFlagRouter, parseVenuePollers, routeDelivery } from '../../shared/webhook/route';
import { WEBHOOK_METRIC_NAMES } from '../../shared/observability/metric-names';
import { buildSignedUri, verifyHubSpotDelivery } from '../../shared/webhook/signature';

/** What the webhook sends a venue poller (the poller ignores the event's content today). */
export interface WebhookPollerPayload {
  source: 'hubspot-webhook';
  eventIds: string[];
}

export type WebhookResponse = FunctionUrlResponse;

export type HubSpotWebhookHandler = (event: unknown, context?: unknown) => Promise<WebhookResponse>;

export interface HandlerOptions {
  observability?: Observability;
  /** Clock for the timestamp window; default Date.now. */
  now?: () => number;
  /** A ready Lambda client (the sandbox may share one); default built from the environment. */
  lambda?: { send(command: InvokeCommand): Promise<InvokeCommandOutput> };
}

/** The Function URL event's parts every receiver reads, plus the path and host the signature covers. */
const HubSpotEventSchema = FunctionUrlEventSchema.extend({
  rawPath: z.string().min(1),
  rawQueryString: z.string().default(''),
  requestContext: z.object({
    domainName: z.string().optional(),
    http: z.object({ method: z.string().min(1) }),
  }),
});

const DEFAULT_REGION = 'us-east-1';

/** VENUE_POLLERS is read entry by entry (parseVenuePollers), so here it only has to be text. */
const WebhookHandlerEnvSchema = WebhookEnvSchema.extend({ VENUE_POLLERS: z.string().min(1) });

export function createHandler(
  env: Record<string, string | undefined>,
  options: HandlerOptions = {},
): HubSpotWebhookHandler {
  const config = parseEnv(WebhookHandlerEnvSchema, env, 'hubspot webhook');
  const pollers = parseVenuePollers(config.VENUE_POLLERS);
  if (!pollers.ok) throw new EnvError(`hubspot webhook is misconfigured: ${pollers.detail}`);
  const router = createFlagRouter(pollers.venues);
  const skipped = [...pollers.skipped, ...router.skipped];
  const skippedVenues = skipped.map(({ venueId }) => venueId);
  const observability = options.observability ?? powertoolsObservability(SERVICE_NAMES.hubspotWebhook);
  const { log, metrics } = observability;
  for (const { venueId, cause } of skipped) {
    log.error('webhook: venue skipped; its checkbox will not trigger early polls (scheduled polls go on)', {
      venueId,
      cause,
    });
  }
  const now = options.now ?? Date.now;
  const lambda = options.lambda ?? createLambdaClient(env, config.AWS_ENDPOINT_URL_LAMBDA);
  // Re-read when the secret's cache expires (rotation without a redeploy); never logged.
  const appSecret = cachedByCredentials(credentialsSource(config), (credentials) =>
    requireCredential(credentials, 'hubspotAppSecret', 'HUBSPOT_APP_SECRET'),
  );

  return async (rawEvent, context) => {
    logInvocationContext(observability, context);
    const parsedEvent = HubSpotEventSchema.safeParse(rawEvent);
    if (!parsedEvent.success) {
      log.warn('webhook refused: not a Function URL request', { status: 400 });
      metrics.publish({}, { [WEBHOOK_METRIC_NAMES.requestsMalformed]: { value: 1, unit: 'Count' } });
      return text(400, 'bad request');
    }
    const event = parsedEvent.data;
    const { headers, body } = readFunctionUrlRequest(event);
    const host = headers['host'] ?? event.requestContext.domainName ?? '';

    // https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
    const verdict = verifyHubSpotDelivery(
      {
        method: event.requestContext.http.method,
        uri: buildSignedUri({ host, rawPath: event.rawPath, rawQueryString: event.rawQueryString }),
        body,
        headers,
      },
      { appSecret: await appSecret(), now: now() },
    );
    if (!verdict.ok) {
      log.warn('webhook refused: signature', { status: 401, reason: verdict.reason, detail: verdict.detail });
      metrics.publish({}, { [WEBHOOK_METRIC_NAMES.requestsUnauthorized]: { value: 1, unit: 'Count' } });
      return text(401, 'unauthorized');
    }

    const routed = routeDelivery(body, router);
    if (!routed.ok) {
      log.warn('webhook refused: malformed delivery', {
        status: 400,
        reason: routed.reason,
        detail: routed.detail,
      });
      metrics.publish({}, { [WEBHOOK_METRIC_NAMES.requestsMalformed]: { value: 1, unit: 'Count' } });
      return text(400, 'bad request');
    }

    if (routed.otherObjectTypes.length > 0) {
      log.info('webhook: ignored property changes of other object types (only contacts, 0-1, are routed)', {
        objectTypes: routed.otherObjectTypes,
      });
    }

    const outcomes = await Promise.all(
      routed.triggers.map(async ({ venueId, eventIds }) => {
        const poller = pollers.venues[venueId];
        if (!poller) return { venueId, ok: false, error: 'venue missing from VENUE_POLLERS' };
        const payload: WebhookPollerPayload = { source: 'hubspot-webhook', eventIds };
        try {
          // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (Event: queued, answers 202)
          await lambda.send(
            new InvokeCommand({
              FunctionName: poller.functionName,
              InvocationType: 'Event',
              Payload: new TextEncoder().encode(JSON.stringify(payload)),
            }),
          );
          return { venueId, ok: true };
        } catch (error) {
          return {
            venueId,
            ok: false,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          };
        }
      }),
    );
    const triggered = outcomes.filter((outcome) => outcome.ok).map((outcome) => outcome.venueId);
    const failed = outcomes
      .filter((outcome) => !outcome.ok)
      .map(({ venueId, error }) => ({ venueId, error }));
    const fields = {
      status: failed.length > 0 ? 502 : 204,
      triggered,
      failed,
      ...routed.counts,
      malformedEvents: routed.malformed,
      signatureVersion: verdict.version,
      ...(verdict.uriForm ? { uriForm: verdict.uriForm } : {}),
      ...(skippedVenues.length > 0 ? { skippedVenues } : {}),
    };
    if (failed.length > 0) log.error('webhook accepted; some invokes failed', fields);
    else if (skippedVenues.length > 0) log.error('webhook accepted; some venues are skipped', fields);
    else log.info('webhook accepted', fields);
    metrics.publish(
      {},
      {
        [WEBHOOK_METRIC_NAMES.deliveriesAccepted]: { value: 1, unit: 'Count' },
        [WEBHOOK_METRIC_NAMES.eventsMalformed]: { value: routed.counts.malformed, unit: 'Count' },
        [WEBHOOK_METRIC_NAMES.venuesTriggered]: { value: triggered.length, unit: 'Count' },
        [WEBHOOK_METRIC_NAMES.invokeFailures]: { value: failed.length, unit: 'Count' },
      },
    );
    if (failed.length > 0) return text(502, 'invoke failed');
    return { statusCode: 204 };
  };
}

/**
 * The Lambda client for early invokes. AWS_ENDPOINT_URL_LAMBDA points it at the sandbox's local invoke
 * endpoint; region and credentials come from the given environment when present (the sandbox and tests
 * pass dummy ones there), otherwise from the SDK's default chain as in AWS.
 */
function createLambdaClient(
  env: Record<string, string | undefined>,
  endpoint: string | undefined,
): LambdaClient {
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  return new LambdaClient({
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
    // HubSpot waits 5 s for the answer; one retry fits, more would not (and the poll catches up anyway).
    maxAttempts: 2,
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, sessionToken: env['AWS_SESSION_TOKEN'] } }
      : {}),
  });
}

/** The deployed entry point (see onFirstInvocation). */
export const handler: HubSpotWebhookHandler = onFirstInvocation(() => createHandler(process.env));
