import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type MonitoredSync, SyncAlarms } from './monitoring';
import type { ReconciliationTable } from './reconciliation-table';
import { SyncFunction } from './sync-function';

/** Where a function's credentials come from. The value never enters the template. */
export interface SyncSecretProps {
  readonly secretName: string;
  /** The JSON keys the operator fills in, e.g. `['hubspotToken', 'tripleseatPublicKey']`. */
  readonly keys: readonly string[];
  /** Keys the operator may add (named in the description, absent from the skeleton). @default - none */
  readonly optionalKeys?: readonly string[];
  /**
   * Import an existing secret by name instead of creating it (e.g. credentials managed elsewhere).
   * @default false
   */
  readonly importExisting?: boolean;
}

/**
 * Creates the secret (or imports it by name). A created secret holds a JSON skeleton with the required
 * keys present and empty, so the console shows exactly what to fill and the handler fails naming the
 * empty keys until someone does. Optional keys are only named in the description: the handler rejects
 * an empty string, so a skeleton `""` left in place would break a venue that does not need the key.
 * CloudFormation requires a value or a generator; the skeleton is the generator's template and
 * `_placeholder` the generated key (ignored by the handler). The skeleton must never change once
 * deployed: changing a generator makes CloudFormation generate a new value over the filled one.
 */
export function createOrImportSecret(
  scope: Construct,
  id: string,
  props: SyncSecretProps,
): secretsmanager.ISecret {
  if (props.importExisting) return secretsmanager.Secret.fromSecretNameV2(scope, id, props.secretName);
  const secret = new secretsmanager.Secret(scope, id, {
    secretName: props.secretName,
    description:
      `venue-sync credentials. Fill with JSON {${props.keys.join(', ')}` +
      `${props.optionalKeys?.length ? `, optional: ${props.optionalKeys.join(', ')}` : ''}}.`,
    generateSecretString: {
      secretStringTemplate: JSON.stringify(Object.fromEntries(props.keys.map((key) => [key, '']))),
      generateStringKey: '_placeholder',
      passwordLength: 8,
      excludePunctuation: true,
    },
    // A removed venue must not leave credentials behind; Secrets Manager keeps it recoverable for 30 days.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Holds third-party API credentials (HubSpot private-app token, Tripleseat keys, Webex token) that ' +
      'only the vendor can issue; a rotation Lambda cannot mint new ones. Rotation is the manual runbook step.',
  });
  return secret;
}

/** An SQS queue that only receives failures: SQS-managed encryption, HTTPS-only, 14 days retention. */
/**
 * cdk-nag flags the `:*` (versions and aliases) that a scheduler's LambdaInvoke target adds to its role's
 * grant; it still reaches one function only, so the finding is acknowledged with that reason.
 */
export function acknowledgeInvokeGrant(scheduleRole: iam.IRole, fn: lambda.IFunction): void {
  const logicalId = Stack.of(fn).resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId) as string;
  Validations.of(scheduleRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason:
      "LambdaInvoke grants lambda:InvokeFunction on this one function and its versions/aliases (':*'); " +
      'no other function is reachable.',
  });
}

