import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type HubSpotWebhookHandler } from '../../lambdas/hubspot-webhook/handler';
import type { MetricValue, Observability } from '../../shared/runtime/observability';
import { signHubSpotV1, signHubSpotV2, signHubSpotV3 } from '../../shared/webhook/signature';
import { onFirstInvocation } from '../../shared/runtime/lambda-entry';
import { startLocalLambda, type LocalLambda } from '../../sandbox/local-lambda';
import { VENUE_FLAGS, propertyChange } from './fixtures';

const APP_SECRET = 'webhook-app-secret-test';
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOST = 'abc123xyz.lambda-url.us-east-1.on.aws';

interface Captured {
  lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }>;
  metrics: Array<Record<string, MetricValue>>;
}

function capture(): { observability: Observability; captured: Captured } {
  const captured: Captured = { lines: [], metrics: [] };
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    captured.lines.push({ level, message, fields });
  return {
    captured,
    observability: {
      log: { info: line('info'), warn: line('warn'), error: line('error') },
      metrics: { publish: (_dimensions, values) => captured.metrics.push(values) },
    },
  };
}

/** A Function URL (payload format 2.0) event for a HubSpot delivery, signed like HubSpot does. */
function delivery(
  body: string,
  options: {
    secret?: string;
    timestamp?: number;
    tamper?: (body: string) => string;
    rawQueryString?: string;
  } = {},
): Record<string, unknown> {
  const timestamp = String(options.timestamp ?? NOW - 2_000);
  const rawQueryString = options.rawQueryString ?? '';
  const uri = `https://${HOST}/${rawQueryString ? `?${rawQueryString}` : ''}`;
  const signature = signHubSpotV3({
    appSecret: options.secret ?? APP_SECRET,
    method: 'POST',
    uri,
    body,
    timestamp,
  });
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString,
    headers: {
      host: HOST,
      'content-type': 'application/json',
      'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-version': 'v1',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc123xyz',
      domainName: HOST,
      domainPrefix: 'abc123xyz',
      http: {
        method: 'POST',
        path: '/',
        protocol: 'HTTP/1.1',
        sourceIp: '54.174.0.1',
        userAgent: 'HubSpot Connect 2.0',
      },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:12:00:00 +0000',
      timeEpoch: NOW,
    },
    body: options.tamper ? options.tamper(body) : body,
    isBase64Encoded: false,
  };
}

