/** The webex-sync handler end to end, configured through its environment. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../lambdas/webex-sync/handler';
import type { MetricSink } from '../../shared/runtime/observability';
import { DEFAULT_HUBSPOT_TOKEN } from '../../sandbox/hubspot';
import { LOCAL_AWS } from '../../sandbox/local-dynamo';
import { DEMO_FIELD_MAP, TIME_SCALE, WEBEX_TOKEN, WebexWorld, peopleWithEmail, recordingLog } from './world';

describe('Function: webex-sync handler', () => {
  let world: WebexWorld;

  beforeAll(async () => {
    vi.stubEnv('AWS_REGION', LOCAL_AWS.region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS.credentials.secretAccessKey);
    world = await WebexWorld.start();
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await world.close();
  });

  it('syncs the configured events and publishes the run metrics', async () => {
    // Prepare
    const eventId = world.webex.addEvent({ name: 'Harbor Summit 2026' });
    world.webex.addEvent({ name: 'Not configured' });
    world.webex.seedAttendees(eventId, 150);
    const people = peopleWithEmail(world.webex, [eventId]);
    const published: Array<Parameters<MetricSink['publish']>> = [];
    const log = recordingLog();
    const handler = createHandler(
      {
        TABLE_NAME: world.dynamo.tableName,
        AWS_ENDPOINT_URL_DYNAMODB: world.dynamo.endpoint,
        HUBSPOT_BASE_URL: world.hubspot.url,
        HUBSPOT_TOKEN: DEFAULT_HUBSPOT_TOKEN,
        WEBEX_TOKEN,
        WEBEX_API_URL: world.webex.url,
        WEBEX_EVENT_IDS: String(eventId),
        WEBEX_FIELD_MAP: JSON.stringify(DEMO_FIELD_MAP),
        VENUE_SYNC_TIME_SCALE: String(TIME_SCALE),
      },
      {
        observability: { log, metrics: { publish: (...args) => published.push(args) } },
        now: () => world.clock.now(),
      },
    );

    // Act
    const report = await handler({}, { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 900_000 });

    // Assess
    expect(report.status).toBe('completed');
    expect(report.events.map((event) => event.eventId)).toEqual([eventId]);
    expect(report.created).toBe(people);
    expect(world.hubspot.contactCount).toBe(people);
    expect(published).toHaveLength(1);
    const [dimensions, values] = published[0] ?? [{}, {}];
    expect(dimensions).toEqual({});
    expect(values).toMatchObject({
      SuccessfulRun: { value: 1, unit: 'Count' },
      RecordsSynced: { value: people, unit: 'Count' },
      RecordsRejected: { value: report.quarantined, unit: 'Count' },
      WebexFieldsMissing: { value: 0, unit: 'Count' },
    });
  });

  it('refuses an unknown Webex field at cold start, listing the known ones', () => {
    // Act
    const build = () =>
      createHandler({
        TABLE_NAME: 't',
        HUBSPOT_TOKEN: 'x',
        WEBEX_TOKEN: 'y',
        WEBEX_FIELD_MAP: JSON.stringify({ Email: 'email', 'Job Title': 'profile.title' }),
      });

    // Assess
    expect(build).toThrow(
      /'Job Title' -> 'profile.title' is not a Webex field[\s\S]*Known Webex fields: email, profile.firstName/,
    );
  });
});
