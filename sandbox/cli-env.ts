/**
 * While the sandbox runs, each venue's environment is written to `.sandbox/<venue>.env` (git-ignored)
 * so the ops CLI can talk to the same simulators and table from another terminal:
 *
 *   set -a; . .sandbox/venue-a.env; set +a; npx venue-sync doctor venue-a
 *
 * Each file names its venue (VENUE_ID), so a command for another venue refuses these credentials.
 * The values are the sandbox's own throwaway credentials, never real ones.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { World } from './world';

export const CLI_ENV_DIR = '.sandbox';

export async function writeCliEnv(world: World, dir = CLI_ENV_DIR): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const venue of world.config.venues) {
    // VENUE_ID says whose credentials these are: the CLI refuses to use them for any other venue.
    const env = { ...world.webexEnv(), ...world.pollerEnv(venue.id), VENUE_ID: venue.id };
    const file = join(dir, `${venue.id}.env`);
    const lines = Object.entries(env).map(([name, value]) => `${name}='${value.replace(/'/g, `'\\''`)}'`);
    await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    files.push(file);
  }
  return files;
}

export async function removeCliEnv(dir = CLI_ENV_DIR): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
