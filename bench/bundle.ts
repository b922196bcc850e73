/**
 * Bundle size per handler, built the way lib/sync-function.ts has CDK build it (esbuild: bundle,
 * platform node, target node22, ESM, minify, mainFields module/main, the createRequire banner, AWS SDK
 * bundled), plus a one-line file importing the HubSpot SDK's root `Client` for comparison.
 */
import { build } from 'esbuild';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANDLER_ENTRIES } from '../lib/sync-function';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BANNER =
  "import { createRequire as __venueSyncCreateRequire } from 'node:module'; " +
  'const require = __venueSyncCreateRequire(import.meta.url);';

export interface BundleSize {
  name: string;
  bytes: number;
}

export async function bundleSizes(): Promise<BundleSize[]> {
  const dir = await mkdtemp(join(tmpdir(), 'venue-sync-bench-'));
  try {
    const common = {
      bundle: true,
      platform: 'node' as const,
      target: 'node22',
      format: 'esm' as const,
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: BANNER },
      logLevel: 'silent' as const,
      absWorkingDir: ROOT,
    };
    const sizes: BundleSize[] = [];
    for (const [name, entry] of Object.entries(HANDLER_ENTRIES)) {
      const outfile = join(dir, `${name}.mjs`);
      await build({ ...common, entryPoints: [entry], outfile });
      sizes.push({ name, bytes: (await stat(outfile)).size });
    }
    const variants: Array<[string, string]> = [
      ['HubSpot SDK root Client only', "export { Client } from '@hubspot/api-client';"],
      ['HubSpot SDK deep imports only (shared/hubspot/sdk.ts)', "export * from './shared/hubspot/sdk';"],
    ];
    for (const [name, contents] of variants) {
      const outfile = join(dir, `variant-${sizes.length}.mjs`);
      await build({ ...common, stdin: { contents, resolveDir: ROOT, loader: 'ts' }, outfile });
      sizes.push({ name, bytes: (await stat(outfile)).size });
    }
    return sizes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
