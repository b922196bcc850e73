/**
 * The `venue-sync` command: wires commander to the operations in ops/ and prints their results,
 * human-readable by default or as JSON with --json. Connection settings are the handlers' variables
 * (DESIGN.md section 3), taken from the environment or the flags below, so the same command works against
 * the sandbox and, with credentials, the real services.
 *
 *   npx venue-sync doctor venue-a
 *   npx venue-sync status contact ada@example.com --json
 */
import '../shared/runtime/local-node';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, validateAppConfig, type AppConfig } from '../shared/config/app-config';
import { runAudit, defaultAuditClients, renderAudit, type AuditClients } from '../ops/audit';
import { OpsContext, OpsError, type OpsContextOptions } from '../ops/context';
import {
  deleteExtras,
  extraCount,
  findVenueDuplicates,
  operatorName,
  parseEmailList,
  readLedgerView,
  renderDedupe,
  tripleseatWithOauth,
} from '../ops/dedupe';
import { renderDoctor, runDoctor } from '../ops/doctor';
import { startProgress, type CommandIo } from '../ops/io';
import { listQuarantined, renderCandidates, renderReplay, replayVenue } from '../ops/replay';
import { planRun, renderPlan, renderPollReport, runOnce } from '../ops/run';
import { renderSetup, setupVenue } from '../ops/setup';
import { contactStatus, renderContactStatus, renderStatus, venueStatus } from '../ops/status';
import { ApiError } from '../shared/rate-limit/errors';
import { CredentialsError } from '../shared/runtime/credentials';
import { LabelResolutionError } from '../shared/schema';
import { appConfig as defaultConfig } from './venues';

export interface CliIo extends CommandIo {
  /** The environment the connection settings are read from (flags win). */
  env: Record<string, string | undefined>;
  /** Test seams: AWS clients for audit, Secrets Manager, the clock. */
  audit?: AuditClients;
  context?: Pick<OpsContextOptions, 'secrets' | 'now'>;
}

/** Flag -> the handler variable it sets. */
const CONNECTION_FLAGS: Array<[flag: string, variable: string, description: string]> = [
  ['--hubspot-token <token>', 'HUBSPOT_TOKEN', 'HubSpot private app token'],
  ['--hubspot-base-url <url>', 'HUBSPOT_BASE_URL', 'HubSpot API base (default https://api.hubapi.com)'],
  ['--tripleseat-public-key <key>', 'TRIPLESEAT_PUBLIC_KEY', "the venue's lead form public key"],
  ['--tripleseat-oauth-token <token>', 'TRIPLESEAT_OAUTH_TOKEN', "the venue's Tripleseat OAuth 2.0 token"],
  [
    '--tripleseat-base-uri <url>',
    'TRIPLESEAT_BASE_URI',
    'Tripleseat API base (default https://api.tripleseat.com)',
  ],
  ['--webex-token <token>', 'WEBEX_TOKEN', 'Webex Events API token'],
  ['--webex-api-url <url>', 'WEBEX_API_URL', 'Webex Events GraphQL endpoint'],
  ['--table-name <name>', 'TABLE_NAME', 'the reconciliation table (stack output TableName)'],
  ['--dynamodb-endpoint <url>', 'AWS_ENDPOINT_URL_DYNAMODB', 'a local DynamoDB (sandbox)'],
  ['--region <region>', 'AWS_REGION', 'AWS region'],
  ['--secret-arn <arn>', 'SECRET_ARN', 'read credentials from this Secrets Manager secret (JSON)'],
  [
    '--venue-id <id>',
    'VENUE_ID',
    'the venue the given credentials belong to (set by .sandbox/<venue>.env); commands for another venue refuse',
  ],
];

