// The `venue-sync` CLI bundle: bin/cli.ts compiled once by esbuild into node_modules/.cache (git-ignored
// with node_modules), so a command starts in plain Node instead of compiling TypeScript with tsx at every
// start. Packages stay external (resolved from node_modules as usual); code splitting keeps each
// command's operation in its own chunk, loaded only when that command runs, so `--help` loads little.
//
// Built by `npm run build:cli` (the `prepare` script runs it at `npm ci`), and again by the launcher
// (bin/venue-sync-cli.mjs) when a source file the bundle was built from is newer than the bundle.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'node_modules', '.cache', 'venue-sync-cli');
/** Which build is current and which source files it was built from (relative to the project). */
export const buildInfoFile = path.join(cacheDir, 'build-info.json');

/** The current bundle's entry file, or undefined when there is none or a source changed since. */
export async function freshBundle() {
  let info;
  try {
    info = JSON.parse(await readFile(buildInfoFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof info?.entry !== 'string' || !Array.isArray(info.inputs) || typeof info.builtAt !== 'number') {
    return undefined;
  }
  try {
    const times = await Promise.all(info.inputs.map((input) => stat(path.join(root, input))));
    if (times.some((time) => time.mtimeMs > info.builtAt)) return undefined;
    await stat(info.entry);
  } catch {
    return undefined; // a source file was removed or the bundle is gone: build again
  }
  return info.entry;
}

/** Builds the bundle into a new directory and then points build-info.json at it (atomic for readers). */
export async function buildCli() {
  const esbuild = await import('esbuild');
  const builtAt = Date.now();
  const outdir = path.join(cacheDir, `build-${builtAt}-${process.pid}`);
  const result = await esbuild.build({
    entryPoints: { cli: path.join(root, 'bin', 'cli.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'warning',
  });
  const previous = await readFile(buildInfoFile, 'utf8')
    .then((text) => JSON.parse(text).entry)
    .catch(() => undefined);
  const info = {
    builtAt,
    entry: path.join(outdir, 'cli.mjs'),
    inputs: Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules')),
  };
  await mkdir(cacheDir, { recursive: true });
  const temporary = `${buildInfoFile}.${process.pid}`;
  await writeFile(temporary, JSON.stringify(info));
  await rename(temporary, buildInfoFile);
  // The previous build goes once nothing points at it (a command still running keeps its open files).
  if (previous && path.dirname(previous) !== outdir) {
    await rm(path.dirname(previous), { recursive: true, force: true }).catch(() => {});
  }
  return info.entry;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  try {
    const entry = await buildCli();
    console.log(
      `venue-sync CLI bundle: ${path.relative(root, entry)} (${Math.round(performance.now() - started)} ms)`,
    );
  } catch (error) {
    // `prepare` passes --if-possible: an install without dev dependencies (no esbuild) must not fail;
    // the launcher then runs the sources through tsx.
    if (!process.argv.includes('--if-possible')) throw error;
    console.warn(
      `venue-sync CLI bundle not built (${String(error).split('\n')[0]}); the CLI runs from source`,
    );
  }
}
