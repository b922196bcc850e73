/**
 * `venue-sync enable|pause <venue>`: turns one venue's EventBridge Scheduler schedule on or off. Pause is
 * also the emergency stop for one venue: besides disabling the schedule it sets the poller's reserved
 * concurrency to 0, so the HubSpot webhook's early polls stop too (Lambda throttles them; their events
 * expire into the venue's on-failure queue). A run in progress finishes. Enable removes the reserved
 * concurrency again: the stack sets none (lib/scheduled-sync.ts says why), so that restores the declared
 * state.
 *
 * The schedule is found from CloudFormation's record, not from a naming rule: the stack's
 * AWS::Scheduler::Schedule resources, each one's target function, and that function's VENUE_ID.
 *
 * The live state survives deploys that do not touch the schedule, but a deploy that changes it sets the
 * state the config says (`enabled` in bin/venues.ts): make a change permanent there.
 */
// CloudFormation ListStackResources:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html
import { ListStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
// Lambda GetFunctionConfiguration: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
// PutFunctionConcurrency / DeleteFunctionConcurrency:
// https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  PutFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
// EventBridge Scheduler GetSchedule / UpdateSchedule (UpdateSchedule replaces the whole definition):
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_UpdateSchedule.html
import {
  GetScheduleCommand,
  UpdateScheduleCommand,
  type GetScheduleCommandOutput,
  type SchedulerClient,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { OpsError } from './context';

export type ScheduleState = 'ENABLED' | 'DISABLED';

export interface ScheduleClients {
  cloudformation: CloudFormationClient;
  scheduler: SchedulerClient;
  lambda: LambdaClient;
}

export interface VenueSchedule {
  name: string;
  groupName: string;
  functionName: string;
  state: string;
  definition: GetScheduleCommandOutput;
}

export interface ScheduleChange {
  venueId: string;
  stackName: string;
  schedule: string;
  functionName: string;
  before: string;
  after: ScheduleState;
  /** Whether the schedule's state changed (the function's concurrency is always set). */
  changed: boolean;
  /** The poller's reserved concurrency after the command: 0 when paused, none (unreserved) when enabled. */
  reservedConcurrency: 0 | 'none';
}

/** The venue's schedule in the stack: the one whose target function says VENUE_ID=<venueId>. */
export async function findVenueSchedule(
  clients: ScheduleClients,
  stackName: string,
  venueId: string,
): Promise<VenueSchedule> {
  const scheduleNames: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.cloudformation.send(
      new ListStackResourcesCommand({ StackName: stackName, NextToken: token }),
    );
    for (const resource of page.StackResourceSummaries ?? []) {
      if (resource.ResourceType === 'AWS::Scheduler::Schedule' && resource.PhysicalResourceId)
        scheduleNames.push(resource.PhysicalResourceId);
    }
    token = page.NextToken;
  } while (token);
  const targets: string[] = [];
  for (const name of scheduleNames) {
    // A schedule's physical id is its name; the stack's schedules live in the default group.
    const definition = await clients.scheduler.send(new GetScheduleCommand({ Name: name }));
    const functionArn = definition.Target?.Arn;
    if (!functionArn) continue;
    const fn = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }));
    const owner = fn.Environment?.Variables?.['VENUE_ID'];
    targets.push(`${name} -> ${fn.FunctionName ?? functionArn} (VENUE_ID ${owner ?? 'none'})`);
    if (owner === venueId) {
      return {
        name,
        groupName: definition.GroupName ?? 'default',
        functionName: fn.FunctionName ?? functionArn,
        state: definition.State ?? 'UNKNOWN',
        definition,
      };
    }
  }
  throw new OpsError(
    `stack '${stackName}' has no schedule for venue '${venueId}' ` +
      `(its schedules: ${targets.join('; ') || 'none'}); add the venue to bin/venues.ts and deploy, ` +
      'or pass --stack-name / --region of the deployed stack',
  );
}

/**
 * The UpdateSchedule input that changes only the state: UpdateSchedule replaces every field, so each one
 * the schedule has is sent back as it was. Pure.
 */
export function stateUpdate(
  definition: GetScheduleCommandOutput,
  state: ScheduleState,
): UpdateScheduleCommandInput {
  const { Name, Target, ScheduleExpression, FlexibleTimeWindow } = definition;
  if (!Name || !Target || !ScheduleExpression || !FlexibleTimeWindow) {
    throw new OpsError(
      `schedule ${Name ?? '?'} came back incomplete from EventBridge Scheduler; nothing changed`,
    );
  }
  return {
    Name,
    GroupName: definition.GroupName,
    ScheduleExpression,
    FlexibleTimeWindow,
    Target,
    State: state,
    ...(definition.Description !== undefined ? { Description: definition.Description } : {}),
    ...(definition.ScheduleExpressionTimezone !== undefined
      ? { ScheduleExpressionTimezone: definition.ScheduleExpressionTimezone }
      : {}),
    ...(definition.StartDate !== undefined ? { StartDate: definition.StartDate } : {}),
    ...(definition.EndDate !== undefined ? { EndDate: definition.EndDate } : {}),
    ...(definition.KmsKeyArn !== undefined ? { KmsKeyArn: definition.KmsKeyArn } : {}),
    ...(definition.ActionAfterCompletion !== undefined
      ? { ActionAfterCompletion: definition.ActionAfterCompletion }
      : {}),
  };
}

/** Sets the venue's schedule to `state` (no call when it already is). */
export async function setVenueScheduleState(
  clients: ScheduleClients,
  stackName: string,
  venueId: string,
  state: ScheduleState,
): Promise<ScheduleChange> {
  const schedule = await findVenueSchedule(clients, stackName, venueId);
  const base = {
    venueId,
    stackName,
    schedule: schedule.name,
    functionName: schedule.functionName,
    before: schedule.state,
    after: state,
  };
  // Pausing stops the function first (webhook polls included), enabling starts the schedule last.
  if (state === 'DISABLED') {
    await clients.lambda.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: schedule.functionName,
        ReservedConcurrentExecutions: 0,
      }),
    );
  } else {
    await clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: schedule.functionName }));
  }
  const reservedConcurrency = state === 'DISABLED' ? 0 : 'none';
  if (schedule.state === state) return { ...base, changed: false, reservedConcurrency };
  await clients.scheduler.send(new UpdateScheduleCommand(stateUpdate(schedule.definition, state)));
  return { ...base, changed: true, reservedConcurrency };
}

export function renderScheduleChange(change: ScheduleChange): string {
  const verb = change.after === 'ENABLED' ? 'enabled' : 'paused';
  const head = change.changed
    ? `Venue '${change.venueId}' ${verb}: schedule ${change.schedule} ${change.before} -> ${change.after}.`
    : `Venue '${change.venueId}' was already ${verb} (schedule ${change.schedule} is ${change.after}); nothing changed.`;
  return [
    head,
    change.after === 'DISABLED'
      ? `Function ${change.functionName}: reserved concurrency 0, so webhook-triggered polls stop too. ` +
        'A run in progress finishes; flagged contacts wait, nothing is lost.'
      : `Function ${change.functionName}: reserved concurrency removed. The next tick runs within the ` +
        `schedule's interval; watch it with 'venue-sync runs ${change.venueId}'.`,
    `Make it permanent with enabled: ${change.after === 'ENABLED'} for '${change.venueId}' in bin/venues.ts; a deploy that changes the schedule sets the config's state.`,
  ].join('\n');
}
