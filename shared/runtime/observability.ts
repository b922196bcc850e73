/**
 * Logs and metrics for the handlers: Powertools Logger (structured JSON) and Metrics (EMF) in AWS;
 * the sandbox and tests pass their own sinks. Metric names come from the one module the stack's
 * alarms use (shared/observability/metric-names.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
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

export interface Observability {
  log: DecisionLog;
  metrics: MetricSink;
}

export function powertoolsObservability(serviceName: string): Observability {
  const logger = new Logger({ serviceName });
  return {
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
