/** `venue-sync runs <venue>`: the venue's latest poller runs (trigger, counts, duration, status, error). */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';
import { numberOf } from './connection';

export function registerRuns(program: Command, cli: CliRun): void {
  program
    .command('runs')
    .description("the venue's latest poller runs from the table: trigger, counts, duration, status, error")
    .argument('<venue>', 'venue id from the config')
    .option('--limit <count>', 'how many runs, newest first', numberOf('--limit', 'runs'), 20)
    .action(async (venueId: string, options: { limit: number }, command: Command) =>
      cli.withContext(command, async (ctx) => {
        const { listRuns, renderRuns } = await import('../runs');
        const { explainTableErrors } = await import('../aws-errors');
        const report = await explainTableErrors(ctx, () => listRuns(ctx, venueId, Math.floor(options.limit)));
        cli.print(command, report, renderRuns(report));
      }),
    );
}