describe('Handler: hubspot-webhook (through the real Lambda client and sandbox/local-lambda)', () => {
  let local: LocalLambda;
  let handler: HubSpotWebhookHandler;
  let captured: Captured;
  let invokedBefore = 0;

  beforeAll(async () => {
    local = await startLocalLambda();
    for (const { functionName } of Object.values(VENUE_FLAGS)) {
      local.register(functionName, async () => ({ polled: true }));
    }
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(() => {
    const observed = capture();
    captured = observed.captured;
    invokedBefore = local.invocations.length;
    handler = createHandler(
      {
        VENUE_POLLERS: JSON.stringify(VENUE_FLAGS),
        AWS_ENDPOINT_URL_LAMBDA: local.endpoint,
        HUBSPOT_APP_SECRET: APP_SECRET,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      { observability: observed.observability, now: () => NOW },
    );
  });

  const invokedSinceTestStart = () => local.invocations.slice(invokedBefore);

  it("invokes only the ticked venue's poller, asynchronously, with the event ids", async () => {
    // Prepare
    const body = JSON.stringify([
      propertyChange('tripleseat_sync_venue_b', 'true', { eventId: 4001 }),
      propertyChange('firstname', 'Ada'),
      propertyChange('tripleseat_sync_venue_a', 'false'),
      propertyChange('tripleseat_sync_venue_c', 'true'),
    ]);

    // Act
    const response = await handler(delivery(body));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(204);
    expect(invokedSinceTestStart()).toEqual([
      expect.objectContaining({
        functionName: 'venue-sync-poller-venue-b',
        invocationType: 'Event',
        payload: { source: 'hubspot-webhook', eventIds: ['4001'] },
        status: 'succeeded',
      }),
    ]);
    expect(captured.lines).toHaveLength(1);
    expect(captured.lines[0]).toMatchObject({
      level: 'info',
      message: 'webhook accepted',
      fields: { triggered: ['venue-b'], matched: 1 },
    });
    expect(captured.metrics[0]).toMatchObject({
      WebhookDeliveriesAccepted: { value: 1 },
      WebhookVenuesTriggered: { value: 1 },
    });
  });

  it('invokes each ticked venue once for a delivery with several ticks', async () => {
    // Prepare
    const body = JSON.stringify([
      propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 5001 }),
      propertyChange('tripleseat_sync_venue_b', 'true', { eventId: 5002 }),
      propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 5003 }),
    ]);

    // Act
    const response = await handler(delivery(body));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(204);
    const byFunction = invokedSinceTestStart().map((record) => [record.functionName, record.payload]);
    expect(byFunction).toHaveLength(2);
    expect(byFunction).toEqual(
      expect.arrayContaining([
        ['venue-sync-poller-venue-a', { source: 'hubspot-webhook', eventIds: ['5001', '5003'] }],
        ['venue-sync-poller-venue-b', { source: 'hubspot-webhook', eventIds: ['5002'] }],
      ]),
    );
  });

  it('accepts a base64-encoded body', async () => {
    // Prepare
    const body = JSON.stringify([propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 6001 })]);
    const event = delivery(body);
    event['body'] = Buffer.from(body, 'utf8').toString('base64');
    event['isBase64Encoded'] = true;

    // Act
    const response = await handler(event);
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(204);
    expect(invokedSinceTestStart().map((record) => record.functionName)).toEqual([
      'venue-sync-poller-venue-a',
    ]);
  });

  it.each([
    [
      'a tampered body',
      { tamper: (body: string) => body.replace('venue_a', 'venue_b') },
      'signature-mismatch',
    ],
    ['a wrong secret', { secret: 'not-the-app-secret' }, 'signature-mismatch'],
    ['a stale timestamp', { timestamp: NOW - 6 * 60_000 }, 'stale-timestamp'],
    ['a timestamp too far in the future', { timestamp: NOW + 6 * 60_000 }, 'future-timestamp'],
  ])('rejects %s with 401 and invokes nothing', async (_case, options, reason) => {
    // Prepare
    const body = JSON.stringify([propertyChange('tripleseat_sync_venue_a', 'true')]);

    // Act
    const response = await handler(delivery(body, options));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.body).toBe('unauthorized');
    expect(invokedSinceTestStart()).toEqual([]);
    expect(captured.lines).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ status: 401, reason }) }),
    ]);
    expect(captured.metrics).toEqual([
      { WebhookRequestsUnauthorized: expect.objectContaining({ value: 1 }) },
    ]);
  });

  it('rejects a request without signature headers with 401', async () => {
    // Prepare
    const event = delivery('[]');
    event['headers'] = { host: HOST, 'content-type': 'application/json' };

    // Act
    const response = await handler(event);

    // Assess
    expect(response.statusCode).toBe(401);
    expect(invokedSinceTestStart()).toEqual([]);
  });

  it.each([
    ['not JSON', '[{"eventId": 1,'],
    ['a JSON object instead of an array', '{"eventId":1}'],
  ])('answers 400 to a correctly signed body that is %s, invoking nothing', async (_case, body) => {
    // Act
    const response = await handler(delivery(body));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(400);
    expect(invokedSinceTestStart()).toEqual([]);
  });

  it('answers 400 to an event that is not a Function URL request', async () => {
    // Act
    const response = await handler({ source: 'aws.events' });

    // Assess
    expect(response.statusCode).toBe(400);
  });

  it('answers 502 when an invoke fails, so HubSpot retries the delivery', async () => {
    // Prepare
    const failing = createHandler(
      {
        VENUE_POLLERS: JSON.stringify({
          'venue-a': { flagLabel: 'Tripleseat Sync - Venue A', functionName: 'not-deployed' },
        }),
        AWS_ENDPOINT_URL_LAMBDA: local.endpoint,
        HUBSPOT_APP_SECRET: APP_SECRET,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      { observability: capture().observability, now: () => NOW },
    );
    const body = JSON.stringify([propertyChange('tripleseat_sync_venue_a', 'true')]);

    // Act
    const response = await failing(delivery(body));

    // Assess
    expect(response.statusCode).toBe(502);
    expect(invokedSinceTestStart()).toEqual([
      expect.objectContaining({ functionName: 'not-deployed', status: 'not-found' }),
    ]);
  });

  it('never logs the body or the secret', async () => {
    // Prepare
    const body = JSON.stringify([
      propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 7001, sourceId: 'userId:secret-user' }),
    ]);

    // Act
    await handler(delivery(body));
    await handler(delivery(body, { secret: 'wrong' }));
    await handler(delivery('not json at all'));
    await local.idle();

    // Assess
    const logged = JSON.stringify(captured.lines);
    expect(logged).not.toContain(APP_SECRET);
    expect(logged).not.toContain('secret-user');
    expect(logged).not.toContain('not json at all');
  });
});

