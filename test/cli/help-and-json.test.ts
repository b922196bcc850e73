/**
 * The CLI's surface without any service: every command's help (with --json and the connection flags
 * bound to their variables), flags over environment, numbers checked by commander, JSON times.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../bin/cli';
import { connectionEnv, connectionOptions } from '../../ops/commands/connection';
import { CapturedText, jsonText } from '../../ops/io';

async function run(args: string[], env: Record<string, string | undefined> = {}) {
  const stdout = new CapturedText();
  const stderr = new CapturedText();
  const code = await runCli(args, {
    stdout,
    stderr,
    stderrIsTTY: false,
    interactive: false,
    confirm: async () => false,
    env,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const COMMANDS = [
  ['secrets', 'set'],
  ['doctor'],
  ['enable'],
  ['pause'],
  ['setup'],
  ['run'],
  ['runs'],
  ['status'],
  ['replay'],
  ['dedupe'],
  ['audit'],
];

describe('CLI help', () => {
  it('lists every command in the top-level help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const [name] of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^\\s+${name as string}\\b`, 'm'));
  });

  it.each(COMMANDS)('shows --json, --config and the connection flags in `%s --help`', async (...words) => {
    const help = await run([...words, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--json\s+print the result as JSON/);
    expect(help.stdout).toContain('--config <file>');
    expect(help.stdout).toMatch(/--table-name <name>[\s\S]*\(env: TABLE_NAME\)/);
  });
});

describe('connection settings', () => {
  it('takes a flag typed on the command line over the environment, and the environment otherwise', async () => {
    const program = new Command().exitOverride();
    for (const option of connectionOptions()) program.addOption(option);
    let seen: Record<string, string | undefined> = {};
    program.command('probe').action((_options: unknown, command: Command) => {
      seen = connectionEnv(command, { TABLE_NAME: 'from-env', AWS_REGION: 'eu-west-1' });
    });
    await program.parseAsync(['--table-name', 'from-flag', 'probe'], { from: 'user' });
    expect(seen.TABLE_NAME).toBe('from-flag');
    expect(seen.AWS_REGION).toBe('eu-west-1');
  });

  it('refuses a --limit that is not a positive number before connecting to anything', async () => {
    const result = await run(['runs', 'venue-a', '--limit', 'lots']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--limit must be a positive number of runs');
  });
});

describe('--json', () => {
  it('shows every epoch-ms time (keys ending in At or Until) as ISO 8601 and leaves other numbers', () => {
    const text = jsonText({ quarantinedAt: 0, leaseHeldUntil: 1_700_000_000_000, attempts: 3, at: 'x' });
    expect(JSON.parse(text)).toEqual({
      quarantinedAt: '1970-01-01T00:00:00.000Z',
      leaseHeldUntil: '2023-11-14T22:13:20.000Z',
      attempts: 3,
      at: 'x',
    });
  });

  it('prints a failure as JSON on stdout too, and the reason on stderr', async () => {
    const result = await run(['runs', 'venue-a', '--json'], { TABLE_NAME: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('this command reads the reconciliation table');
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: expect.stringContaining('set TABLE_NAME'),
    });
  });
});
