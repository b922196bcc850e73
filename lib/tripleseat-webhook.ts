import { CfnOutput, Duration, Stack, Tags } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { VenueConfig } from '../shared/config/app-config';
import { METRIC_DIMENSIONS } from '../shared/observability/metric-names';
import { LEAD_OUTCOME_SERVICE_NAMES } from '../shared/observability/lead-outcome-metric-names';
import { FunctionAlarms } from './monitoring';
import { type ReconciliationTable, TablePartitions } from './reconciliation-table';
import { acknowledgeInvokeGrant, deadLetterQueue } from './scheduled-sync';
import { SyncFunction } from './sync-function';
import { VenuePoller } from './venue-poller';

/** The lead-outcome handlers, resolved from this file so synth works from any working directory. */
export const LEAD_OUTCOME_HANDLER_ENTRIES = {
  tripleseatWebhook: fileURLToPath(new URL('../lambdas/tripleseat-webhook/handler.ts', import.meta.url)),
  leadReconcile: fileURLToPath(new URL('../lambdas/lead-reconcile/handler.ts', import.meta.url)),
} as const;

/** Whether a venue's leads go to Tripleseat (only those get a receiver; an `http` venue has no webhooks). */
export function isTripleseatVenue(venue: Pick<VenueConfig, 'destination'>): boolean {
  return venue.destination?.type !== 'http';
}

export interface TripleseatWebhookProps {
  readonly venue: VenueConfig;
  readonly table: ReconciliationTable;
  /** The venue's own secret (the poller's): it holds `hubspotToken` and `tripleseatWebhookSecret`. */
  readonly secret: secretsmanager.ISecret;
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
  readonly hubspotTenSecondLimit: number;
  readonly hubspotDailyLimit: number;
  /** Prefix of physical names. @default - the stack name */
  readonly namePrefix?: string;
}

/**
 * One venue's lead outcomes (docs/lead-outcomes.md): the Tripleseat webhook receiver (its own function,
 * role and Function URL) and, when the config gives `leadReconcileHour`, the nightly reconcile on its own
 * schedule. Both roles read only this venue's secret and touch only this venue's partitions
 * (`VENUE#<id>`, `QUARANTINE#venue:<id>`, where a lost create answer is settled) plus the shared HubSpot
 * budget, so a delivery can never reach another venue's contacts, even with a bug in the code.
 *
 * The Function URL has no IAM auth: Tripleseat cannot sign AWS requests. The handler refuses any request
 * whose `X-Signature` is not the HMAC of the body under the venue's webhook secret (401, nothing written).
 */
export class TripleseatWebhook extends Construct {
  readonly venueId: string;
  readonly label: string;
  readonly fn: SyncFunction;
  readonly url: lambda.FunctionUrl;
  readonly reconcile?: LeadReconcile;

  constructor(scope: Construct, id: string, props: TripleseatWebhookProps) {
    super(scope, id);
    const { venue } = props;
    const prefix = props.namePrefix ?? Stack.of(this).stackName;
    this.venueId = venue.id;
    this.label = venue.displayName;
    const partitions = [
      TablePartitions.venue(venue.id),
      TablePartitions.venueQuarantine(venue.id),
      TablePartitions.hubSpotBudget,
    ];
    const environment = {
      VENUE_ID: venue.id,
      SECRET_ARN: props.secret.secretArn,
      TABLE_NAME: props.table.tableName,
      ...(venue.writeBack ? { WRITEBACK_MAP: JSON.stringify(venue.writeBack) } : {}),
      HUBSPOT_TEN_SECOND_LIMIT: String(props.hubspotTenSecondLimit),
      HUBSPOT_DAILY_LIMIT: String(props.hubspotDailyLimit),
    };

    this.fn = new SyncFunction(this, 'Function', {
      entry: LEAD_OUTCOME_HANDLER_ENTRIES.tripleseatWebhook,
      serviceName: LEAD_OUTCOME_SERVICE_NAMES.tripleseatWebhook,
      functionName: physicalName(prefix, venue.id, 'ts-webhook'),
      description: `venue-sync: ${venue.displayName} Tripleseat webhook receiver (lead outcomes)`,
      // A delivery is one lead: a few table items and one HubSpot update. Tripleseat resends on no 200.
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment,
    });
    props.secret.grantRead(this.fn);
    props.table.grantPartitions(this.fn, partitions);
    this.url = this.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new FunctionAlarms(this, 'Alarms', {
      fn: this.fn,
      label: `${venue.displayName} Tripleseat webhook`,
      actions: props.alarmActions,
    });
    new CfnOutput(this, 'Url', {
      description: `${venue.displayName}: Tripleseat webhook endpoint URL (Tripleseat > Settings > Webhooks)`,
      value: this.url.url,
    }).overrideLogicalId(`${VenuePoller.outputIdOf(venue.id)}TripleseatWebhookUrl`);

    if (venue.leadReconcileHour !== undefined) {
      this.reconcile = new LeadReconcile(this, 'Reconcile', {
        venue,
        hour: venue.leadReconcileHour,
        functionName: physicalName(prefix, venue.id, 'ts-reconcile'),
        scheduleName: physicalName(prefix, venue.id, 'ts-reconcile'),
        environment,
        grant: (fn) => {
          props.secret.grantRead(fn);
          props.table.grantPartitions(fn, partitions);
        },
        alarmActions: props.alarmActions,
      });
    }
    Tags.of(this).add('venue', venue.id);
  }

