/**
 * `venue-sync audit`. No AWS account is reachable from this machine, so the AWS control plane is mocked
 * with aws-sdk-client-mock: CloudFormation answers with the synthesized stack's own resources (physical
 * names from the template, queue URLs as CloudFormation would generate them), and the account holds
 * those plus typical strays of a hand-grown account (four stale Lambda functions, two orphan FIFO queues, an
 * orphan API Gateway resource).
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { APIGatewayClient, GetResourcesCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { EventBridgeClient, ListRulesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient, ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListQueuesCommand, ListQueueTagsCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../bin/cli';
import { AUDITED_TYPES, type AuditClients } from '../../ops/audit';
import { CapturedText } from '../../ops/io';
import { build } from '../infra/synth';

const APP_TAG = { app: 'venue-sync' };
const queueUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;

/** The synthesized stack as CloudFormation would list it once deployed. */
interface StackResource {
  logicalId: string;
  type: string;
  physicalId: string;
}
let stack: StackResource[] = [];
beforeAll(() => {
  const { json } = build();
  stack = Object.entries(json.Resources).map(([logicalId, resource]) => {
    const name = (property: string) => String(resource.Properties?.[property]);
    const physicalId =
      resource.Type === 'AWS::Lambda::Function'
        ? name('FunctionName')
        : resource.Type === 'AWS::Scheduler::Schedule'
          ? name('Name')
          : resource.Type === 'AWS::SQS::Queue'
            ? queueUrl(`VenueSync-${logicalId}-X1Y2Z3`)
            : `${logicalId}-physical`;
    return { logicalId, type: resource.Type, physicalId };
  });
});
const stackNames = (type: string) =>
  stack.filter((r) => r.type === type).map((r) => r.physicalId.split('/').pop() ?? r.physicalId);

function account(options: { dropSchedule?: string } = {}): AuditClients {
  const cloudformation = mockClient(CloudFormationClient);
  cloudformation.on(DescribeStacksCommand).resolves({
    Stacks: [{ StackName: 'VenueSync', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0) }],
  });
  // Two pages, as CloudFormation pages a long list.
  const summaries = stack.map((r) => ({
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId,
    ResourceType: r.type,
    ResourceStatus: 'CREATE_COMPLETE' as const,
    LastUpdatedTimestamp: new Date(0),
  }));
  const half = Math.floor(summaries.length / 2);
  cloudformation
    .on(ListStackResourcesCommand, { StackName: 'VenueSync', NextToken: undefined })
    .resolves({ StackResourceSummaries: summaries.slice(0, half), NextToken: 'more' })
    .on(ListStackResourcesCommand, { StackName: 'VenueSync', NextToken: 'more' })
    .resolves({ StackResourceSummaries: summaries.slice(half) });

  const lambda = mockClient(LambdaClient);
  const functions = [
    ...stackNames('AWS::Lambda::Function'),
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
        .slice(0, 3)
        .map((name) => ({ FunctionName: name, FunctionArn: `arn:aws:lambda:::function:${name}` })),
      NextMarker: 'page-2',
    })
    .on(ListFunctionsCommand, { Marker: 'page-2' })
    .resolves({
      Functions: functions
        .slice(3)
        .map((name) => ({ FunctionName: name, FunctionArn: `arn:aws:lambda:::function:${name}` })),
    });
  lambda.on(ListTagsCommand).callsFake((input: { Resource: string }) => ({
    Tags:
      input.Resource.includes('VenueSync-') || input.Resource.includes('acme-prod-tripleseat') ? APP_TAG : {},
  }));

  const sqs = mockClient(SQSClient);
  sqs.on(ListQueuesCommand).resolves({
    QueueUrls: [
      ...stackNames('AWS::SQS::Queue'),
      'venue-sync-leads.fifo',
      'venue-sync-leads-dlq.fifo',
      'billing-queue',
    ].map(queueUrl),
  });
  sqs.on(ListQueueTagsCommand).callsFake((input: { QueueUrl: string }) => ({
    Tags: input.QueueUrl.includes('VenueSync-') ? APP_TAG : {},
  }));

  const scheduler = mockClient(SchedulerClient);
  const schedules = stackNames('AWS::Scheduler::Schedule');
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
    cloudformation: new CloudFormationClient({}),
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

  it("takes what is declared from CloudFormation's record of the stack, every audited resource of it", async () => {
    const result = await audit(['--include', '^acme-prod-', '--json'], account());
    const report = JSON.parse(result.stdout);
    const audited = stack.filter((r) => AUDITED_TYPES[r.type] !== undefined);
    expect(report.stackStatus).toBe('UPDATE_COMPLETE');
    expect(report.declared.map((d: { logicalId: string }) => d.logicalId).sort()).toEqual(
      audited.map((r) => r.logicalId).sort(),
    );
    expect(report.declared.every((d: { name: string; deployed?: string }) => d.deployed === d.name)).toBe(
      true,
    );
  });

  it('names the stack and region when CloudFormation has no such stack; --json still prints JSON', async () => {
    const clients = account();
    mockClient(CloudFormationClient)
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }));
    const result = await audit(['--stack-name', 'Nope', '--json'], {
      ...clients,
      cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("stack 'Nope' was not found in region eu-west-1");
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: expect.stringContaining("stack 'Nope' was not found"),
    });
  });

  it('says which endpoint cannot be reached instead of the bare getaddrinfo error', async () => {
    const clients = account();
    mockClient(LambdaClient)
      .on(ListFunctionsCommand)
      .rejects(
        Object.assign(new Error('getaddrinfo ENOTFOUND lambda.us-east-1.amazonaws.com'), {
          code: 'ENOTFOUND',
          hostname: 'lambda.us-east-1.amazonaws.com',
        }),
      );
    const result = await audit(['--json'], { ...clients, lambda: new LambdaClient({}) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "audit of stack 'VenueSync': cannot reach lambda.us-east-1.amazonaws.com (ENOTFOUND)",
    );
    expect(JSON.parse(result.stdout).ok).toBe(false);
  });
});
