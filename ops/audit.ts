/**
 * `venue-sync audit`: compares what is deployed in the AWS account with what the stack declares, so
 * strays left by hand-made or older deployments (stale Lambda functions, orphan SQS queues, orphan API
 * Gateway resources, none connected to anything) are found the same way every time.
 *
 * Declared = CloudFormation's own record of the stack: every resource ListStackResources returns, by
 * physical id, so no naming rule is assumed. Deployed = every Lambda function, SQS queue, EventBridge
 * Scheduler schedule, EventBridge rule and API Gateway REST API that is in the stack, or tagged
 * app=venue-sync, or tagged with the stack's name by CloudFormation, or named like venue-sync / the stack
 * (plus any `--include` pattern, for older names such as "<company>-prod-*"). A declared resource not
 * deployed was deleted behind CloudFormation's back (missing); a deployed one the stack does not hold is a
 * stray. Read-only: it deletes nothing.
 */
// CloudFormation ListStackResources / DescribeStacks:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html
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
import { OpsError } from './context';
import { renderTable } from './io';

export type ResourceKind = 'lambda' | 'sqs' | 'schedule' | 'eventbridge-rule' | 'apigateway';

/** The CloudFormation resource types audit compares, and the kind each is listed as. */
export const AUDITED_TYPES: Record<string, ResourceKind> = {
  'AWS::Lambda::Function': 'lambda',
  'AWS::SQS::Queue': 'sqs',
  'AWS::Scheduler::Schedule': 'schedule',
  'AWS::Events::Rule': 'eventbridge-rule',
  'AWS::ApiGateway::RestApi': 'apigateway',
};

export interface DeclaredResource {
  kind: ResourceKind;
  /** The physical name (a queue's name, not its URL). */
  name: string;
  logicalId: string;
  /** CloudFormation's status of the resource, e.g. CREATE_COMPLETE, UPDATE_FAILED. */
  status: string;
}

export interface DeployedResource {
  kind: ResourceKind;
  name: string;
  /** What CloudFormation records as its physical id: the name, or a REST API's id. */
  physicalId: string;
  arn?: string;
  /** Why it counts as ours: in the stack, a tag, or the name. */
  why: string;
  detail?: string;
}

export interface AuditReport {
  stackName: string;
  stackStatus: string;
  declared: Array<DeclaredResource & { deployed: string | undefined }>;
  strays: DeployedResource[];
  missing: DeclaredResource[];
  ok: boolean;
}

export interface AuditClients {
  cloudformation: CloudFormationClient;
  lambda: LambdaClient;
  sqs: SQSClient;
  scheduler: SchedulerClient;
  events: EventBridgeClient;
  apigateway: APIGatewayClient;
}

export function defaultAuditClients(region?: string): AuditClients {
  const config = region ? { region } : {};
  return {
    cloudformation: new CloudFormationClient(config),
    lambda: new LambdaClient(config),
    sqs: new SQSClient(config),
    scheduler: new SchedulerClient(config),
    events: new EventBridgeClient(config),
    apigateway: new APIGatewayClient(config),
  };
}

/** A physical id as the listings name it: SQS physical ids are queue URLs, listed by name. */
function physicalName(kind: ResourceKind, physicalId: string): string {
  return kind === 'sqs' ? (physicalId.split('/').pop() ?? physicalId) : physicalId;
}

/**
 * The stack's status and its audited resources, from CloudFormation. A stack that does not exist is an
 * OpsError naming it and the region.
 */
export async function stackResources(
  client: CloudFormationClient,
  stackName: string,
): Promise<{ stackStatus: string; resources: DeclaredResource[] }> {
  let stackStatus: string;
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    stackStatus = answer.Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof Error && /does not exist/i.test(error.message)) {
      const region = await client.config.region().catch(() => undefined);
      throw new OpsError(
        `stack '${stackName}' was not found in region ${region ?? '(default)'}: pass --stack-name / ` +
          '--region of the deployed stack, or deploy it first (README "Deploy")',
      );
    }
    throw error;
  }
  const resources: DeclaredResource[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    for (const summary of page.StackResourceSummaries ?? []) {
      const kind = summary.ResourceType ? AUDITED_TYPES[summary.ResourceType] : undefined;
      if (!kind || !summary.PhysicalResourceId || !summary.LogicalResourceId) continue;
      resources.push({
        kind,
        name: physicalName(kind, summary.PhysicalResourceId),
        logicalId: summary.LogicalResourceId,
        status: summary.ResourceStatus ?? 'UNKNOWN',
      });
    }
    token = page.NextToken;
  } while (token);
  return { stackStatus, resources };
}

