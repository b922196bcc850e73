/** `venue-sync doctor [venue]`: everything a poller needs, checked read-only, one row per check. */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';
import { addProbeOptions, runProbeIfAsked, type ProbeCommandOptions } from '../probe/command';

export function registerDoctor(program: Command, cli: CliRun): void {
  addProbeOptions(
    program
      .command('doctor')
      .description(
        'check config, secret, HubSpot token and scopes, labels, Tripleseat (incl. its webhook endpoint) and Webex access',
      )
      .argument('[venue]', 'check only this venue (and its Tripleseat credentials)'),
  ).action(async (venueId: string | undefined, options: ProbeCommandOptions, command: Command) => {
    if (await runProbeIfAsked(cli, command, venueId, options)) return;
    const { renderDoctor, runDoctor } = await import('../doctor');
    const { OpsContext } = await import('../context');
    const report = await runDoctor({
      configInput: await cli.configInput(command),
      ...(venueId ? { venueId } : {}),
      context: (config) => new OpsContext(config, cli.env(command), cli.contextOptions(command)),
      secretsMode: cli.globals(command).configSecrets === true,
    });
    cli.print(command, report, renderDoctor(report));
    if (!report.ok) cli.fail();
  });
}