interface GlobalOptions {
  json?: boolean;
  config?: string;
  configSecrets?: boolean;
  [flag: string]: unknown;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const print = (options: GlobalOptions, result: unknown, human: string) => {
    io.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${human}\n`);
  };
  const connectionEnv = (options: GlobalOptions): Record<string, string | undefined> => {
    const env = { ...io.env };
    for (const [flag, variable] of CONNECTION_FLAGS) {
      const key = camel(flag.split(' ')[0] as string);
      if (typeof options[key] === 'string') env[variable] = options[key] as string;
    }
    return env;
  };
  const loadConfigInput = async (options: GlobalOptions): Promise<unknown> =>
    options.config ? JSON.parse(await readFile(options.config, 'utf8')) : defaultConfig;
  const contextFor = (options: GlobalOptions, config: AppConfig) =>
    new OpsContext(config, connectionEnv(options), {
      ...io.context,
      useConfigSecrets: options.configSecrets === true,
    });
  /** Runs an action with a context that is always closed (limiters stopped, budget flushed). */
  const withContext = async (
    command: Command,
    act: (ctx: OpsContext, options: GlobalOptions) => Promise<void>,
  ) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    const ctx = contextFor(options, validateAppConfig(await loadConfigInput(options)));
    try {
      await act(ctx, options);
    } finally {
      await ctx.close();
    }
  };
  const confirmOrStop = async (options: { yes?: boolean }, question: string): Promise<boolean> => {
    if (options.yes) return true;
    if (!io.interactive) {
      io.stderr.write(`${question} No terminal to ask on: pass --yes to confirm. Nothing changed.\n`);
      return false;
    }
    const answer = await io.confirm(question);
    if (!answer) io.stderr.write('Nothing changed.\n');
    return answer;
  };

  const program = new Command('venue-sync')
    .description('Operate venue-sync: HubSpot -> Tripleseat per venue, Webex Events -> HubSpot.')
    .option('--json', 'print the result as JSON')
    .option('--config <file>', 'a JSON config instead of bin/venues.ts')
    .option('--config-secrets', "deployed mode: read each venue's credentials from its configured secret")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError();
  for (const [flag, variable, description] of CONNECTION_FLAGS) {
    program.addOption(new Option(flag, `${description} (env ${variable})`));
  }

  program
    .command('setup')
    .description("create the HubSpot property group 'venue-sync' and the venue's properties (idempotent)")
    .argument('<venue>', 'venue id from the config')
    .option('--dry-run', 'show what would be created, create nothing')
    .action(async (venueId: string, options: { dryRun?: boolean }, command: Command) =>
      withContext(command, async (ctx, globals) => {
        // Creating properties writes to HubSpot: only with credentials known to be this venue's.
        const found = await ctx.credentials(ctx.venue(venueId), options.dryRun ? 'read' : 'write');
        const result = await setupVenue(
          ctx.venue(venueId),
          ctx.hubspotAdmin(OpsContext.hubspotToken(found)),
          {
            dryRun: options.dryRun === true,
          },
        );
        print(globals, result, renderSetup(result));
        if (!result.ok) exitCode = 1;
      }),
    );

  program
    .command('doctor')
    .description('check config, secret, HubSpot token and scopes, labels, Tripleseat and Webex access')
    .argument('[venue]', 'check only this venue (and its Tripleseat credentials)')
    .action(async (venueId: string | undefined, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const report = await runDoctor({
        configInput: await loadConfigInput(globals),
        ...(venueId ? { venueId } : {}),
        context: (config) => contextFor(globals, config),
        secretsMode: globals.configSecrets === true,
      });
      print(globals, report, renderDoctor(report));
      if (!report.ok) exitCode = 1;
    });

  program
    .command('run')
    .description("run the venue's poller once here (the real handler); --dry-run only shows the plan")
    .argument('<venue>', 'venue id from the config')
    .option('--dry-run', 'read-only plan of the next tick: leads, rejections, flags to clear')
    .option('--timeout <seconds>', 'time budget of the run, like the Lambda timeout', '240')
    .option('--verbose', 'print the decision log (JSON lines) on stderr')
    .action(
      async (
        venueId: string,
        options: { dryRun?: boolean; timeout: string; verbose?: boolean },
        command: Command,
      ) =>
        withContext(command, async (ctx, globals) => {
          if (options.dryRun) {
            let progress: ReturnType<typeof startProgress> | undefined;
            const plan = await planRun(ctx, venueId, (done, total) => {
              progress ??= startProgress(io, 'reading flagged contacts', total);
              progress.update(done);
            });
            progress?.stop();
            print(globals, plan, renderPlan(plan));
            return;
          }
          const line =
            (level: string) =>
            (message: string, fields: Record<string, unknown> = {}) => {
              if (options.verbose) io.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`);
            };
          const timeoutSeconds = Number(options.timeout);
          // NaN would give the handler no deadline at all: it would never stop for time.
          if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
            throw new OpsError('--timeout must be a positive number of seconds');
          const report = await runOnce(ctx, venueId, {
            observability: {
              log: { info: line('info'), warn: line('warn'), error: line('error') },
              metrics: { publish: () => {} },
            },
            timeoutMs: timeoutSeconds * 1000,
          });
          print(globals, report, renderPollReport(report));
        }),
    );

  program
    .command('status')
    .description("what the reconciliation table says: per venue, or 'status contact <id|email>'")
    .argument('[venue|contact]', "a venue id, or the word 'contact'")
    .argument('[id-or-email]', "with 'contact': a HubSpot contact id or an email")
    .addHelpText(
      'after',
      '\nExamples:\n  venue-sync status\n  venue-sync status venue-a\n  venue-sync status contact 1234\n  venue-sync status contact ada@example.com',
    )
    .action(
      async (target: string | undefined, query: string | undefined, _options: unknown, command: Command) =>
        withContext(command, async (ctx, globals) => {
          if (target === 'contact') {
            if (!query) throw new OpsError('usage: venue-sync status contact <id|email>');
            const result = await contactStatus(ctx, query);
            print(globals, result, renderContactStatus(result));
            return;
          }
          const report = await venueStatus(ctx, target);
          print(globals, report, renderStatus(report));
        }),
    );

  program
    .command('replay')
    .description("re-drive the venue's quarantined requests through the engine's rules")
    .argument('<venue>', 'venue id from the config')
    .option('-y, --yes', 'do not ask for confirmation')
    .option(
      '--checked-tripleseat',
      'you checked Tripleseat and found no lead for the requests marked "a lead may already exist": send them',
    )
    .action(
      async (venueId: string, options: { yes?: boolean; checkedTripleseat?: boolean }, command: Command) =>
        withContext(command, async (ctx, globals) => {
          // Refuses another venue's (or unnamed) credentials before anything else happens.
          const hasOauth = Boolean(
            (await ctx.credentials(ctx.venue(venueId), 'write')).credentials.tripleseatOauthToken,
          );
          const candidates = await listQuarantined(ctx, venueId);
          if (candidates.length === 0) {
            print(globals, { venueId, hasOauth, items: [] }, `Nothing quarantined for venue '${venueId}'.`);
            return;
          }
          io.stderr.write(`${renderCandidates(venueId, candidates, hasOauth)}\n`);
          if (!(await confirmOrStop(options, `Replay ${candidates.length} request(s) now?`))) {
            exitCode = 1;
            return;
          }
          const progress = startProgress(io, 'replaying', candidates.length);
          const report = await replayVenue(ctx, venueId, {
            runId: `cli-replay-${randomUUID()}`,
            checkedTripleseat: options.checkedTripleseat === true,
            onRecord: () => progress.increment(),
          });
          progress.stop();
          print(globals, report, renderReplay(report));
        }),
    );

  program
    .command('dedupe')
    .description(
      "find duplicate leads in the venue's Tripleseat (OAuth search) that no ledger entry claims; " +
        '--apply deletes them',
    )
    .argument('<venue>', 'venue id from the config')
    .option('--emails-from <file>', "emails to check, one a line (default: the venue ledger's contacts)")
    .option('--window <hours>', 'same email created within this many hours of the first = duplicate', '24')
    .option('--apply', 'delete the extra leads (asks first on a terminal; needs --yes otherwise)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      async (
        venueId: string,
        options: { emailsFrom?: string; window: string; apply?: boolean; yes?: boolean },
        command: Command,
      ) =>
        withContext(command, async (ctx, globals) => {
          const windowHours = Number(options.window);
          if (!Number.isFinite(windowHours) || windowHours < 0)
            throw new OpsError('--window must be a number of hours');
          // --apply deletes: only credentials known to be this venue's (checked before any vendor call).
          const { client, admin, boundToVenue } = await tripleseatWithOauth(
            ctx,
            venueId,
            options.apply ? 'write' : 'read',
          );
          if (!boundToVenue)
            io.stderr.write(`${unnamedCredentialsWarning(venueId)}
`);
          const ledger = await readLedgerView(ctx, venueId, admin);
          const emails = options.emailsFrom
            ? parseEmailList(await readFile(options.emailsFrom, 'utf8'))
            : ledger.emails;
          const progress = startProgress(io, 'searching leads', emails.length);
          let report = await findVenueDuplicates(client, venueId, emails, windowHours, ledger, () =>
            progress.increment(),
          );
          progress.stop();
          const extras = extraCount(report);
          if (options.apply && extras > 0) {
            io.stderr.write(`${renderDedupe(report)}\n`);
            if (
              await confirmOrStop(options, `Delete ${extras} lead(s) from Tripleseat? This cannot be undone.`)
            ) {
              const deleting = startProgress(io, 'deleting', extras);
              report = await deleteExtras(client, report, {
                records: ctx.opsRecords,
                contactIdOf: async (email) =>
                  ledger.contactIdsByEmail.get(email)?.[0] ??
                  (await admin()
                    .findContactIdsByEmail(email)
                    .then((ids) => ids[0])
                    .catch(() => undefined)),
                deletedBy: operatorName(),
                now: ctx.now,
                onDelete: () => deleting.increment(),
              });
              deleting.stop();
              if (report.failed.length > 0) exitCode = 1;
            } else exitCode = 1;
          }
          print(globals, report, renderDedupe(report));
        }),
    );

  program
    .command('audit')
    .description('compare deployed AWS resources (tagged app=venue-sync or named like it) with the stack')
    .option('--stack-name <name>', 'the stack name (physical-name prefix)', 'VenueSync')
    .option('--include <pattern...>', 'extra name patterns that count as ours, e.g. "acme-prod-"')
    .action(async (options: { stackName: string; include?: string[] }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = validateAppConfig(await loadConfigInput(globals));
      const clients = io.audit ?? defaultAuditClients(connectionEnv(globals).AWS_REGION);
      const report = await runAudit(config, clients, {
        stackName: options.stackName,
        include: options.include ?? [],
        onStep: (step) => io.stderrIsTTY && io.stderr.write(`listing ${step}...\r`),
      });
      print(globals, report, renderAudit(report));
      if (!report.ok) exitCode = 1;
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`error: ${describe(error)}\n`);
    return 1;
  }
}

function describe(error: unknown): string {
  if (
    error instanceof OpsError ||
    error instanceof ConfigError ||
    error instanceof ApiError ||
    error instanceof CredentialsError ||
    error instanceof LabelResolutionError
  ) {
    return error.message;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Read-only use of credentials that name no venue: allowed, but said out loud. */
function unnamedCredentialsWarning(venueId: string): string {
  return (
    `warning: the credentials name no venue (no VENUE_ID, or a secret that names none), so nothing shows ` +
    `they are '${venueId}''s; this read-only result may be another venue's account`
  );
}

function camel(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** A yes/no question on the terminal; without one, the answer is no (use --yes in scripts). */
async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stderr.write(`${question} (not a terminal: pass --yes to confirm)\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** The process entry point (bin/venue-sync-cli.mjs and `npx tsx bin/cli.ts`). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  return runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    interactive: process.stdin.isTTY === true,
    confirm: askOnTerminal,
    env: process.env,
  });
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // Exit explicitly: SDK keep-alive sockets must not keep a finished command waiting.
  process.exit(await main());
}