describe('Handler: hubspot-webhook with a bad venue, legacy signatures and generic events', () => {
  let local: LocalLambda;
  const env = (venuePollers: unknown) => ({
    VENUE_POLLERS: JSON.stringify(venuePollers),
    AWS_ENDPOINT_URL_LAMBDA: local.endpoint,
    HUBSPOT_APP_SECRET: APP_SECRET,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const valid = () =>
    createHandler(env(VENUE_FLAGS), { observability: capture().observability, now: () => NOW });

  /** The same delivery signed only with `X-HubSpot-Signature` + version, as older deliveries are. */
  function legacyDelivery(body: string, version: 'v1' | 'v2', secret = APP_SECRET): Record<string, unknown> {
    const event = delivery(body);
    const uri = `https://${HOST}/`;
    const signature =
      version === 'v1'
        ? signHubSpotV1({ appSecret: secret, body })
        : signHubSpotV2({ appSecret: secret, method: 'POST', uri, body });
    event['headers'] = {
      host: HOST,
      'content-type': 'application/json',
      'x-hubspot-signature': signature,
      'x-hubspot-signature-version': version,
    };
    return event;
  }

  beforeAll(async () => {
    local = await startLocalLambda();
    for (const { functionName } of Object.values(VENUE_FLAGS)) {
      local.register(functionName, async () => ({ polled: true }));
    }
    local.register('venue-sync-poller-party', async () => ({ polled: true }));
  });

  afterAll(async () => {
    await local.close();
  });

  it("still wakes a valid venue's poller when another venue's flag is '🎉🎉' and a third entry is malformed", async () => {
    // Prepare
    const observed = capture();
    const handler = createHandler(
      env({
        party: { flagLabel: '🎉🎉', functionName: 'venue-sync-poller-party' },
        broken: { flagLabel: 'Tripleseat Sync - Broken' },
        'venue-b': VENUE_FLAGS['venue-b'],
      }),
      { observability: observed.observability, now: () => NOW },
    );
    const before = local.invocations.length;
    const body = JSON.stringify([propertyChange('tripleseat_sync_venue_b', 'true', { eventId: 9101 })]);

    // Act
    const response = await handler(delivery(body));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(204);
    expect(local.invocations.slice(before)).toEqual([
      expect.objectContaining({
        functionName: 'venue-sync-poller-venue-b',
        payload: { source: 'hubspot-webhook', eventIds: ['9101'] },
        status: 'succeeded',
      }),
    ]);
    const errors = observed.captured.lines.filter((line) => line.level === 'error');
    expect(errors.slice(0, 2)).toEqual([
      expect.objectContaining({
        fields: { venueId: 'broken', cause: expect.stringContaining('functionName') },
      }),
      expect.objectContaining({
        fields: { venueId: 'party', cause: "flag label '🎉🎉' has no letters or digits" },
      }),
    ]);
    expect(errors[2]?.fields).toMatchObject({ triggered: ['venue-b'], skippedVenues: ['broken', 'party'] });
  });

  it('refuses to build only when VENUE_POLLERS as a whole is unreadable', () => {
    const act = () =>
      createHandler({ ...env({}), VENUE_POLLERS: 'not json' }, { observability: capture().observability });

    expect(act).toThrow(/VENUE_POLLERS is not valid JSON/);
  });

  it.each(['v1', 'v2'] as const)('wakes the poller for a valid %s-signed delivery', async (version) => {
    // Prepare
    const handler = valid();
    const before = local.invocations.length;
    const body = JSON.stringify([propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 9201 })]);

    // Act
    const response = await handler(legacyDelivery(body, version));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(204);
    expect(local.invocations.slice(before).map((record) => record.functionName)).toEqual([
      'venue-sync-poller-venue-a',
    ]);
  });

  it.each(['v1', 'v2'] as const)(
    'answers 401 to a forged %s-signed delivery and invokes nothing',
    async (version) => {
      // Prepare
      const handler = valid();
      const before = local.invocations.length;
      const body = JSON.stringify([propertyChange('tripleseat_sync_venue_a', 'true')]);

      // Act
      const response = await handler(legacyDelivery(body, version, 'forged-secret'));
      await local.idle();

      // Assess
      expect(response.statusCode).toBe(401);
      expect(local.invocations.slice(before)).toEqual([]);
    },
  );

  it('routes object.propertyChange with objectTypeId "0-1" and logs (never 500s) other object types', async () => {
    // Prepare
    const observed = capture();
    const handler = createHandler(env(VENUE_FLAGS), {
      observability: observed.observability,
      now: () => NOW,
    });
    const before = local.invocations.length;
    const generic = { subscriptionType: 'object.propertyChange' };
    const body = JSON.stringify([
      propertyChange('tripleseat_sync_venue_a', 'true', { ...generic, objectTypeId: '0-1', eventId: 9301 }),
      propertyChange('tripleseat_sync_venue_b', 'true', { ...generic, objectTypeId: '0-3', eventId: 9302 }),
    ]);

    // Act
    const response = await handler(delivery(body));
    await local.idle();

    // Assess
    expect(response.statusCode).toBe(204);
    expect(local.invocations.slice(before).map((record) => record.functionName)).toEqual([
      'venue-sync-poller-venue-a',
    ]);
    expect(observed.captured.lines).toEqual([
      expect.objectContaining({ level: 'info', fields: { objectTypes: ['0-3'] } }),
      expect.objectContaining({ level: 'info', message: 'webhook accepted' }),
    ]);
  });
});

describe('Function: onFirstInvocation (the deployed entry of the webhook)', () => {
  it('builds again on the next invocation after a failed build, so one failure is never permanent', async () => {
    // Prepare
    let builds = 0;
    const entry = onFirstInvocation(() => {
      builds += 1;
      if (builds === 1) throw new Error('secret not filled yet');
      return async () => ({ statusCode: 204 });
    });

    // Act (a build failure may surface as a throw or a rejection; either is one failed invocation)
    const firstOutcome = await (async () => entry({}, {}))().then(
      () => 'ok',
      (error: unknown) => String(error),
    );
    const second = await entry({}, {});

    // Assess
    expect(firstOutcome).toContain('secret not filled yet');
    expect(second).toEqual({ statusCode: 204 });
    expect(builds).toBe(2);
  });
});
