/**
 * `venue-sync replay <venue>`: re-drives the venue's quarantined requests through the engine's rules;
 * with `--deliveries`, applies the Tripleseat deliveries its receiver kept unread.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { startProgress } from '../io';
import type { CliRun } from './cli-context';

export function registerReplay(program: Command, cli: CliRun): void {
  program
    .command('replay')
    .description("re-drive the venue's quarantined requests through the engine's rules")
    .argument('<venue>', 'venue id from the config')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(
      '--deliveries',
      "apply the signed Tripleseat deliveries the venue's receiver kept because it could not read them " +
        '(after a fix of the reader is deployed), instead of the quarantined requests',
    )
    .option(
      '--checked-tripleseat [contactIds]',
      'you checked Tripleseat and found no lead for the requests marked "a lead may already exist": send ' +
        'them (all of them, or only the comma-separated contact ids given)',
    )
    .action(
      async (
        venueId: string,
        options: { yes?: boolean; checkedTripleseat?: boolean | string; deliveries?: boolean },
        command: Command,
      ) =>
        cli.withContext(command, async (ctx) => {
          if (options.deliveries) {
            const { listKeptDeliveries, renderDeliveryReplay, replayDeliveries } =
              await import('../replay-deliveries');
            const kept = await listKeptDeliveries(ctx, venueId);
            if (kept.length > 0) {
              cli.io.stderr.write(
                `${kept.length} kept Tripleseat deliveries of venue '${venueId}', first kept because: ` +
                  `${kept[0]?.reason}: ${kept[0]?.detail}\n`,
              );
              if (!(await cli.confirmOrStop(options, `Apply ${kept.length} kept deliveries now?`))) {
                cli.fail();
                return;
              }
            }
            const progress = startProgress(cli.io, 'applying', kept.length);
            const report = await replayDeliveries(ctx, venueId, {
              kept,
              onRecord: () => progress.increment(),
            });
            progress.stop();
            cli.print(command, report, renderDeliveryReplay(report));
            return;
          }
          const { listQuarantined, renderCandidates, renderReplay, replayVenue } = await import('../replay');
          // Refuses another venue's (or unnamed) credentials before anything else happens.
          const { credentials } = await ctx.credentials(ctx.venue(venueId), 'write');
          const hasOauth = Boolean(
            credentials.tripleseatOauthToken ||
            (credentials.tripleseatClientId && credentials.tripleseatClientSecret),
          );
          const candidates = await listQuarantined(ctx, venueId);
          if (candidates.length === 0) {
            cli.print(
              command,
              { venueId, hasOauth, items: [] },
              `Nothing quarantined for venue '${venueId}'.`,
            );
            return;
          }
          cli.io.stderr.write(`${renderCandidates(venueId, candidates, hasOauth)}\n`);
          if (!(await cli.confirmOrStop(options, `Replay ${candidates.length} request(s) now?`))) {
            cli.fail();
            return;
          }
          const progress = startProgress(cli.io, 'replaying', candidates.length);
          const report = await replayVenue(ctx, venueId, {
            runId: `cli-replay-${randomUUID()}`,
            checkedTripleseat:
              typeof options.checkedTripleseat === 'string'
                ? options.checkedTripleseat.split(',').map((id) => id.trim())
                : options.checkedTripleseat === true,
            onRecord: () => progress.increment(),
          });
          progress.stop();
          cli.print(command, report, renderReplay(report));
        }),
    );
}
