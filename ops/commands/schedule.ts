/**
 * `venue-sync enable <venue>` and `venue-sync pause <venue>`: the venue's schedule on or off. Enable first
 * runs `doctor` for the venue and refuses when it fails (unless --force).
 */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';

export function registerSchedule(program: Command, cli: CliRun): void {
  program
    .command('enable')
    .description("start the venue's schedule; refuses unless 'venue-sync doctor <venue>' passes")
    .argument('<venue>', 'venue id from the config')
    .option('--stack-name <name>', 'the deployed stack', 'VenueSync')
    .option('--force', 'enable even though doctor fails (say why in the change log)')
    .action(async (venueId: string, options: { stackName: string; force?: boolean }, command: Command) => {
      const { renderDoctor, runDoctor } = await import('../doctor');
      const { OpsContext } = await import('../context');
      const report = await runDoctor({
        configInput: await cli.configInput(command),
        venueId,
        context: (config) => new OpsContext(config, cli.env(command), cli.contextOptions(command)),
        secretsMode: cli.globals(command).configSecrets === true,
      });
      if (!report.ok && !options.force) {
        cli.io.stderr.write(`${renderDoctor(report)}\n`);
        cli.print(
          command,
          { venueId, enabled: false, refused: 'doctor failed', doctor: report },
          `Not enabled: doctor fails for '${venueId}' (above). Fix it, or pass --force.`,
        );
        cli.fail();
        return;
      }
      if (!report.ok)
        cli.io.stderr.write(`warning: doctor fails for '${venueId}'; enabling anyway (--force)\n`);
      await change(cli, command, venueId, options.stackName, 'ENABLED');
    });

  program
    .command('pause')
    .description("stop the venue's schedule and its webhook polls (the emergency stop for one venue)")
    .argument('<venue>', 'venue id from the config')
    .option('--stack-name <name>', 'the deployed stack', 'VenueSync')
    .action(async (venueId: string, options: { stackName: string }, command: Command) =>
      change(cli, command, venueId, options.stackName, 'DISABLED'),
    );
}

async function change(
  cli: CliRun,
  command: Command,
  venueId: string,
  stackName: string,
  state: 'ENABLED' | 'DISABLED',
): Promise<void> {
  const { OpsError } = await import('../context');
  const { awsControlPlane } = await import('../aws-control');
  const { describeAwsError } = await import('../aws-errors');
  const { renderScheduleChange, setVenueScheduleState } = await import('../schedule');
  const config = await cli.config(command);
  if (!config.venues.some((venue) => venue.id === venueId)) {
    throw new OpsError(
      `unknown venue '${venueId}'; the config has: ${config.venues.map((v) => v.id).join(', ')}`,
    );
  }
  const region = cli.env(command).AWS_REGION;
  try {
    const result = await setVenueScheduleState(
      awsControlPlane(region, cli.io.aws),
      stackName,
      venueId,
      state,
    );
    cli.print(command, result, renderScheduleChange(result));
  } catch (error) {
    const aws = describeAwsError(error, region);
    throw aws ? new OpsError(`${state === 'ENABLED' ? 'enable' : 'pause'} ${venueId}: ${aws}`) : error;
  }
}
