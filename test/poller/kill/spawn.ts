/** Builds the crash child once (esbuild, packages left to node_modules) and runs it as a real process. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { PollReport } from '../../../shared/sync/poll-venue';
import type { World } from '../../../sandbox/world';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..', '..');

/** Bundles the child (with its dependencies, as the Lambda bundle is) so each run starts fast. */
export async function buildChild(): Promise<string> {
  const outDir = join(projectRoot, 'node_modules', '.cache', 'venue-sync-tests');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `poller-child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, 'child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

export type ChildResult =
  | { kind: 'finished'; report: PollReport }
  | { kind: 'killed' }
  | { kind: 'failed'; code: number | null; stderr: string };

export interface ChildRun {
  /** Kill it yourself (a random moment) with SIGKILL. */
  kill(): void;
  done: Promise<ChildResult>;
}

/** Starts one poller invocation for `venueId` in a child process on the world's clock. */
export function startChild(
  bundle: string,
  world: World,
  venueId: string,
  options: { killAtStep?: string; killContact?: string; remainingMs?: number } = {},
): ChildRun {
  const child = spawn(process.execPath, [bundle], {
    cwd: projectRoot,
    env: {
      ...process.env,
      POLLER_ENV: JSON.stringify(world.pollerEnv(venueId)),
      CLOCK_OFFSET_MS: String(world.clock.now() - Date.now()),
      REMAINING_MS: String(options.remainingMs ?? 240_000),
      ...(options.killAtStep ? { KILL_AT_STEP: options.killAtStep } : {}),
      ...(options.killContact ? { KILL_CONTACT: options.killContact } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') return resolve({ kind: 'killed' });
      if (code === 0)
        return resolve({ kind: 'finished', report: JSON.parse(stdout.trim().split('\n').pop() ?? '{}') });
      resolve({ kind: 'failed', code, stderr });
    });
  });
  return { kill: () => child.kill('SIGKILL'), done };
}
