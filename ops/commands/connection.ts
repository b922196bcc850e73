/**
 * The connection settings every command shares: the handlers' own variables (HUBSPOT_TOKEN, TABLE_NAME,
 * ...), each declared once as a commander option bound to its variable with `Option.env()`, so `--help`
 * shows "(env: TABLE_NAME)" and commander itself reads the process environment.
 *
 * Commands read the settings through `connectionEnv()`, which takes a flag given on the command line
 * over the injected environment. The injected environment is `process.env` in the real process (the same
 * values commander saw) and a test's own variables in tests, which must not leak from the machine.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

export function connectionOptions(): Option[] {
  return [
    new Option('--hubspot-token <token>', 'HubSpot private app token').env('HUBSPOT_TOKEN'),
    new Option('--hubspot-base-url <url>', 'HubSpot API base (default https://api.hubapi.com)').env(
      'HUBSPOT_BASE_URL',
    ),
    new Option('--tripleseat-public-key <key>', "the venue's lead form public key").env(
      'TRIPLESEAT_PUBLIC_KEY',
    ),
    new Option('--tripleseat-oauth-token <token>', "the venue's Tripleseat OAuth 2.0 token").env(
      'TRIPLESEAT_OAUTH_TOKEN',
    ),
    new Option('--tripleseat-base-uri <url>', 'Tripleseat API base (default https://api.tripleseat.com)').env(
      'TRIPLESEAT_BASE_URI',
    ),
    new Option('--webex-token <token>', 'Webex Events API token').env('WEBEX_TOKEN'),
    new Option('--webex-api-url <url>', 'Webex Events GraphQL endpoint').env('WEBEX_API_URL'),
    new Option('--table-name <name>', 'the reconciliation table (stack output TableName)').env('TABLE_NAME'),
    new Option('--dynamodb-endpoint <url>', 'a local DynamoDB (sandbox)').env('AWS_ENDPOINT_URL_DYNAMODB'),
    new Option('--region <region>', 'AWS region').env('AWS_REGION'),
    new Option('--secret-arn <arn>', 'read credentials from this Secrets Manager secret (JSON)').env(
      'SECRET_ARN',
    ),
    new Option(
      '--venue-id <id>',
      'the venue the given credentials belong to (set by .sandbox/<venue>.env); commands for another venue refuse',
    ).env('VENUE_ID'),
  ];
}

/**
 * The environment a command connects with: the injected environment, overridden by every connection
 * flag typed on the command line. Which flag sets which variable is the options' own `envVar`.
 */
export function connectionEnv(
  command: Command,
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const merged = { ...env };
  let owner: Command | null = command;
  while (owner) {
    for (const option of owner.options) {
      const key = option.attributeName();
      if (option.envVar && owner.getOptionValueSource(key) === 'cli') {
        const value: unknown = owner.getOptionValue(key);
        if (typeof value === 'string') merged[option.envVar] = value;
      }
    }
    owner = owner.parent;
  }
  return merged;
}

/** An `argParser` for `flag`, a number of `unit` that must be positive (or non-negative with `allowZero`). */
export function numberOf(flag: string, unit: string, options: { allowZero?: boolean } = {}) {
  return (value: string): number => {
    const parsed = Number(value);
    const ok =
      value.trim() !== '' && Number.isFinite(parsed) && (options.allowZero ? parsed >= 0 : parsed > 0);
    if (!ok) {
      throw new InvalidArgumentError(
        `${flag} must be a ${options.allowZero ? 'non-negative' : 'positive'} number of ${unit}`,
      );
    }
    return parsed;
  };
}