export interface AuditOptions {
  stackName?: string;
  /** Extra name patterns (regular expressions) that count as ours. */
  include?: readonly string[];
  onStep?: (step: string) => void;
}

export async function runAudit(clients: AuditClients, options: AuditOptions = {}): Promise<AuditReport> {
  const stackName = options.stackName ?? 'VenueSync';
  options.onStep?.('cloudformation');
  const { stackStatus, resources } = await stackResources(clients.cloudformation, stackName);
  const inStack = new Set(resources.map((resource) => `${resource.kind} ${resource.name}`));
  const patterns = [
    /venue[-_ ]?sync/i,
    new RegExp(escapeRegExp(stackName), 'i'),
    ...(options.include ?? []).map((p) => new RegExp(p, 'i')),
  ];
  const ours: Ours = (kind, name, tags) => {
    if (inStack.has(`${kind} ${name}`)) return `in stack ${stackName}`;
    if (tags?.['aws:cloudformation:stack-name'] === stackName) return `tag aws:cloudformation:stack-name`;
    if (tags?.app === 'venue-sync') return 'tag app=venue-sync';
    const pattern = patterns.find((candidate) => candidate.test(name));
    return pattern ? `name matches ${pattern}` : undefined;
  };

  const deployed: DeployedResource[] = [];
  const step = (name: string) => options.onStep?.(name);
  step('lambda');
  deployed.push(...(await lambdaFunctions(clients.lambda, ours)));
  step('sqs');
  deployed.push(...(await sqsQueues(clients.sqs, ours)));
  step('scheduler');
  deployed.push(...(await schedules(clients.scheduler, ours)));
  step('eventbridge');
  deployed.push(...(await eventRules(clients.events, ours)));
  step('apigateway');
  deployed.push(...(await restApis(clients.apigateway, ours)));

  const deployedKeys = new Set(deployed.map((resource) => `${resource.kind} ${resource.physicalId}`));
  const rows = resources.map((resource) => ({
    ...resource,
    deployed: deployedKeys.has(`${resource.kind} ${resource.name}`) ? resource.name : undefined,
  }));
  const strays = deployed.filter((resource) => !inStack.has(`${resource.kind} ${resource.physicalId}`));
  const missing = rows
    .filter((row) => row.deployed === undefined)
    .map(({ deployed: _unused, ...rest }) => rest);
  return {
    stackName,
    stackStatus,
    declared: rows,
    strays,
    missing,
    ok: strays.length === 0 && missing.length === 0,
  };
}

type Ours = (
  kind: ResourceKind,
  name: string,
  tags: Record<string, string> | undefined,
) => string | undefined;

async function lambdaFunctions(client: LambdaClient, ours: Ours): Promise<DeployedResource[]> {
  const found: DeployedResource[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListFunctionsCommand({ Marker: marker }));
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName) continue;
      const tags = fn.FunctionArn
        ? ((await client.send(new ListTagsCommand({ Resource: fn.FunctionArn }))).Tags ?? {})
        : {};
      const why = ours('lambda', fn.FunctionName, tags);
      if (why) {
        found.push({
          kind: 'lambda',
          name: fn.FunctionName,
          physicalId: fn.FunctionName,
          why,
          ...(fn.FunctionArn ? { arn: fn.FunctionArn } : {}),
          ...(fn.LastModified ? { detail: `last modified ${fn.LastModified}` } : {}),
        });
      }
    }
    marker = page.NextMarker;
  } while (marker);
  return found;
}

async function sqsQueues(client: SQSClient, ours: Ours): Promise<DeployedResource[]> {
  const found: DeployedResource[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListQueuesCommand({ NextToken: token, MaxResults: 1000 }));
    for (const url of page.QueueUrls ?? []) {
      const name = url.split('/').pop() ?? url;
      const tags = (await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
      const why = ours('sqs', name, tags);
      if (why)
        found.push({
          kind: 'sqs',
          name,
          physicalId: name,
          arn: url,
          why,
          ...(name.endsWith('.fifo') ? { detail: 'FIFO queue' } : {}),
        });
    }
    token = page.NextToken;
  } while (token);
  return found;
}

