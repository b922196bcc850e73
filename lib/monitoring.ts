import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../shared/observability/metric-names';
import { LEAD_OUTCOME_METRIC_NAMES } from '../shared/observability/lead-outcome-metric-names';

export interface AlarmTopicProps {
  /** E-mail addresses subscribed to every alarm. @default - none (subscribe later) */
  readonly emails?: readonly string[];
  /**
   * An existing SNS topic, in the stack's region, that every alarm notifies as well (e.g. the topic a
   * chat channel listens on). CloudWatch publishes to it directly, so if it is KMS-encrypted its key
   * must let `cloudwatch.amazonaws.com` use it. @default - none
   */
  readonly extraTopicArn?: string;
}

/**
 * The one SNS topic every alarm notifies: encrypted with its own rotating KMS key (the AWS managed SNS
 * key does not let CloudWatch publish), HTTPS-only publishing (enforceSSL). Optionally every alarm also
 * notifies an existing topic (a chat channel): an SNS topic cannot subscribe to another topic, so that
 * is a second alarm action rather than a subscription.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  /** Every alarm's actions: this topic, then the extra topic if any. */
  readonly actions: readonly cloudwatch.IAlarmAction[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: 'venue-sync alarm topic encryption',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'venue-sync alarms',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    const extra = props.extraTopicArn
      ? [new cwActions.SnsAction(sns.Topic.fromTopicArn(this, 'ExtraTopic', props.extraTopicArn))]
      : [];
    this.actions = [new cwActions.SnsAction(this.topic), ...extra];
  }
}

/** Adds every action to the alarm (an alarm takes up to five per state). */
function notify(alarm: cloudwatch.Alarm, actions: readonly cloudwatch.IAlarmAction[]): void {
  alarm.addAlarmAction(...actions);
}

/** What a scheduled sync exposes to its alarms and its dashboard row. */
export interface MonitoredSync {
  /** Human label, e.g. "Harbor Hall (Venue A)". */
  readonly label: string;
  readonly fn: lambda.IFunction;
  readonly scheduleDeadLetterQueue: sqs.IQueue;
  readonly failureQueue: sqs.IQueue;
  readonly interval: Duration;
  /** The exact dimensions its handler emits custom metrics with (see metric-names.ts). */
  readonly metricDimensions: Record<string, string>;
}

export interface SyncAlarmsProps {
  readonly sync: MonitoredSync;
  readonly actions: readonly cloudwatch.IAlarmAction[];
  /**
   * The schedule is disabled (a paused venue): no runs is then expected, so `NoSuccessfulRun` keeps its
   * state but notifies nobody. @default false
   */
  readonly paused?: boolean;
  /** Intervals without a `SuccessfulRun` before alarming. @default 3 */
  readonly staleAfterIntervals?: number;
  /** Rejected / flagged records in an hour, percent, above which to alarm. @default 20 */
  readonly rejectedRatePercent?: number;
  /** HubSpot daily budget used, percent, above which to alarm. @default 80 */
  readonly hubSpotBudgetPercent?: number;
}

/**
 * The alarms of one scheduled sync: function errors and throttles, schedule DLQ and on-failure queue not
 * empty, no successful run for N intervals (missing data breaches: a function that never runs is
 * broken), rejected-record rate, HubSpot daily budget.
 */
