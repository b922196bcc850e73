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
    /** AWS control-plane clients (mocked) for secrets set / enable / pause. */
    aws?: CliIo['aws'];
    /** Answers to the hidden prompts of `secrets set`, in order; the run then plays a terminal. */
    hiddenAnswers?: string[];
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
    interactive: options.confirm !== undefined || options.hiddenAnswers !== undefined,
    confirm: async () => options.confirm ?? false,
    env,
    context: { now: () => world.clock.now(), ...(options.secrets ? { secrets: options.secrets } : {}) },
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.aws ? { aws: options.aws } : {}),
    ...(options.hiddenAnswers ? { readHidden: hiddenReader(options.hiddenAnswers, stderr) } : {}),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Plays a person typing at hidden prompts: the prompt is written, the answer is not (as on a terminal). */
function hiddenReader(answers: string[], stderr: CapturedText): (prompt: string) => Promise<string> {
  const queue = [...answers];
  return async (prompt) => {
    stderr.write(`${prompt}\n`);
    return queue.shift() ?? '';
  };
}