export function deadLetterQueue(scope: Construct, id: string, what: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue IS a dead-letter queue (${what}); nag only recognises SQS-to-SQS redrive.`,
  });
  return queue;
}

export interface ScheduledSyncProps {
  /** Human label for descriptions, alarms and the dashboard. */
  readonly label: string;
  /** Handler module path. */
  readonly entry: string;
  /** Powertools service name (metric dimension `service`). */
  readonly serviceName: string;
  /** Extra dimensions the handler adds to its custom metrics. @default - none */
  readonly extraMetricDimensions?: Record<string, string>;
  /** Handler configuration; SECRET_ARN and TABLE_NAME are added here. */
  readonly environment: Record<string, string>;
  readonly table: ReconciliationTable;
  /** `pk` patterns this function may touch (see TablePartitions). */
  readonly partitions: readonly string[];
  readonly secret: SyncSecretProps;
  /** Minutes between ticks. */
  readonly intervalMinutes: number;
  /** Physical names, so operators and the CLI find them. @default - generated */
  readonly functionName?: string;
  readonly scheduleName?: string;
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
  /** Whether the schedule ticks; a disabled one keeps every resource, paused. @default true */
  readonly enabled?: boolean;
  /**
   * Logical id prefix of this sync's stack outputs, e.g. `VenueAPoller` gives `VenueAPollerSecretName`
   * (readable in the console and in `cdk deploy` output, instead of a path plus a hash). Must be unique
   * in the stack. @default - ids derived from the construct path
   */
  readonly outputPrefix?: string;
}

/**
 * One scheduled sync, complete and isolated: its function and role, its secret (read-only grant on that
 * secret alone), table access limited to its partitions, an EventBridge Scheduler schedule with an
 * explicit retry policy, a DLQ and a scheduler role that may invoke only this function, an on-failure
 * queue for failed runs, its alarms, and outputs telling the operator what to fill in.
 */
export class ScheduledSync extends Construct implements MonitoredSync {
  /**
   * Timeout below the interval so a run ends before the next tick (the handler stops itself earlier
   * with `getRemainingTimeInMillis()`); 45 s floor for 1-minute schedules, 14 min ceiling (Lambda: 15).
   */
  static timeoutFor(intervalMinutes: number): Duration {
    return Duration.seconds(Math.min(Math.max(intervalMinutes * 60 - 60, 45), 14 * 60));
  }

  readonly label: string;
  readonly fn: SyncFunction;
  readonly secret: secretsmanager.ISecret;
  readonly schedule: scheduler.Schedule;
  readonly scheduleRole: iam.Role;
  readonly scheduleDeadLetterQueue: sqs.Queue;
  readonly failureQueue: sqs.Queue;
  readonly interval: Duration;
  readonly metricDimensions: Record<string, string>;
  readonly alarms: SyncAlarms;
  readonly enabled: boolean;

  constructor(scope: Construct, id: string, props: ScheduledSyncProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.label = props.label;
    this.enabled = props.enabled ?? true;
    this.interval = Duration.minutes(props.intervalMinutes);
    this.metricDimensions = { service: props.serviceName, ...props.extraMetricDimensions };

    this.secret = createOrImportSecret(this, 'Secret', props.secret);
    this.failureQueue = deadLetterQueue(this, 'FailureQueue', 'Lambda asynchronous on-failure destination');
    this.scheduleDeadLetterQueue = deadLetterQueue(this, 'ScheduleDlq', 'EventBridge Scheduler target DLQ');

    this.fn = new SyncFunction(this, 'Function', {
      entry: props.entry,
      serviceName: props.serviceName,
      functionName: props.functionName,
      description: `venue-sync: ${props.label}`,
      timeout: ScheduledSync.timeoutFor(props.intervalMinutes),
      environment: {
        ...props.environment,
        SECRET_ARN: this.secret.secretArn,
        TABLE_NAME: props.table.tableName,
      },
    });
    // Reserved concurrency is deliberately NOT set. Overlap is already prevented by the DynamoDB lease
    // (a second run exits quietly), and a webhook-triggered early poll must not be throttled behind
    // a scheduled run; reserving 1 would also fail to deploy in accounts whose concurrency quota is
    // below 100 unreserved (new accounts), and costs every venue a slice of the account pool.
    this.fn.configureAsyncInvoke({
      // The next tick is the retry: a failed run is recorded, not repeated.
      retryAttempts: 0,
      maxEventAge: this.interval.toSeconds() >= 60 ? this.interval : Duration.minutes(1),
      onFailure: new SqsDestination(this.failureQueue),
    });
    this.secret.grantRead(this.fn);
    props.table.grantPartitions(this.fn, props.partitions);

    // The scheduler's role: assumable only by this schedule, may only invoke this function and write
    // to this DLQ.
    const scheduleName = props.scheduleName;
    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: `EventBridge Scheduler role of ${props.label}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            ...(scheduleName
              ? {
                  'aws:SourceArn': stack.formatArn({
                    service: 'scheduler',
                    resource: 'schedule',
                    resourceName: `default/${scheduleName}`,
                  }),
                }
              : {}),
          },
        },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName,
      description: `venue-sync: ${props.label} every ${props.intervalMinutes} min`,
      schedule: scheduler.ScheduleExpression.rate(this.interval),
      enabled: this.enabled,
      target: new targets.LambdaInvoke(this.fn, {
        role: this.scheduleRole,
        deadLetterQueue: this.scheduleDeadLetterQueue,
        // A tick older than one interval is superseded by the next one.
        maxEventAge: this.interval,
        retryAttempts: 2,
      }),
    });
    acknowledgeInvokeGrant(this.scheduleRole, this.fn);

    this.alarms = new SyncAlarms(this, 'Alarms', {
      sync: this,
      actions: props.alarmActions,
      paused: !this.enabled,
    });

    const functionOutput = new CfnOutput(this, 'FunctionName', {
      description: `${props.label}: Lambda function`,
      value: this.fn.functionName,
    });
    const secretOutput = new CfnOutput(this, 'SecretName', {
      description: props.secret.importExisting
        ? `${props.label}: imported secret`
        : `${props.label}: fill this secret with JSON {${props.secret.keys.join(', ')}` +
          `${props.secret.optionalKeys?.length ? `, ${props.secret.optionalKeys.map((k) => `${k}?`).join(', ')}` : ''}}`,
      value: props.secret.secretName,
    });
    if (props.outputPrefix) {
      functionOutput.overrideLogicalId(`${props.outputPrefix}FunctionName`);
      secretOutput.overrideLogicalId(`${props.outputPrefix}SecretName`);
    }
  }
}