async function schedules(client: SchedulerClient, ours: Ours): Promise<DeployedResource[]> {
  // Schedules carry no tags (only schedule groups do): matched by name.
  const found: DeployedResource[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListSchedulesCommand({ NextToken: token }));
    for (const schedule of page.Schedules ?? []) {
      if (!schedule.Name) continue;
      const why = ours('schedule', schedule.Name, undefined);
      if (why) {
        found.push({
          kind: 'schedule',
          name: schedule.Name,
          physicalId: schedule.Name,
          why,
          ...(schedule.Arn ? { arn: schedule.Arn } : {}),
          detail: `group ${schedule.GroupName ?? 'default'}, ${schedule.State ?? '?'}`,
        });
      }
    }
    token = page.NextToken;
  } while (token);
  return found;
}

async function eventRules(client: EventBridgeClient, ours: Ours): Promise<DeployedResource[]> {
  const found: DeployedResource[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListRulesCommand({ NextToken: token }));
    for (const rule of page.Rules ?? []) {
      if (!rule.Name) continue;
      const tagList = rule.Arn
        ? ((await client.send(new ListTagsForResourceCommand({ ResourceARN: rule.Arn }))).Tags ?? [])
        : [];
      const tags = Object.fromEntries(tagList.map((tag) => [tag.Key ?? '', tag.Value ?? '']));
      const why = ours('eventbridge-rule', rule.Name, tags);
      if (why) {
        found.push({
          kind: 'eventbridge-rule',
          name: rule.Name,
          physicalId: rule.Name,
          why,
          ...(rule.Arn ? { arn: rule.Arn } : {}),
          detail: `${rule.ScheduleExpression ?? 'event pattern'}, ${rule.State ?? '?'}`,
        });
      }
    }
    token = page.NextToken;
  } while (token);
  return found;
}

async function restApis(client: APIGatewayClient, ours: Ours): Promise<DeployedResource[]> {
  const found: DeployedResource[] = [];
  let position: string | undefined;
  do {
    const page = await client.send(new GetRestApisCommand({ position, limit: 500 }));
    for (const api of page.items ?? []) {
      if (!api.name || !api.id) continue;
      const why = ours('apigateway', api.id, api.tags) ?? ours('apigateway', api.name, api.tags);
      if (!why) continue;
      const paths: string[] = [];
      let resourcePosition: string | undefined;
      do {
        const resources = await client.send(
          new GetResourcesCommand({ restApiId: api.id, position: resourcePosition, limit: 500 }),
        );
        for (const resource of resources.items ?? []) if (resource.path) paths.push(resource.path);
        resourcePosition = resources.position;
      } while (resourcePosition);
      found.push({
        kind: 'apigateway',
        name: api.name,
        physicalId: api.id,
        arn: api.id,
        why,
        detail: `REST API ${api.id}, resources ${paths.sort().join(' ') || 'none'}`,
      });
    }
    position = page.position;
  } while (position);
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function renderAudit(report: AuditReport): string {
  const lines = [`Declared by stack '${report.stackName}' (${report.stackStatus}), per CloudFormation:`];
  lines.push(
    renderTable(
      ['KIND', 'DECLARED', 'DEPLOYED', 'CLOUDFORMATION STATUS'],
      report.declared.map((row) => [row.kind, row.name, row.deployed ?? 'MISSING', row.status]),
    ),
  );
  lines.push('', `Strays (deployed, not declared): ${report.strays.length}`);
  if (report.strays.length > 0) {
    lines.push(
      renderTable(
        ['KIND', 'NAME', 'WHY OURS', 'DETAIL'],
        report.strays.map((stray) => [stray.kind, stray.name, stray.why, stray.detail ?? '']),
      ),
    );
    lines.push(
      'Before deleting a stray: check its last invocation / messages / access logs, and whether anything ' +
        '(a HubSpot workflow or webhook, another stack) still points at it. docs/runbook.md, "Audit".',
    );
  }
  lines.push('', `Missing (declared, not deployed): ${report.missing.length}`);
  for (const missing of report.missing)
    lines.push(
      `  ${missing.kind} ${missing.name} (${missing.logicalId}): deleted outside CloudFormation; ` +
        '\'npx cdk deploy\' does not recreate it by itself (docs/runbook.md, "Audit")',
    );
  return lines.join('\n');
}
