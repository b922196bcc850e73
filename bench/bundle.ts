/**
 * Bundle size per handler, built the way lib/sync-function.ts has CDK build it (esbuild: bundle,
 * platform node, target node22, ESM, minify, mainFields module/main, the createRequire banner, AWS SDK
 * v3 external as the nodejs22.x runtime provides it, whatwg-url aliased to its shim), plus the same
 * with the AWS SDK bundled, and one-line files importing the HubSpot SDK for comparison.
 */
import { execFileSync } from 'node:child_process';
import { build, type Metafile } from 'esbuild';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANDLER_ENTRIES, WHATWG_URL_SHIM } from '../lib/sync-function';
import { LEAD_OUTCOME_HANDLER_ENTRIES } from '../lib/tripleseat-webhook';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BANNER =
  "import { createRequire as __venueSyncCreateRequire } from 'node:module'; " +
  'const require = __venueSyncCreateRequire(import.meta.url);';

export interface BundleSize {
  name: string;
  bytes: number;
  /** Heaviest inputs by bytes in the output (esbuild metafile), heaviest first. */
  heaviest?: Array<{ input: string; bytes: number }>;
  /** Module initialisation (fresh `node` importing the bundle, no network): wall and CPU ms. */
  init?: { wallMs: number; cpuMs: number };
}

/** The Lambda limit we hold every handler to (bytes of the bundled .mjs). */
export const BUNDLE_BUDGET_BYTES = 1_048_576;

/** Packages grouped: `node_modules/@aws-sdk/client-dynamodb/dist-es/x.js` -> `@aws-sdk/client-dynamodb`. */
function inputGroup(path: string): string {
  const match = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return match?.[1] ?? path;
}

function heaviestInputs(metafile: Metafile, top = 10): Array<{ input: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const group = inputGroup(input);
      totals.set(group, (totals.get(group) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([input, bytes]) => ({ input, bytes }));
}

/**
 * Cold module initialisation: a fresh process imports the bundle (no handler call, no network). Wall time
 * is what a cold start waits; on a busy machine it is stretched by other processes, so the fastest of 5
 * is taken, and the process's CPU time for the import (which load hardly moves) is reported beside it.
 */
function initTimes(file: string): { wallMs: number; cpuMs: number } {
  const script =
    'const t = performance.now(); const c = process.cpuUsage(); await import(process.argv[1]); ' +
    'const used = process.cpuUsage(c); ' +
    'process.stdout.write(JSON.stringify([performance.now() - t, (used.user + used.system) / 1000]));';
  const samples = [0, 1, 2, 3, 4].map(
    () =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' }),
      ) as [number, number],
  );
  return {
    wallMs: Math.min(...samples.map(([wall]) => wall)),
    cpuMs: Math.min(...samples.map(([, cpu]) => cpu)),
  };
}

export async function bundleSizes(): Promise<BundleSize[]> {
  // Inside the project so the external AWS SDK resolves from node_modules, as it does from the
  // runtime's own copy in Lambda.
  const dir = join(ROOT, 'node_modules', '.cache', 'venue-sync-bench');
  await mkdir(dir, { recursive: true });
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
      alias: { 'whatwg-url': WHATWG_URL_SHIM },
    };
    const sizes: BundleSize[] = [];
    for (const [name, entry] of Object.entries({ ...HANDLER_ENTRIES, ...LEAD_OUTCOME_HANDLER_ENTRIES })) {
      // As deployed: the nodejs22.x runtime provides the AWS SDK v3.
      const outfile = join(dir, `${name}.mjs`);
      const { metafile } = await build({
        ...common,
        entryPoints: [entry],
        outfile,
        metafile: true,
        external: ['@aws-sdk/*'],
      });
      sizes.push({
        name,
        bytes: (await stat(outfile)).size,
        heaviest: heaviestInputs(metafile),
        init: initTimes(outfile),
      });
      // The alternative: ship the SDK versions the lock file pins.
      const bundled = join(dir, `${name}-sdk-bundled.mjs`);
      await build({ ...common, entryPoints: [entry], outfile: bundled });
      sizes.push({
        name: `${name} (AWS SDK bundled)`,
        bytes: (await stat(bundled)).size,
        init: initTimes(bundled),
      });
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
