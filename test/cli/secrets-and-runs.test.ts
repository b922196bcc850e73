/**
 * `venue-sync secrets set` (Secrets Manager is AWS control plane: mocked with aws-sdk-client-mock),
 * `venue-sync runs` over the run history in the sandbox's dynalite table, and the table-not-found
 * message of `status`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { RunHistory, runTriggerOf } from '../../shared/reconciliation/run-history';
import { useWorld } from '../helpers/world';
import { cli } from './helpers';

const world = useWorld();

function secretsManager(current: Record<string, string>) {
  const mock = mockClient(SecretsManagerClient);
  mock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(current) });
  mock.on(PutSecretValueCommand).resolves({ VersionId: 'v2' });
  return { mock, secrets: new SecretsManagerClient({ region: 'us-east-1' }) };
}

describe('Command: secrets set', () => {
  it('fills the deployed skeleton: typed keys set, blank ones kept or absent, bound to the venue, no value printed', async () => {
    const { mock, secrets } = secretsManager({
      hubspotToken: '',
      tripleseatPublicKey: 'pk-already-there',
      _placeholder: 'gen123',
    });
    const typed = ['pat-secret-value', '', 'oauth-secret-value', '', '', ''];
    const result = await cli(world(), ['secrets', 'set', 'venue-a', '--json'], {
      aws: { secrets },
      hiddenAnswers: typed,
    });
    expect(result.code).toBe(0);
    const written = mock.commandCalls(PutSecretValueCommand)[0]?.args[0].input;
    expect(written?.SecretId).toBe('venue-sync/venue-a');
    expect(JSON.parse(written?.SecretString ?? '')).toEqual({
      hubspotToken: 'pat-secret-value',
      tripleseatPublicKey: 'pk-already-there',
      tripleseatOauthToken: 'oauth-secret-value',
      venueId: 'venue-a',
    });
    expect(JSON.parse(result.stdout)).toMatchObject({
      keys: { hubspotToken: 'set', tripleseatPublicKey: 'kept', tripleseatOauthToken: 'set' },
      versionId: 'v2',
    });
    for (const value of ['pat-secret-value', 'oauth-secret-value', 'pk-already-there', 'gen123']) {
      expect(result.stdout + result.stderr).not.toContain(value);
    }
    expect(result.stderr).toContain('hubspotToken (HubSpot private app token; EMPTY, required)');
  });

  it('writes nothing when a required key stays empty, or without a terminal to read from', async () => {
    const { mock, secrets } = secretsManager({ hubspotToken: '', tripleseatPublicKey: '' });
    const empty = await cli(world(), ['secrets', 'set', 'venue-a'], { aws: { secrets }, hiddenAnswers: [] });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('hubspotToken is required and the secret has none');
    const script = await cli(world(), ['secrets', 'set', 'venue-a'], { aws: { secrets } });
    expect(script.code).toBe(1);
    expect(script.stderr).toContain('reads the values on a terminal without echo');
    expect(mock.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});

describe('Command: runs', () => {
  it('lists the venue’s runs newest first with trigger, counts, duration, status and error (--json ISO)', async () => {
    const w = world();
    const history = new RunHistory(
      new DynamoDBClient({
        endpoint: w.dynamo.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      w.dynamo.tableName,
    );
    const counts = { flagged: 3, created: 2, rejected: 1, retried: 0, quarantined: 0 };
    const scheduled = {
      venueId: 'venue-a',
      runId: 'req-1',
      trigger: 'schedule' as const,
      startedAt: Date.UTC(2030, 0, 1, 9, 0),
      durationMs: 4200,
      status: 'completed',
      counts,
    };
    const first = await history.record(scheduled);
    await history.record({
      venueId: 'venue-a',
      runId: 'cli-2',
      trigger: 'cli',
      startedAt: Date.UTC(2030, 0, 1, 9, 5),
      durationMs: 800,
      status: 'failed',
      counts: { ...counts, created: 0 },
      error: 'Tripleseat answered 503',
    });
    await history.record({ ...scheduled, venueId: 'venue-b', runId: 'other-venue' });
    // The TTL attribute of the table: epoch seconds, 30 days after the start.
    expect(first.expiresAt).toBe(Date.UTC(2030, 0, 31, 9, 0) / 1000);
    expect(first.sk).toBe('RUN#2030-01-01T09:00:00.000Z#req-1');

    const json = await cli(w, ['runs', 'venue-a', '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.runs.map((r: { runId: string }) => r.runId)).toEqual(['cli-2', 'req-1']);
    expect(report.runs[0]).toEqual({
      venueId: 'venue-a',
      runId: 'cli-2',
      trigger: 'cli',
      startedAt: '2030-01-01T09:05:00.000Z',
      durationMs: 800,
      status: 'failed',
      counts: { ...counts, created: 0 },
      error: 'Tripleseat answered 503',
    });
    const human = await cli(w, ['runs', 'venue-a']);
    expect(human.stdout).toMatch(
      /2030-01-01T09:05:00.000Z\s+cli\s+failed\s+0.8 s\s+3\s+0\s+1.*Tripleseat answered 503/,
    );
  });

  it('tells the trigger from the event: the webhook’s payload, the CLI’s request id, else the schedule', () => {
    expect(runTriggerOf({ source: 'hubspot-webhook', eventIds: [1] }, 'abc')).toBe('webhook');
    expect(runTriggerOf({}, 'cli-1234')).toBe('cli');
    expect(runTriggerOf({}, '5f0c-request')).toBe('schedule');
  });
});

describe('Table errors', () => {
  it('names the table that was not found and where it was looked for', async () => {
    const w = world();
    const result = await cli(w, ['status'], { env: { TABLE_NAME: 'nope' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`table 'nope' was not found at ${w.dynamo.endpoint}`);
  });
});
