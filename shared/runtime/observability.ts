/**
 * Logs and metrics for the handlers: Powertools Logger (structured JSON) and Metrics (EMF) in AWS;
 * the sandbox and tests pass their own sinks. Metric names come from the one module the stack's
 * alarms use (shared/observability/metric-names.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../observability/metric-names';
import type { ApiCallStats } from '../rate-limit/types';
import type { DecisionLog } from '../sync/decision-log';

/** One metric of a run: a single value, or several (one per lead, so percentiles stay meaningful). */
export interface MetricValue {
  value: number | readonly number[];
  unit: 'Count' | 'Percent' | 'Seconds';
}

export interface MetricSink {
  /** Publishes one run's metrics with the given dimensions. */
  publish(dimensions: Record<string, string>, values: Record<string, MetricValue>): void;
}

const POWERTOOLS_UNITS = {
  Count: MetricUnit.Count,
  Percent: MetricUnit.Percent,
  Seconds: MetricUnit.Seconds,
} as const;

/** The parts of the Lambda context a log line carries (request id first); the rest is optional. */
export type InvocationContext = Pick<Context, 'awsRequestId'> & Partial<Context>;

export interface Observability {
  log: DecisionLog;
  metrics: MetricSink;
  /**
   * Called by a handler at the start of each invocation: from then on every log line carries the
   * invocation's request id (and function name, cold start, ...). Sinks without such fields omit it.
   */
  withContext?(context: InvocationContext): void;
}

export function powertoolsObservability(
  serviceName: string,
  logger = new Logger({ serviceName }),
): Observability {
  return {
    // https://docs.aws.amazon.com/powertools/typescript/latest/features/logger/#capturing-lambda-context-info
    withContext: (context) => logger.addContext(lambdaContextOf(context)),
    log: {
      info: (message, fields) => logger.info(message, fields ?? {}),
      warn: (message, fields) => logger.warn(message, fields ?? {}),
      error: (message, fields) => logger.error(message, fields ?? {}),
    },
    metrics: {
      publish(dimensions, values) {
        const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
        for (const [name, value] of Object.entries(dimensions)) metrics.addDimension(name, value);
        for (const [name, { value, unit }] of Object.entries(values)) {
          // Adding a name more than once makes EMF carry every value (CloudWatch computes percentiles).
          for (const one of typeof value === 'number' ? [value] : value) {
            metrics.addMetric(name, POWERTOOLS_UNITS[unit], one);
          }
        }
        metrics.publishStoredMetrics();
      },
    },
  };
}

/**
 * Logger.addContext takes a whole Context; a handler may be given fewer fields (the sandbox, tests).
 * What is missing is logged empty, never invented; in Lambda every field is there.
 */
function lambdaContextOf(context: InvocationContext): Context {
  return {
    callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop ?? true,
    functionName: context.functionName ?? '',
    functionVersion: context.functionVersion ?? '',
    invokedFunctionArn: context.invokedFunctionArn ?? '',
    memoryLimitInMB: context.memoryLimitInMB ?? '',
    awsRequestId: context.awsRequestId,
    logGroupName: context.logGroupName ?? '',
    logStreamName: context.logStreamName ?? '',
    getRemainingTimeInMillis: context.getRemainingTimeInMillis ?? (() => 0),
    done: context.done ?? (() => undefined),
    fail: context.fail ?? (() => undefined),
    succeed: context.succeed ?? (() => undefined),
  };
}

/** The metrics a scheduled sync run publishes (the stack's alarms and dashboard read these names). */
export function syncRunMetrics(run: {
  flagged: number;
  synced: number;
  rejected: number;
  retried: number;
  quarantined: number;
  calls: ApiCallStats;
  hubspotDailyUsedFraction: number;
}): Parameters<MetricSink['publish']>[1] {
  const count = (value: number) => ({ value, unit: 'Count' as const });
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
  return {
    [METRIC_NAMES.recordsRetried]: count(run.retried),
    [METRIC_NAMES.recordsQuarantined]: count(run.quarantined),
    [METRIC_NAMES.apiCallsHubSpot]: count(run.calls.calls.hubspot + run.calls.calls['hubspot-search']),
    [METRIC_NAMES.apiCallsTripleseat]: count(run.calls.calls.tripleseat),
    [METRIC_NAMES.apiCallsWebex]: count(run.calls.calls.webex),
    [METRIC_NAMES.rateLimitedAnswers]: count(total(run.calls.rateLimited)),
    [METRIC_NAMES.successfulRun]: { value: 1, unit: 'Count' },
    [METRIC_NAMES.recordsFlagged]: { value: run.flagged, unit: 'Count' },
    [METRIC_NAMES.recordsSynced]: { value: run.synced, unit: 'Count' },
    [METRIC_NAMES.recordsRejected]: { value: run.rejected, unit: 'Count' },
    [METRIC_NAMES.hubSpotDailyBudgetUsedPercent]: {
      value: Math.round(run.hubspotDailyUsedFraction * 1000) / 10,
      unit: 'Percent',
    },
  };
}
