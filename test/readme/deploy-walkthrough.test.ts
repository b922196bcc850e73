/**
 * Deploy day from the README alone: walks the commands of the README's "Deploy" section (and the runbook's
 * walkthrough) in order. Nothing here reaches AWS: each `venue-sync` command named must exist, its
 * `--help` must work, and every flag the docs put on it must be one the command accepts; each `cdk`
 * command must be one the installed CDK CLI has, for the app cdk.json names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../bin/cli';
import { CapturedText } from '../../ops/io';

const readme = readFileSync('README.md', 'utf8');
const runbook = readFileSync('docs/runbook.md', 'utf8');

/** The text of a `## ` (or `### `) section up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const level = heading.match(/^#+/)?.[0].length ?? 2;
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const rest = markdown.slice(start + heading.length + 1);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

/** Commands in ```sh blocks, comments removed. */
function shellCommands(text: string): string[] {
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** `npx venue-sync ...` commands written inline (`...`) in prose. */
function inlineVenueSyncCommands(text: string): string[] {
  return [...text.matchAll(/`(npx venue-sync [^`]+)`/g)].map((match) => match[1] ?? '');
}

const CDK_COMMANDS = ['bootstrap', 'diff', 'deploy'];

async function help(words: string[]) {
  const stdout = new CapturedText();
  const stderr = new CapturedText();
  const code = await runCli([...words, '--help'], {
    stdout,
    stderr,
    stderrIsTTY: false,
    interactive: false,
    confirm: async () => false,
    env: {},
  });
  return { code, text: stdout.text + stderr.text };
}

/** The command words of a `venue-sync` line: the words that are not flags, flag values or arguments. */
function commandWords(args: string[]): { words: string[]; flags: string[] } {
  const flags = args.filter((arg) => arg.startsWith('--'));
  const positional = args.filter((arg, index) => {
    if (arg.startsWith('-')) return false;
    const previous = args[index - 1];
    // A flag's value (`--table-name <TableName>`): the docs write values as placeholders or after flags
    // that take one.
    return !(previous?.startsWith('--') && VALUE_FLAGS.has(previous));
  });
  const words = positional[0] === 'secrets' ? positional.slice(0, 2) : positional.slice(0, 1);
  return { words, flags };
}
const VALUE_FLAGS = new Set([
  '--table-name',
  '--stack-name',
  '--region',
  '--secret-arn',
  '--config',
  '--limit',
]);

describe("README 'Deploy'", () => {
  const deploy = section(readme, '## Deploy');
  const commands = shellCommands(deploy);

  it('goes profile and region, bootstrap, diff, deploy, secrets set, doctor, enable, in that order', () => {
    const order = [
      /^export AWS_PROFILE=\S+ AWS_REGION=\S+/,
      /^npx cdk bootstrap$/,
      /^npx cdk diff$/,
      /^npx cdk deploy$/,
      /^npx venue-sync secrets set \S+$/,
      /venue-sync .*\bdoctor \S+$/,
      /venue-sync .*\benable \S+$/,
    ];
    const positions = order.map((pattern) => commands.findIndex((command) => pattern.test(command)));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(deploy).toMatch(/Prerequisites/);
  });

  it('names only CDK commands the installed CDK CLI has, for the app cdk.json names', () => {
    const cdk = commands.filter((command) => command.startsWith('npx cdk '));
    expect(cdk.length).toBeGreaterThan(0);
    for (const command of cdk) expect(CDK_COMMANDS).toContain(command.split(' ')[2]);
    expect(existsSync('node_modules/.bin/cdk')).toBe(true);
    expect(JSON.parse(readFileSync('cdk.json', 'utf8')).app).toContain('bin/venue-sync.ts');
  });

  const venueSync = [
    ...commands.filter((command) => command.startsWith('npx venue-sync ')),
    ...inlineVenueSyncCommands(deploy),
    ...inlineVenueSyncCommands(section(runbook, '### Deploy walkthrough')),
  ];
  const unique = [...new Set(venueSync)];

  it('names the deploy-day commands at all', () => {
    expect(unique.length).toBeGreaterThanOrEqual(5);
  });

  it.each(unique)('`%s`: the command exists, its --help works and lists every flag used', async (line) => {
    const args = line.split(/\s+/).slice(2);
    const { words, flags } = commandWords(args);
    const result = await help(words);
    expect(result.code).toBe(0);
    expect(result.text).toContain(`Usage: venue-sync ${words.join(' ')}`);
    expect(result.text).toContain('--json');
    for (const flag of flags) expect(result.text).toContain(flag);
  });
});
