/**
 * `npm start`: the whole product on one machine (docs/design.md section 9). Argument parsing only; the
 * live run is sandbox/live.ts, the one-cycle run sandbox/once.ts.
 */
import '../shared/runtime/local-node';
import { Command, InvalidArgumentError } from 'commander';
import { runLive } from './live';
import { runOnce } from './once';
import { formatOnceSummary } from './summary';
import { ODD_MODE } from './world';

const DEFAULT_TIME_SCALE = 60;
const DEFAULT_CHAOS_SEED = 7;

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a positive number');
  return value;
}

function seedNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError('must be a whole number >= 0');
  return value;
}

const program = new Command()
  .name('npm start --')
  .description(
    'Runs venue-sync locally: dynalite, the HubSpot/Tripleseat/Webex simulators on loopback, three demo ' +
      'venues, and the real Lambda handlers on an accelerated schedule (pollers every 5 simulated minutes, ' +
      'the Webex sync every 15), with a live view. Ctrl-C stops.',
  )
  .option('--once', 'run one full cycle, print a summary, verify invariants, exit (non-zero on failure)')
  .option('--json', 'with --once: print the summary as JSON')
  .option(
    '--chaos',
    'inject vendor trouble at seeded random moments (429 storms, outages, slow and lost answers) to rehearse ' +
      'quarantine, alarms and replay; with --once, settles, replays and checks the end state',
  )
  .option('--seed <n>', 'seed of the chaos plan (same seed, same plan)', seedNumber, DEFAULT_CHAOS_SEED)
  .option('--odd', `play every unconfirmed vendor assumption the other way: ${ODD_MODE.join('; ')}`)
  .option(
    '--time-scale <n>',
    'simulated seconds per real second (60: a 5-minute tick every 5 s)',
    positiveNumber,
    DEFAULT_TIME_SCALE,
  )
  .showHelpAfterError();

program.parse();
const options = program.opts<{
  once?: boolean;
  json?: boolean;
  chaos?: boolean;
  odd?: boolean;
  seed: number;
  timeScale: number;
}>();
const chaos = options.chaos ? { seed: options.seed } : undefined;
const odd = options.odd === true;

async function main(): Promise<number> {
  if (!options.once) {
    if (options.json) program.error('--json needs --once');
    return runLive({ timeScale: options.timeScale, odd, out: process.stdout, ...(chaos ? { chaos } : {}) });
  }
  const summary = await runOnce({ timeScale: options.timeScale, odd, ...(chaos ? { chaos } : {}) });
  process.stdout.write(
    options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatOnceSummary(summary)}\n`,
  );
  if (!summary.ok) process.stderr.write(`sandbox: failed checks: ${summary.failedChecks.join(', ')}\n`);
  return summary.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `sandbox: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
