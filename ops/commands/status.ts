/** `venue-sync status [venue]` and `venue-sync status contact <id|email>`: what the table says. */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';

export function registerStatus(program: Command, cli: CliRun): void {
  program
    .command('status')
    .description(
      "what the reconciliation table says: per venue (incl. lead outcomes), or 'status contact <id|email>'",
    )
    .argument('[venue|contact]', "a venue id, or the word 'contact'")
    .argument('[id-or-email]', "with 'contact': a HubSpot contact id or an email")
    .addHelpText(
      'after',
      '\nExamples:\n  venue-sync status\n  venue-sync status venue-a\n  venue-sync status contact 1234\n  venue-sync status contact ada@example.com',
    )
    .action(
      async (target: string | undefined, query: string | undefined, _options: unknown, command: Command) =>
        cli.withContext(command, async (ctx) => {
          const { OpsError } = await import('../context');
          const { contactStatus, renderContactStatus, renderStatus, venueStatus } = await import('../status');
          const { explainTableErrors } = await import('../aws-errors');
          await explainTableErrors(ctx, async () => {
            if (target === 'contact') {
              if (!query) throw new OpsError('usage: venue-sync status contact <id|email>');
              const result = await contactStatus(ctx, query);
              cli.print(command, result, renderContactStatus(result));
              return;
            }
            const report = await venueStatus(ctx, target);
            cli.print(command, report, renderStatus(report));
          });
        }),
    );
}
