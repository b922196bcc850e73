/**
 * The `venue-sync` command: the program, its global options and one module per command
 * (ops/commands/). Output is human-readable by default or JSON with --json (times always ISO 8601).
 * Connection settings are the handlers' variables (docs/design.md section 3), from the environment or
 * the flags commander binds to them, so the same command works against the sandbox and, with
 * credentials, the real services.
 *
 *   npx venue-sync doctor venue-a
 *   npx venue-sync status contact ada@example.com --json
 *
 * Startup matters (every operator command pays it): this file and the command modules import only
 * commander and types at load; each action imports its operation when it runs.
 */
import '../shared/runtime/local-node';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CliRun, type CliIo } from '../ops/commands/cli-context';
import { connectionOptions } from '../ops/commands/connection';
import { registerAudit } from '../ops/commands/audit';
import { registerDedupe } from '../ops/commands/dedupe';
import { registerDoctor } from '../ops/commands/doctor';
import { registerReplay } from '../ops/commands/replay';
import { registerRun } from '../ops/commands/run';
import { registerRuns } from '../ops/commands/runs';
import { registerSchedule } from '../ops/commands/schedule';
import { registerSecrets } from '../ops/commands/secrets';
import { registerSetup } from '../ops/commands/setup';
import { registerStatus } from '../ops/commands/status';
import { describeError } from '../ops/commands/errors';
import { askOnTerminal, readHiddenOnTerminal } from '../ops/commands/terminal';
import { jsonText } from '../ops/io';

export type { CliIo } from '../ops/commands/cli-context';

/** The program with every command, writing to `cli.io`. */
export function buildProgram(cli: CliRun): Command {
  const { io } = cli;
  const program = new Command('venue-sync')
    .description('Operate venue-sync: HubSpot -> Tripleseat per venue, Webex Events -> HubSpot.')
    .option('--json', 'print the result as JSON (times ISO 8601); errors too')
    .option('--config <file>', 'a JSON config instead of bin/venues.ts')
    .option('--config-secrets', "deployed mode: read each venue's credentials from its configured secret")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    // Every subcommand's help lists --json, --config and the connection flags it accepts.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError();
  for (const option of connectionOptions()) program.addOption(option);
  // Deploy-day order first, then the daily commands.
  registerSecrets(program, cli);
  registerDoctor(program, cli);
  registerSchedule(program, cli);
  registerSetup(program, cli);
  registerRun(program, cli);
  registerRuns(program, cli);
  registerStatus(program, cli);
  registerReplay(program, cli);
  registerDedupe(program, cli);
  registerAudit(program, cli);
  // Subcommands inherited the output settings, help settings and exit override when created.
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = new CliRun(io);
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = await describeError(error);
    io.stderr.write(`error: ${message}\n`);
    // --json always prints JSON: a script reading stdout gets the failure as data, not nothing.
    if (argv.includes('--json')) io.stdout.write(`${jsonText({ ok: false, error: message })}\n`);
    return 1;
  }
}

/** The process entry point (bin/venue-sync-cli.mjs, the bundle, and `npx tsx bin/cli.ts`). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  return runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    interactive: process.stdin.isTTY === true,
    confirm: askOnTerminal,
    readHidden: readHiddenOnTerminal,
    env: process.env,
  });
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // Exit explicitly: SDK keep-alive sockets must not keep a finished command waiting.
  process.exit(await main());
}
