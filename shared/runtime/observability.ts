/**
 * Logs and metrics for the handlers: Powertools Logger (structured JSON) and Metrics (EMF) in AWS;
 * the sandbox and tests pass their own sinks. Metric names come from the one module the stack's
 * alarms use (shared/observability/metric-names.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../observability/metric-names';
import type { DecisionLog } from '../sync/decision-log';

export interface MetricSink {
  /** Publishes one run's metrics with the given dimensions. */
  publish(
    dimensions: Record<string, string>,
    values: Record<string, { value: number; unit: 'Count' | 'Percent' }>,
  ): void;
}

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
          metrics.addMetric(name, unit === 'Percent' ? MetricUnit.Percent : MetricUnit.Count, value);
        }
        metrics.publishStoredMetrics();
      },
    },
  };
}
