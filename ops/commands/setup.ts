/** `venue-sync setup <venue>`: the venue's HubSpot property group and properties (idempotent). */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';

export function registerSetup(program: Command, cli: CliRun): void {
  program
    .command('setup')
    .description("create the HubSpot property group 'venue-sync' and the venue's properties (idempotent)")
    .argument('<venue>', 'venue id from the config')
    .option('--dry-run', 'show what would be created, create nothing')
    .action(async (venueId: string, options: { dryRun?: boolean }, command: Command) =>
      cli.withContext(command, async (ctx) => {
        const { OpsContext } = await import('../context');
        const { renderSetup, setupVenue } = await import('../setup');
        // Creating properties writes to HubSpot: only with credentials known to be this venue's.
        const found = await ctx.credentials(ctx.venue(venueId), options.dryRun ? 'read' : 'write');
        const result = await setupVenue(
          ctx.venue(venueId),
          ctx.hubspotAdmin(OpsContext.hubspotToken(found)),
          {
            dryRun: options.dryRun === true,
          },
        );
        cli.print(command, result, renderSetup(result));
        if (!result.ok) cli.fail();
      }),
    );
}
