/**
 * `venue-sync enable|pause <venue>`. Doctor runs for real against the sandbox World; the AWS control
 * plane (CloudFormation, EventBridge Scheduler, Lambda) is mocked with aws-sdk-client-mock, since no AWS
 * account is reachable here. The mocked stack holds one schedule per venue, found through its target
 * function's VENUE_ID, never through its name.
 */
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { stateUpdate } from '../../ops/schedule';
import { useWorld } from '../helpers/world';
import { cli } from './helpers';

const world = useWorld();
const FUNCTION_ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A deployed stack whose schedules have names that say nothing about their venue. */
function deployedStack(state: 'ENABLED' | 'DISABLED') {
  const cloudformation = mockClient(CloudFormationClient);
  cloudformation.on(ListStackResourcesCommand, { StackName: 'VenueSync' }).resolves({
    StackResourceSummaries: ['sched-1', 'sched-2'].map((name, index) => ({
      LogicalResourceId: `Schedule${index}`,
      PhysicalResourceId: name,
      ResourceType: 'AWS::Scheduler::Schedule',
      ResourceStatus: 'CREATE_COMPLETE',
      LastUpdatedTimestamp: new Date(0),
    })),
  });
  const scheduler = mockClient(SchedulerClient);
  const definition = (name: string, fn: string) => ({
    Name: name,
    GroupName: 'default',
    Arn: `arn:aws:scheduler:us-east-1:123456789012:schedule/default/${name}`,
    ScheduleExpression: 'rate(5 minutes)',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Description: 'venue-sync: poller',
    State: state,
    Target: {
      Arn: FUNCTION_ARN(fn),
      RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
    },
  });
  scheduler.on(GetScheduleCommand, { Name: 'sched-1' }).resolves(definition('sched-1', 'fn-b'));
  scheduler.on(GetScheduleCommand, { Name: 'sched-2' }).resolves(definition('sched-2', 'fn-a'));
  scheduler.on(UpdateScheduleCommand).resolves({});
  const lambda = mockClient(LambdaClient);
  for (const [fn, venue] of [
    ['fn-a', 'venue-a'],
    ['fn-b', 'venue-b'],
  ] as const) {
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: FUNCTION_ARN(fn) })
      .resolves({ FunctionName: fn, Environment: { Variables: { VENUE_ID: venue } } });
  }
  lambda.on(PutFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 0 });
  lambda.on(DeleteFunctionConcurrencyCommand).resolves({});
  return {
    mocks: { cloudformation, scheduler, lambda },
    aws: {
      cloudformation: new CloudFormationClient({ region: 'us-east-1' }),
      scheduler: new SchedulerClient({ region: 'us-east-1' }),
      lambda: new LambdaClient({ region: 'us-east-1' }),
    },
  };
}

describe('Command: enable', () => {
  it("enables the venue's schedule (found by its function's VENUE_ID) once doctor passes", async () => {
    const { mocks, aws } = deployedStack('DISABLED');
    const result = await cli(world(), ['enable', 'venue-a', '--json'], { venue: 'venue-a', aws });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      venueId: 'venue-a',
      schedule: 'sched-2',
      functionName: 'fn-a',
      before: 'DISABLED',
      after: 'ENABLED',
      changed: true,
      reservedConcurrency: 'none',
    });
    const updates = mocks.scheduler.commandCalls(UpdateScheduleCommand);
    expect(updates).toHaveLength(1);
    // Everything else about the schedule is sent back unchanged (UpdateSchedule replaces all of it).
    expect(updates[0]?.args[0].input).toMatchObject({
      Name: 'sched-2',
      State: 'ENABLED',
      ScheduleExpression: 'rate(5 minutes)',
      Target: { Arn: FUNCTION_ARN('fn-a'), RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
    expect(mocks.lambda.commandCalls(DeleteFunctionConcurrencyCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'fn-a',
    });
  });

  it('refuses while doctor fails for the venue, changing nothing; --force enables anyway', async () => {
    const { mocks, aws } = deployedStack('DISABLED');
    const env = { HUBSPOT_TOKEN: 'not-a-token' };
    const refused = await cli(world(), ['enable', 'venue-a'], { venue: 'venue-a', env, aws });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("Not enabled: doctor fails for 'venue-a'");
    expect(refused.stderr).toMatch(/hubspot token\s+FAIL/);
    expect(mocks.scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
    expect(mocks.lambda.commandCalls(DeleteFunctionConcurrencyCommand)).toHaveLength(0);

    const forced = await cli(world(), ['enable', 'venue-a', '--force'], { venue: 'venue-a', env, aws });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('enabling anyway (--force)');
    expect(mocks.scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
  });
});

describe('Command: pause', () => {
  it('disables the schedule and sets the poller to reserved concurrency 0 (webhook polls stop too)', async () => {
    const { mocks, aws } = deployedStack('ENABLED');
    const result = await cli(world(), ['pause', 'venue-b'], { aws });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Venue 'venue-b' paused: schedule sched-1 ENABLED -> DISABLED.");
    expect(mocks.lambda.commandCalls(PutFunctionConcurrencyCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'fn-b',
      ReservedConcurrentExecutions: 0,
    });
    expect(mocks.scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: 'sched-1',
      State: 'DISABLED',
    });
  });

  it('changes no schedule that is already paused, and names the stack when it has no such venue', async () => {
    const { mocks, aws } = deployedStack('DISABLED');
    const again = await cli(world(), ['pause', 'venue-b'], { aws });
    expect(again.stdout).toContain('was already paused');
    expect(mocks.scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);

    const marina = await cli(world(), ['pause', 'marina'], { aws });
    expect(marina.code).toBe(1);
    expect(marina.stderr).toContain("stack 'VenueSync' has no schedule for venue 'marina'");
    expect(marina.stderr).toContain('sched-1 -> fn-b (VENUE_ID venue-b)');
  });
});

describe('stateUpdate', () => {
  it('refuses to send an incomplete definition back', () => {
    expect(() => stateUpdate({ Name: 'x', $metadata: {} }, 'ENABLED')).toThrow(/came back incomplete/);
  });
});
