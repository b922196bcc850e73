/**
 * The `--probe` side of `venue-sync doctor`: its options, and the action that runs instead of the plain
 * checks when `--probe` is given. Kept out of the doctor command module so the probe's reads load only
 * when asked for (imported inside the action, like every operation).
 */
import type { Command } from 'commander';
import type { CliRun } from '../commands/cli-context';

export interface ProbeCommandOptions {
  probe?: boolean;
  webhookUrl?: string;
}

/** Adds `--probe` and `--webhook-url` to the doctor command. */
export function addProbeOptions(command: Command): Command {
  return command
    .option(
      '--probe',
      'read-only: for each vendor assumption the docs leave open, whether the configured services confirm it',
    )
    .option(
      '--webhook-url <url>',
      'with --probe: the webhook target URL to check (stack output HubSpotWebhookUrl; env WEBHOOK_URL)',
    );
}

/** Runs the probe when `--probe` was given; false when the plain doctor should run instead. */
export async function runProbeIfAsked(
  cli: CliRun,
  command: Command,
  venueId: string | undefined,
  options: ProbeCommandOptions,
): Promise<boolean> {
  if (!options.probe) return false;
  const { renderProbe, runProbe } = await import('../probe');
  const webhookUrl = options.webhookUrl ?? cli.io.env['WEBHOOK_URL'];
  await cli.withContext(command, async (ctx) => {
    const report = await runProbe(ctx, {
      ...(venueId ? { venueId } : {}),
      ...(webhookUrl ? { webhookUrl } : {}),
    });
    cli.print(command, report, renderProbe(report));
    if (!report.ok) cli.fail();
  });
  return true;
}
