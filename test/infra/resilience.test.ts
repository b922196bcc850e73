import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { ScheduledSync } from '../../lib/scheduled-sync';
import { type Built, build } from './synth';

let built: Built;
let fast: Built;

beforeAll(() => {
  built = build();
  fast = build({
    ...appConfig,
    venues: appConfig.venues.map((v, i) => (i === 0 ? { ...v, scheduleMinutes: 2 } : v)),
  });
});

const resources = (b: Built, type: string) => Object.values(b.json.Resources).filter((r) => r.Type === type);

describe('Construct: ScheduledSync', () => {
  it('gives each schedule its own DLQ, its own role and an explicit retry policy bounded by the interval', () => {
    // Prepare
    const schedules = resources(built, 'AWS::Scheduler::Schedule');

    // Act
    const targets = schedules.map((s) => ({
      expression: s.Properties!.ScheduleExpression as string,
      target: s.Properties!.Target as {
        DeadLetterConfig?: { Arn: { 'Fn::GetAtt': [string, string] } };
        RetryPolicy?: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
        RoleArn: { 'Fn::GetAtt': [string, string] };
      },
    }));

    // Assess
    expect(schedules).toHaveLength(appConfig.venues.length + 1);
    for (const { expression, target } of targets) {
      const minutes = Number(/rate\((\d+) minutes?\)/.exec(expression)![1]);
      expect(target.RetryPolicy!.MaximumRetryAttempts).toBeLessThanOrEqual(2);
      expect(target.RetryPolicy!.MaximumEventAgeInSeconds).toBe(minutes * 60);
      expect(built.json.Resources[target.DeadLetterConfig!.Arn['Fn::GetAtt'][0]]!.Type).toBe(
        'AWS::SQS::Queue',
      );
    }
    const dlqs = targets.map((t) => t.target.DeadLetterConfig!.Arn['Fn::GetAtt'][0]);
    const roles = targets.map((t) => t.target.RoleArn['Fn::GetAtt'][0]);
    expect(new Set(dlqs).size).toBe(targets.length);
    expect(new Set(roles).size).toBe(targets.length);
  });

  it('lets a scheduler role be assumed only for its own schedule', () => {
    // Act / Assess
    built.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': '123456789012',
                // A literal ARN: cdk.json's partition-literals flag resolves the partition of a known region.
                'aws:SourceArn':
                  'arn:aws:scheduler:us-east-1:123456789012:schedule/default/VenueSync-marina-poll',
              },
            },
          }),
        ],
      },
    });
  });

  it('uses venue.scheduleMinutes for the rate, the retry window and a timeout below the interval', () => {
    // Act / Assess
    fast.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'VenueSync-venue-a-poll',
      ScheduleExpression: 'rate(2 minutes)',
      Target: Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 2 } }),
    });
    fast.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'VenueSync-venue-a-poller',
      Timeout: 60,
    });
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'VenueSync-venue-a-poller',
      Timeout: 240,
    });
    expect(ScheduledSync.timeoutFor(1).toSeconds()).toBe(45);
    expect(ScheduledSync.timeoutFor(60).toSeconds()).toBe(840);
  });

  it('records failed runs in an on-failure queue and does not retry them (the next tick does)', () => {
    // Act
    const configs = resources(built, 'AWS::Lambda::EventInvokeConfig');

    // Assess
    expect(configs).toHaveLength(appConfig.venues.length + 1);
    for (const config of configs) {
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 0 });
      const queueId = (
        config.Properties!.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': string[] } } }
      ).OnFailure.Destination['Fn::GetAtt'][0]!;
      expect(built.json.Resources[queueId]!.Type).toBe('AWS::SQS::Queue');
    }
  });

  it('encrypts every queue and denies non-TLS access to it', () => {
    // Prepare
    const queueIds = Object.entries(built.json.Resources)
      .filter(([, r]) => r.Type === 'AWS::SQS::Queue')
      .map(([id]) => id);

    // Act
    const policies = resources(built, 'AWS::SQS::QueuePolicy');

    // Assess
    expect(queueIds).toHaveLength(2 * (appConfig.venues.length + 1));
    for (const id of queueIds) {
      expect(built.json.Resources[id]!.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      const policy = policies.find(
        (p) => JSON.stringify(p.Properties!.Queues) === JSON.stringify([{ Ref: id }]),
      );
      expect(JSON.stringify(policy?.Properties!.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('does not reserve concurrency (the lease prevents overlap; early webhook polls must not throttle)', () => {
    // Act / Assess
    for (const fn of resources(built, 'AWS::Lambda::Function')) {
      expect(fn.Properties!.ReservedConcurrentExecutions).toBeUndefined();
    }
  });
});

describe('Construct: ReconciliationTable', () => {
  it('is on-demand, point-in-time recoverable, encrypted, retained, with gsi1 and TTL expiresAt', () => {
    // Act / Assess
    built.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    built.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
          }),
        ],
      }),
    });
  });
});
