/** Runs the `venue-sync` CLI in-process against a sandbox World, capturing what it prints. */
import { runCli, type CliIo } from '../../bin/cli';
import { CapturedText } from '../../ops/io';
import type { World } from '../../sandbox/world';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  world: World,
  args: string[],
  options: {
    venue?: string;
    env?: Record<string, string | undefined>;
    confirm?: boolean;
    audit?: CliIo['audit'];
    /** A Secrets Manager stand-in (AWS control plane: mocked, never a vendor). */
    secrets?: NonNullable<CliIo['context']>['secrets'];
  } = {},
): Promise<CliRun> {
  const stdout = new CapturedText();
  const stderr = new CapturedText();
  const env = {
    ...world.webexEnv(),
    ...(options.venue ? world.pollerEnv(options.venue) : world.commonEnv()),
    ...options.env,
  };
  const code = await runCli(args, {
    stdout,
    stderr,
    stderrIsTTY: false,
    // A test that answers questions plays a person at a terminal; the others run like a script.
    interactive: options.confirm !== undefined,
    confirm: async () => options.confirm ?? false,
    env,
    context: { now: () => world.clock.now(), ...(options.secrets ? { secrets: options.secrets } : {}) },
    ...(options.audit ? { audit: options.audit } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
