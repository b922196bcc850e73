/** `venue-sync run <venue>`: the venue's real poller handler once, here; `--dry-run` only plans. */
import type { Command } from 'commander';
import { startProgress } from '../io';
import type { CliRun } from './cli-context';
import { numberOf } from './connection';

interface RunOptions {
  dryRun?: boolean;
  timeout: number;
  verbose?: boolean;
}

export function registerRun(program: Command, cli: CliRun): void {
  program
    .command('run')
    .description("run the venue's poller once here (the real handler); --dry-run only shows the plan")
    .argument('<venue>', 'venue id from the config')
    .option('--dry-run', 'read-only plan of the next tick: leads, rejections, flags to clear')
    // A NaN or zero budget would give the handler no deadline at all: it would never stop for time.
    .option(
      '--timeout <seconds>',
      'time budget of the run, like the Lambda timeout',
      numberOf('--timeout', 'seconds'),
      240,
    )
    .option('--verbose', 'print the decision log (JSON lines) on stderr')
    .action(async (venueId: string, options: RunOptions, command: Command) =>
      cli.withContext(command, async (ctx) => {
        const { planRun, renderPlan, renderPollReport, runOnce } = await import('../run');
        if (options.dryRun) {
          let progress: ReturnType<typeof startProgress> | undefined;
          const plan = await planRun(ctx, venueId, (done, total) => {
            progress ??= startProgress(cli.io, 'reading flagged contacts', total);
            progress.update(done);
          });
          progress?.stop();
          cli.print(command, plan, renderPlan(plan));
          return;
        }
        const line =
          (level: string) =>
          (message: string, fields: Record<string, unknown> = {}) => {
            if (options.verbose) cli.io.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
          };
        const report = await runOnce(ctx, venueId, {
          observability: {
            log: { info: line('info'), warn: line('warn'), error: line('error') },
            metrics: { publish: () => {} },
          },
          timeoutMs: options.timeout * 1000,
        });
        cli.print(command, report, renderPollReport(report));
      }),
    );
}
