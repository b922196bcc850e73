/**
 * `venue-sync audit`. No AWS account is reachable from this machine, so AWS is mocked with
 * aws-sdk-client-mock: the account below holds the deployed stack plus the original project's strays
 * (four stale Lambda functions, two orphan FIFO queues, an orphan API Gateway resource).
 */
import { APIGatewayClient, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { EventBridgeClient, ListRulesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient, ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListQueuesCommand, ListQueueTagsCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../bin/cli';
import { appConfig } from '../../bin/venues';
import { validateAppConfig } from '../../shared/config/app-config';
import { declaredResources, type AuditClients } from '../../ops/audit';
import { CapturedText } from '../../ops/io';
import { build } from '../infra/synth';

const config = validateAppConfig(appConfig);
const APP_TAG = { app: 'venue-sync' };

function account(options: { dropSchedule?: string } = {}): AuditClients {
  const lambda = mockClient(LambdaClient);
  const functions = [
    'VenueSync-venue-a-poller',
    'VenueSync-venue-b-poller',
    'VenueSync-marina-poller',
    'VenueSync-webex-sync',
    'VenueSync-hubspot-webhook',
    'acme-prod-hubspot-sync',
    'acme-prod-tripleseat-push',
    'acme-prod-sqs-consumer',
    'acme-prod-webhook-router',
    'unrelated-billing-job',
  ];
  lambda
    .on(ListFunctionsCommand, { Marker: undefined })
    .resolves({
      Functions: functions
        .slice(0, 5)
        .map((name) => ({ FunctionName: name, FunctionArn: `arn:aws:lambda:::function:${name}` })),
      NextMarker: 'page-2',
    })
    .on(ListFunctionsCommand, { Marker: 'page-2' })
    .resolves({
      Functions: functions
        .slice(5)
        .map((name) => ({ FunctionName: name, FunctionArn: `arn:aws:lambda:::function:${name}` })),
    });
  lambda.on(ListTagsCommand).callsFake((input: { Resource: string }) => ({
    Tags:
      input.Resource.includes('VenueSync-') || input.Resource.includes('acme-prod-tripleseat') ? APP_TAG : {},
  }));

  const sqs = mockClient(SQSClient);
  const queue = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
  const declaredQueues = ['Venuevenuea', 'Venuevenueb', 'Venuemarina']
    .flatMap((venue) => [
      `VenueSync-${venue}PollerFailureQueueAB12-x1`,
      `VenueSync-${venue}PollerScheduleDlqCD34-x2`,
    ])
    .concat(['VenueSync-WebexSyncFailureQueueEF56-x3', 'VenueSync-WebexSyncScheduleDlqAA11-x4']);
  sqs.on(ListQueuesCommand).resolves({
    QueueUrls: [...declaredQueues, 'venue-sync-leads.fifo', 'venue-sync-leads-dlq.fifo', 'billing-queue'].map(
      queue,
    ),
  });
  sqs.on(ListQueueTagsCommand).callsFake((input: { QueueUrl: string }) => ({
    Tags: input.QueueUrl.includes('VenueSync-') ? APP_TAG : {},
  }));

  const scheduler = mockClient(SchedulerClient);
  const schedules = [
    'VenueSync-venue-a-poll',
    'VenueSync-venue-b-poll',
    'VenueSync-marina-poll',
    'VenueSync-webex-sync',
  ];
  scheduler.on(ListSchedulesCommand).resolves({
    Schedules: schedules
      .filter((name) => name !== options.dropSchedule)
      .map((name) => ({ Name: name, GroupName: 'default', State: 'ENABLED' })),
  });

  const events = mockClient(EventBridgeClient);
  events
    .on(ListRulesCommand)
    .resolves({ Rules: [{ Name: 'nightly-report', Arn: 'arn:rule/nightly-report' }] });
  events.on(ListTagsForResourceCommand).resolves({ Tags: [] });

  const apigateway = mockClient(APIGatewayClient);
  apigateway.on(GetRestApisCommand).resolves({
    items: [
      { id: 'abc123', name: 'venue-sync-webhooks', tags: {} },
      { id: 'zzz999', name: 'billing-api', tags: {} },
    ],
  });
  apigateway.on(GetResourcesCommand, { restApiId: 'abc123' }).resolves({
    items: [{ path: '/' }, { path: '/venue-a/hubspot' }],
  });

  return {
    lambda: new LambdaClient({}),
    sqs: new SQSClient({}),
    scheduler: new SchedulerClient({}),
    events: new EventBridgeClient({}),
    apigateway: new APIGatewayClient({}),
  };
}

async function audit(args: string[], clients: AuditClients) {
  const stdout = new CapturedText();
  const stderr = new CapturedText();
  const code = await runCli(['audit', ...args], {
    stdout,
    stderr,
    stderrIsTTY: false,
    interactive: false,
    confirm: async () => false,
    env: {},
    audit: clients,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('Command: audit', () => {
  it('lists the strays of the original account and nothing missing (--json), exit 1', async () => {
    const result = await audit(['--include', '^acme-prod-', '--json'], account());
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(report.missing).toEqual([]);
    expect(report.strays.map((s: { kind: string; name: string }) => `${s.kind} ${s.name}`).sort()).toEqual([
      'apigateway venue-sync-webhooks',
      'lambda acme-prod-hubspot-sync',
      'lambda acme-prod-sqs-consumer',
      'lambda acme-prod-tripleseat-push',
      'lambda acme-prod-webhook-router',
      'sqs venue-sync-leads-dlq.fifo',
      'sqs venue-sync-leads.fifo',
    ]);
    const api = report.strays.find((s: { kind: string }) => s.kind === 'apigateway');
    expect(api.detail).toContain('/venue-a/hubspot');
  });

  it('reports a missing schedule in the human table', async () => {
    const result = await audit(
      ['--include', '^acme-prod-'],
      account({ dropSchedule: 'VenueSync-marina-poll' }),
    );
    expect(result.stdout).toMatch(/schedule\s+VenueSync-marina-poll\s+MISSING/);
    expect(result.stdout).toContain('Missing (declared, not deployed): 1');
    expect(result.stdout).toContain('Strays (deployed, not declared): 7');
    expect(result.stdout).toMatch(/sqs\s+venue-sync-leads\.fifo\s+name matches/);
  });

  it('derives the same physical names as the synthesized stack', () => {
    const { json } = build();
    const resources = Object.entries(json.Resources);
    const physical = (type: string, property: string) =>
      resources
        .filter(([, r]) => r.Type === type)
        .map(([, r]) => String(r.Properties?.[property]))
        .sort();
    const declared = declaredResources(config);
    const names = (kind: string) =>
      declared
        .filter((d) => d.kind === kind)
        .map((d) => d.name)
        .sort();
    expect(names('lambda')).toEqual(physical('AWS::Lambda::Function', 'FunctionName'));
    expect(names('schedule')).toEqual(physical('AWS::Scheduler::Schedule', 'Name'));
    const queueIds = resources
      .filter(([, r]) => r.Type === 'AWS::SQS::Queue')
      .map(([id]) => `VenueSync-${id}`);
    for (const queue of declared.filter((d) => d.kind === 'sqs')) {
      expect(queueIds.filter((id) => id.startsWith(queue.name))).toHaveLength(1);
    }
    expect(queueIds).toHaveLength(declared.filter((d) => d.kind === 'sqs').length);
  });
});