  /** The dimensions both lead-outcome functions publish their metrics with (metrics.ts). */
  metricDimensions(service: keyof typeof LEAD_OUTCOME_SERVICE_NAMES): Record<string, string> {
    return {
      [METRIC_DIMENSIONS.service]: LEAD_OUTCOME_SERVICE_NAMES[service],
      [METRIC_DIMENSIONS.venue]: this.venueId,
    };
  }
}

interface LeadReconcileProps {
  readonly venue: VenueConfig;
  /** UTC hour of the daily run. */
  readonly hour: number;
  readonly functionName: string;
  readonly scheduleName: string;
  readonly environment: Record<string, string>;
  readonly grant: (fn: SyncFunction) => void;
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
}

/**
 * The nightly reconcile of one venue: a function, a daily schedule whose role may invoke only it and is
 * assumable only by that schedule, and the schedule's own DLQ. A failed night is not retried beyond the
 * scheduler's two attempts: the next night reads from the last successful start, so nothing is skipped.
 */
export class LeadReconcile extends Construct {
  readonly fn: SyncFunction;
  readonly schedule: scheduler.Schedule;
  readonly scheduleRole: iam.Role;
  readonly scheduleDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: LeadReconcileProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.fn = new SyncFunction(this, 'Function', {
      entry: LEAD_OUTCOME_HANDLER_ENTRIES.leadReconcile,
      serviceName: LEAD_OUTCOME_SERVICE_NAMES.leadReconcile,
      functionName: props.functionName,
      description: `venue-sync: ${props.venue.displayName} nightly lead reconcile`,
      // Reads every lead changed in a day and writes the few that changed; well inside Lambda's 15 minutes.
      timeout: Duration.minutes(10),
      environment: props.environment,
    });
    props.grant(this.fn);
    this.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.hours(1) });

    this.scheduleDeadLetterQueue = deadLetterQueue(this, 'ScheduleDlq', 'EventBridge Scheduler target DLQ');
    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: `EventBridge Scheduler role of ${props.venue.displayName} lead reconcile`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule',
              resourceName: `default/${props.scheduleName}`,
            }),
          },
        },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: props.scheduleName,
      description: `venue-sync: ${props.venue.displayName} lead reconcile daily at ${props.hour}:00 UTC`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(props.hour) }),
      target: new targets.LambdaInvoke(this.fn, {
        role: this.scheduleRole,
        deadLetterQueue: this.scheduleDeadLetterQueue,
        maxEventAge: Duration.hours(1),
        retryAttempts: 2,
      }),
    });
    acknowledgeInvokeGrant(this.scheduleRole, this.fn);
    new FunctionAlarms(this, 'Alarms', {
      fn: this.fn,
      label: `${props.venue.displayName} lead reconcile`,
      actions: props.alarmActions,
    });
  }
}

/** `<prefix>-<venue>-<what>`, refused beyond Lambda's and Scheduler's 64 characters. */
function physicalName(prefix: string, venueId: string, what: string): string {
  const name = `${prefix}-${venueId}-${what}`;
  if (name.length > 64) {
    throw new Error(
      `venue '${venueId}': name '${name}' exceeds 64 characters; shorten the venue id or the stack name`,
    );
  }
  return name;
}
