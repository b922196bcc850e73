/** `venue-sync dedupe <venue>`: duplicate leads no ledger entry claims; `--apply` deletes them. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { startProgress } from '../io';
import type { CliRun } from './cli-context';
import { numberOf } from './connection';

interface DedupeOptions {
  emailsFrom?: string;
  window: number;
  apply?: boolean;
  yes?: boolean;
}

export function registerDedupe(program: Command, cli: CliRun): void {
  program
    .command('dedupe')
    .description(
      "find duplicate leads in the venue's Tripleseat (OAuth search) that no ledger entry claims; " +
        '--apply deletes them',
    )
    .argument('<venue>', 'venue id from the config')
    .option('--emails-from <file>', "emails to check, one a line (default: the venue ledger's contacts)")
    .option(
      '--window <hours>',
      'same email created within this many hours of the first = duplicate',
      numberOf('--window', 'hours', { allowZero: true }),
      24,
    )
    .option('--apply', 'delete the extra leads (asks first on a terminal; needs --yes otherwise)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (venueId: string, options: DedupeOptions, command: Command) =>
      cli.withContext(command, async (ctx) => {
        const dedupe = await import('../dedupe');
        // --apply deletes: only credentials known to be this venue's (checked before any vendor call).
        const { client, admin, boundToVenue } = await dedupe.tripleseatWithOauth(
          ctx,
          venueId,
          options.apply ? 'write' : 'read',
        );
        if (!boundToVenue) cli.io.stderr.write(`${unnamedCredentialsWarning(venueId)}\n`);
        const ledger = await dedupe.readLedgerView(ctx, venueId, admin);
        const emails = options.emailsFrom
          ? dedupe.parseEmailList(await readFile(options.emailsFrom, 'utf8'))
          : ledger.emails;
        const progress = startProgress(cli.io, 'searching leads', emails.length);
        let report = await dedupe.findVenueDuplicates(client, venueId, emails, options.window, ledger, () =>
          progress.increment(),
        );
        progress.stop();
        const extras = dedupe.extraCount(report);
        if (options.apply && extras > 0) {
          cli.io.stderr.write(`${dedupe.renderDedupe(report)}\n`);
          if (
            await cli.confirmOrStop(
              options,
              `Delete ${extras} lead(s) from Tripleseat? This cannot be undone.`,
            )
          ) {
            const deleting = startProgress(cli.io, 'deleting', extras);
            report = await dedupe.deleteExtras(client, report, {
              records: ctx.opsRecords,
              contactIdOf: async (email) =>
                ledger.contactIdsByEmail.get(email)?.[0] ??
                (await admin()
                  .findContactIdsByEmail(email)
                  .then((ids) => ids[0])
                  .catch(() => undefined)),
              deletedBy: dedupe.operatorName(),
              now: ctx.now,
              onDelete: () => deleting.increment(),
            });
            deleting.stop();
            if (report.failed.length > 0) cli.fail();
          } else cli.fail();
        }
        cli.print(command, report, dedupe.renderDedupe(report));
      }),
    );
}

/** Read-only use of credentials that name no venue: allowed, but said out loud. */
function unnamedCredentialsWarning(venueId: string): string {
  return (
    `warning: the credentials name no venue (no VENUE_ID, or a secret that names none), so nothing shows ` +
    `they are '${venueId}''s; this read-only result may be another venue's account`
  );
}
