/**
 * The shipped launcher (`npx venue-sync` runs bin/venue-sync-cli.mjs): the esbuild bundle is built, found
 * fresh until a source it was built from changes, and runs the same program as the sources.
 */
import { execFile } from 'node:child_process';
import { utimes } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { buildCli, freshBundle } from '../../bin/build-cli.mjs';

const run = promisify(execFile);

describe('CLI bundle', () => {
  it('is fresh after a build, stale once a source is newer, and the launcher runs it', async () => {
    const entry = (await buildCli()) as string;
    expect(await freshBundle()).toBe(entry);

    const { stdout } = await run('node', ['bin/venue-sync-cli.mjs', 'runs', '--help'], { timeout: 60_000 });
    expect(stdout).toContain('Usage: venue-sync runs [options] <venue>');
    expect(stdout).toContain('--json');

    // A source edited after the build (its time set ahead) makes the bundle stale.
    const later = new Date(Date.now() + 60_000);
    await utimes('ops/runs.ts', later, later);
    try {
      expect(await freshBundle()).toBeUndefined();
    } finally {
      const now = new Date();
      await utimes('ops/runs.ts', now, now);
    }
  });
});
