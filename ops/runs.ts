/**
 * `venue-sync runs <venue>`: the venue's latest poller runs from the table (shared/reconciliation/
 * run-history.ts): when, why (schedule, webhook, cli), how long, what it did, how it ended.
 */
import { RunHistory, type RunRecord } from '../shared/reconciliation/run-history';
import type { OpsContext } from './context';
import { renderTable } from './io';

export interface RunsReport {
  venueId: string;
  runs: Array<Omit<RunRecord, 'pk' | 'sk' | 'kind' | 'expiresAt'>>;
  /** Run items that did not parse (written by another version); counted, never guessed at. */
  unreadable: number;
}

export async function listRuns(ctx: OpsContext, venueId: string, limit: number): Promise<RunsReport> {
  ctx.venue(venueId);
  const { client, tableName } = ctx.dynamo;
  const { runs, unreadable } = await new RunHistory(client, tableName).list(venueId, limit);
  return {
    venueId,
    runs: runs.map(({ pk: _pk, sk: _sk, kind: _kind, expiresAt: _ttl, ...run }) => run),
    unreadable,
  };
}

export function renderRuns(report: RunsReport): string {
  if (report.runs.length === 0) {
    return (
      `No runs recorded for venue '${report.venueId}' in the last 30 days. A paused venue does not run ` +
      `(venue-sync enable ${report.venueId}); the "no successful run" alarm watches a running one.`
    );
  }
  const lines = [
    renderTable(
      [
        'STARTED',
        'TRIGGER',
        'STATUS',
        'DURATION',
        'FLAGGED',
        'CREATED',
        'REJECTED',
        'RETRIED',
        'QUARANT.',
        'ERROR',
      ],
      report.runs.map((run) => [
        run.startedAt,
        run.trigger,
        run.status,
        `${(run.durationMs / 1000).toFixed(1)} s`,
        String(run.counts.flagged),
        String(run.counts.created),
        String(run.counts.rejected),
        String(run.counts.retried),
        String(run.counts.quarantined),
        run.error ?? '',
      ]),
    ),
  ];
  if (report.unreadable > 0) lines.push(`(${report.unreadable} run item(s) could not be read)`);
  return lines.join('\n');
}
