/** `venue-sync secrets set <venue>`: fills the venue's secret from values typed without echo. */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';

export function registerSecrets(program: Command, cli: CliRun): void {
  const secrets = program.command('secrets').description("manage a venue's credentials in Secrets Manager");
  secrets
    .command('set')
    .description(
      "fill the venue's secret (config secretName): asks each key without echo; Enter keeps the current value",
    )
    .argument('<venue>', 'venue id from the config')
    .option('--secret-id <name-or-arn>', "another secret than the venue's configured secretName")
    .action(async (venueId: string, options: { secretId?: string }, command: Command) => {
      const { OpsError } = await import('../context');
      const ops = await import('../secrets');
      const { awsControlPlane } = await import('../aws-control');
      const { describeAwsError } = await import('../aws-errors');
      const config = await cli.config(command);
      const venue = config.venues.find((candidate) => candidate.id === venueId);
      if (!venue) {
        throw new OpsError(
          `unknown venue '${venueId}'; the config has: ${config.venues.map((v) => v.id).join(', ')}`,
        );
      }
      const readHidden = cli.io.readHidden;
      if (!cli.io.interactive || !readHidden) {
        throw new OpsError('secrets set reads the values on a terminal without echo: run it in one');
      }
      const secretId = options.secretId ?? venue.secretName;
      const region = cli.env(command).AWS_REGION;
      const client = awsControlPlane(region, cli.io.aws).secrets;
      try {
        const current = await ops.readCurrentSecret(client, secretId);
        cli.io.stderr.write(`Secret ${secretId} of venue '${venueId}'. Enter keeps the current value.\n`);
        const entered: Partial<Record<(typeof ops.VENUE_SECRET_FIELDS)[number]['key'], string>> = {};
        for (const field of ops.VENUE_SECRET_FIELDS) {
          const has = typeof current[field.key] === 'string' && String(current[field.key]).trim() !== '';
          const state = has ? 'set' : field.required ? 'EMPTY, required' : 'empty, optional';
          entered[field.key] = await readHidden(`${field.key} (${field.what}; ${state}): `);
        }
        const { payload, keys } = ops.mergeSecret(venueId, current, entered);
        const versionId = await ops.writeSecret(client, secretId, payload);
        const update = { venueId, secretId, keys, ...(versionId ? { versionId } : {}) };
        cli.print(command, update, ops.renderSecretUpdate(update));
      } catch (error) {
        const aws = describeAwsError(error, region);
        throw aws ? new OpsError(`secret ${secretId}: ${aws}`) : error;
      }
    });
}