export class SyncAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: SyncAlarmsProps) {
    super(scope, id);
    const { sync } = props;
    const interval = sync.interval;
    const stale = props.staleAfterIntervals ?? 3;
    const custom = (metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: sync.metricDimensions,
        statistic,
        period,
      });
    const add = (alarmId: string, what: string, alarmProps: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        ...alarmProps,
        alarmDescription: `${sync.label}: ${what}`,
      });
      notify(alarm, props.actions);
      this.alarms.push(alarm);
    };

    add('Errors', 'the function failed (see its log group).', {
      metric: sync.fn.metricErrors({ period: interval, statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('Throttles', 'invocations were throttled (account concurrency).', {
      metric: sync.fn.metricThrottles({ period: interval, statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const queueDepth = (queue: sqs.IQueue) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    add('ScheduleDlqDepth', 'EventBridge Scheduler could not deliver ticks (messages in the schedule DLQ).', {
      metric: queueDepth(sync.scheduleDeadLetterQueue),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('FailureQueueDepth', 'failed invocations recorded in the on-failure queue.', {
      metric: queueDepth(sync.failureQueue),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('NoSuccessfulRun', `no successful run for ${stale} intervals.`, {
      metric: custom(METRIC_NAMES.successfulRun, 'Sum', interval),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: stale,
      datapointsToAlarm: stale,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      actionsEnabled: !props.paused,
    });
    const hour = Duration.hours(1);
    add('RejectedRate', `more than ${props.rejectedRatePercent ?? 20}% of records rejected in an hour.`, {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(flagged > 0, 100 * rejected / flagged, 0)',
        usingMetrics: {
          rejected: custom(METRIC_NAMES.recordsRejected, 'Sum', hour),
          flagged: custom(METRIC_NAMES.recordsFlagged, 'Sum', hour),
        },
        period: hour,
        label: 'Rejected %',
      }),
      threshold: props.rejectedRatePercent ?? 20,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('HubSpotDailyBudget', `HubSpot daily API budget above ${props.hubSpotBudgetPercent ?? 80}%.`, {
      metric: custom(METRIC_NAMES.hubSpotDailyBudgetUsedPercent, 'Maximum', Duration.minutes(5)),
      threshold: props.hubSpotBudgetPercent ?? 80,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** Errors and throttles of a function that is not a scheduled sync (the webhook receiver). */
export class FunctionAlarms extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { fn: lambda.IFunction; label: string; actions: readonly cloudwatch.IAlarmAction[] },
  ) {
    super(scope, id);
    const period = Duration.minutes(5);
    for (const [alarmId, metric] of [
      ['Errors', props.fn.metricErrors({ period, statistic: 'Sum' })],
      ['Throttles', props.fn.metricThrottles({ period, statistic: 'Sum' })],
    ] as const) {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        alarmDescription: `${props.label}: ${alarmId.toLowerCase()} in the last 5 minutes.`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      notify(alarm, props.actions);
    }
  }
}

export interface VenueAlarmsProps {
  /** The venue's poller (its metric dimensions carry `venue`). */
  readonly sync: MonitoredSync;
  readonly actions: readonly cloudwatch.IAlarmAction[];
  /** Intervals a request may wait for a decision before alarming. @default 2 */
  readonly oldestWaitingIntervals?: number;
}

/**
 * The alarms only a venue poller has, each on a metric the poller publishes once per run:
 * - `Quarantined`: any request parked for `venue-sync replay` (the contact's status says the team has
 *   been alerted; this alarm is that alert).
 * - `TripleseatAuthFailed`: Tripleseat refused the venue's OAuth token or its refresh, so the lookup that
 *   prevents duplicate leads cannot run until someone issues a new token.
 * - `OldestWaiting`: a ticked contact has waited longer than N intervals for a decision (stuck backlog,
 *   budget exhausted, a lease that never expires).
 * Silence is not breaching here: `NoSuccessfulRun` already alarms when the poller does not run.
 */
export class VenueAlarms extends Construct {
  readonly quarantined: cloudwatch.Alarm;
  readonly tripleseatAuthFailed: cloudwatch.Alarm;
  readonly oldestWaiting: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: VenueAlarmsProps) {
    super(scope, id);
    const { sync } = props;
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: sync.metricDimensions,
        statistic,
        period: sync.interval,
      });
    const alarm = (
      alarmId: string,
      what: string,
      alarmProps: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'comparisonOperator'>,
    ) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        ...alarmProps,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${sync.label}: ${what}`,
      });
      notify(created, props.actions);
      return created;
    };

    this.quarantined = alarm(
      'Quarantined',
      'requests were quarantined. Run `venue-sync status <venue>`, fix the cause, then `venue-sync replay <venue>`.',
      {
        metric: metric(METRIC_NAMES.recordsQuarantined, 'Sum'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      },
    );
    this.tripleseatAuthFailed = alarm(
      'TripleseatAuthFailed',
      'Tripleseat refused the OAuth token or its refresh. Have a Tripleseat admin issue a new token, ' +
        'store it in the venue secret, then run `venue-sync doctor <venue>`.',
      {
        metric: metric(METRIC_NAMES.tripleseatAuthFailed, 'Sum'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      },
    );
    const intervals = props.oldestWaitingIntervals ?? 2;
    this.oldestWaiting = alarm(
      'OldestWaiting',
      `a ticked contact has waited more than ${intervals} intervals for a decision. ` +
        'Run `venue-sync status <venue>` (backlog, lease, HubSpot budget).',
      {
        metric: metric(METRIC_NAMES.oldestWaitingSeconds, 'Maximum'),
        threshold: intervals * sync.interval.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      },
    );
  }
}

/** What a venue's lead-outcome functions expose to the dashboard (lib/tripleseat-webhook.ts). */
export interface MonitoredLeadOutcomes {
  /** The receiver; its log group holds the "lead outcome written back" lines (with `lostReason`). */
  readonly fn: lambda.IFunction & { readonly logGroup: { readonly logGroupName: string } };
  /** The exact dimensions each of the two functions publishes with. */
  metricDimensions(service: 'tripleseatWebhook' | 'leadReconcile'): Record<string, string>;
}

export interface OperationsDashboardProps {
  /** @default - generated */
  readonly dashboardName?: string;
}

/** One CloudWatch dashboard, one row per scheduled sync (venues, then Webex). */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps = {}) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(24),
    });
  }

  /** Console URL of the dashboard. */
  get url(): string {
    const region = Stack.of(this).region;
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`;
  }

  addSyncRow(sync: MonitoredSync): void {
    const custom = (metricName: string, label: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: sync.metricDimensions,
        statistic,
        period: sync.interval,
        label,
      });
    const period = sync.interval;
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `## ${sync.label}`, width: 24, height: 1 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Invocations',
        width: 6,
        left: [
          sync.fn.metricInvocations({ period, statistic: 'Sum' }),
          sync.fn.metricErrors({ period, statistic: 'Sum' }),
          sync.fn.metricThrottles({ period, statistic: 'Sum' }),
        ],
        right: [sync.fn.metricDuration({ period, statistic: 'Maximum' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Records',
        width: 6,
        left: [
          custom(METRIC_NAMES.recordsFlagged, 'flagged'),
          custom(METRIC_NAMES.recordsSynced, 'synced'),
          custom(METRIC_NAMES.recordsRejected, 'rejected'),
          custom(METRIC_NAMES.recordsRetried, 'retried later'),
          custom(METRIC_NAMES.recordsQuarantined, 'quarantined'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Runs and dead letters',
        width: 6,
        left: [custom(METRIC_NAMES.successfulRun, 'successful runs')],
        right: [
          sync.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'schedule DLQ' }),
          sync.failureQueue.metricApproximateNumberOfMessagesVisible({ label: 'on-failure queue' }),
        ],
      }),
      new cloudwatch.SingleValueWidget({
        title: 'HubSpot daily budget used %',
        width: 6,
        height: 6,
        metrics: [custom(METRIC_NAMES.hubSpotDailyBudgetUsedPercent, 'budget %', 'Maximum')],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API calls per run and 429s received',
        width: 24,
        height: 4,
        left: [
          custom(METRIC_NAMES.apiCallsHubSpot, 'HubSpot'),
          custom(METRIC_NAMES.apiCallsTripleseat, 'Tripleseat'),
          custom(METRIC_NAMES.apiCallsWebex, 'Webex'),
        ],
        right: [custom(METRIC_NAMES.rateLimitedAnswers, '429s')],
      }),
    );
  }

  /**
   * A venue's lead-outcome row: leads sent and what became of them (converted, booked, turned down, lost),
   * the lost reasons, and the medians from tick to lead and from lead to booking. A stage counts once per
   * lead, whether the webhook or the nightly reconcile brought it, so the two functions' counts are added.
   */
  addLeadOutcomesRow(poller: MonitoredSync, outcomes: MonitoredLeadOutcomes): void {
    const period = Duration.hours(1);
    const metric = (dimensionsMap: Record<string, string>, metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap, statistic, period });
    const webhook = outcomes.metricDimensions('tripleseatWebhook');
    const reconcile = outcomes.metricDimensions('leadReconcile');
    // Metric ids must be unique within a graph: one pair per stage (`w0`/`r0`, `w1`/`r1`, ...).
    let pairs = 0;
    const bothFunctions = (metricName: string, label: string) => {
      const n = pairs++;
      return new cloudwatch.MathExpression({
        expression: `FILL(w${n}, 0) + FILL(r${n}, 0)`,
        usingMetrics: {
          [`w${n}`]: metric(webhook, metricName, 'Sum'),
          [`r${n}`]: metric(reconcile, metricName, 'Sum'),
        },
        period,
        label,
      });
    };
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `### ${poller.label}: lead outcomes`, width: 24, height: 1 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Leads sent and what became of them',
        width: 10,
        left: [
          metric(poller.metricDimensions, METRIC_NAMES.recordsSynced, 'Sum').with({ label: 'sent' }),
          bothFunctions(LEAD_OUTCOME_METRIC_NAMES.leadsConverted, 'converted'),
          bothFunctions(LEAD_OUTCOME_METRIC_NAMES.leadsBooked, 'booked'),
          bothFunctions(LEAD_OUTCOME_METRIC_NAMES.leadsTurnedDown, 'turned down'),
          bothFunctions(LEAD_OUTCOME_METRIC_NAMES.leadsLost, 'lost'),
        ],
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Lost leads by reason',
        width: 6,
        logGroupNames: [outcomes.fn.logGroup.logGroupName],
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        queryLines: [
          "filter message = 'lead outcome written back' and stage = 'lost'",
          'stats count(*) as leads by lostReason',
          'sort leads desc',
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Median tick to lead / lead to booking (s)',
        width: 8,
        left: [
          metric(poller.metricDimensions, METRIC_NAMES.tickToLeadSeconds, 'p50').with({
            label: 'tick to lead p50',
          }),
        ],
        right: [
          metric(webhook, LEAD_OUTCOME_METRIC_NAMES.leadToBookingSeconds, 'p50').with({
            label: 'lead to booking p50 (webhook)',
          }),
          metric(reconcile, LEAD_OUTCOME_METRIC_NAMES.leadToBookingSeconds, 'p50').with({
            label: 'lead to booking p50 (reconcile)',
          }),
        ],
      }),
    );
  }

  /** A venue's latency row: how long ticked contacts wait, and how long a tick takes to become a lead. */
  addVenueLatencyRow(sync: MonitoredSync): void {
    const seconds = (metricName: string, label: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: sync.metricDimensions,
        statistic,
        period: sync.interval,
        label,
      });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Oldest waiting request (s)',
        width: 12,
        height: 4,
        left: [seconds(METRIC_NAMES.oldestWaitingSeconds, 'oldest waiting', 'Maximum')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Tick to lead (s)',
        width: 12,
        height: 4,
        left: [
          seconds(METRIC_NAMES.tickToLeadSeconds, 'p50', 'p50'),
          seconds(METRIC_NAMES.tickToLeadSeconds, 'p95', 'p95'),
        ],
      }),
    );
  }
}
