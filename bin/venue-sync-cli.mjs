#!/usr/bin/env node
// `npx venue-sync ...`: runs the CLI bundle (bin/build-cli.mjs) in plain Node. The bundle is built at
// `npm ci` (the `prepare` script); when a source file changed since, it is rebuilt here first (esbuild
// takes well under a second), and when it cannot be built (esbuild absent, e.g. an install without dev
// dependencies) the TypeScript sources run through tsx instead, slower but the same program.
import { buildCli, freshBundle } from './build-cli.mjs';

async function entry() {
  const fresh = await freshBundle();
  if (fresh) return fresh;
  try {
    return await buildCli();
  } catch (error) {
    process.stderr.write(
      `venue-sync: running from source (bundle not built: ${error.message.split('\n')[0]})\n`,
    );
    return undefined;
  }
}

const bundle = await entry();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./cli.ts'));
}
process.exit(await main(process.argv.slice(2)));
