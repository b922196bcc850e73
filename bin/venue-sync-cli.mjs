#!/usr/bin/env node
// `npx venue-sync ...`: registers tsx so the TypeScript CLI runs without a build step, then runs it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exit(await main(process.argv.slice(2)));
