/**
 * The import rules in eslint.config.mjs, proven through ESLint's Node API: a snippet is linted as if it
 * were a file at the given path (nothing is written), with the project's own config. A forbidden import
 * must be reported by `no-restricted-imports`; a permitted one must not.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../eslint.config.mjs', import.meta.url));

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: CONFIG });
});

/** The `no-restricted-imports` messages for `code` linted as the repo file `filePath`. */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  // A parse error would hide the rule entirely; fail loudly instead of passing on "no errors".
  const fatal = result.messages.filter((message) => message.fatal);
  expect(fatal, `${filePath} did not parse`).toEqual([]);
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

// Each snippet uses what it imports, so only the import rules can report on it.
const importing = (specifier: string) =>
  `import * as imported from '${specifier}';\nexport const used = imported;\n`;

describe('Lint: import rules per folder', () => {
  it('reports shared/ importing a handler', async () => {
    const messages = await restrictedImports(
      'shared/sync/example.ts',
      importing('../../lambdas/venue-poller/handler'),
    );

    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("shared/ is the Lambdas' library");
  });

  it('reports shared/ importing ops/, sandbox/, test/ or the CDK', async () => {
    for (const specifier of [
      '../../ops/run',
      '../../sandbox/world',
      '../../test/helpers/dynamo',
      'aws-cdk-lib',
    ]) {
      const messages = await restrictedImports('shared/schema/example.ts', importing(specifier));
      expect(messages, specifier).toHaveLength(1);
    }
  });

  it('permits shared/ importing another shared/ area and packages', async () => {
    const code = `${importing('../reconciliation')}import { z } from 'zod';\nexport const schema = z.string();\n`;

    expect(await restrictedImports('shared/sync/example.ts', code)).toEqual([]);
  });

  it('reports a shared/ file one folder deeper reaching out of shared/', async () => {
    const messages = await restrictedImports(
      'shared/sync/webex/example.ts',
      importing('../../../lambdas/webex-sync/handler'),
    );

    expect(messages).toHaveLength(1);
  });

  it('reports an engine in shared/sync importing a vendor adapter', async () => {
    const messages = await restrictedImports('shared/sync/example.ts', importing('../tripleseat/client'));

    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('must not import vendor adapters');
  });

  it('permits lib/ importing the config types and reports it importing the engines', async () => {
    const permitted = await restrictedImports('lib/example.ts', importing('../shared/config/app-config'));
    const forbidden = await restrictedImports('lib/example.ts', importing('../shared/sync/poll-venue'));

    expect(permitted).toEqual([]);
    expect(forbidden).toHaveLength(1);
    expect(forbidden[0]).toContain('lib/ may import from shared/ only');
  });

  it('permits lib/ importing the table key schema and the metric names', async () => {
    for (const specifier of [
      '../shared/reconciliation/table-schema',
      '../shared/observability/metric-names',
    ]) {
      expect(await restrictedImports('lib/example.ts', importing(specifier)), specifier).toEqual([]);
    }
  });

  it('reports a handler importing ops/ and permits it importing shared/', async () => {
    const forbidden = await restrictedImports('lambdas/venue-poller/handler.ts', importing('../../ops/run'));
    const permitted = await restrictedImports(
      'lambdas/venue-poller/handler.ts',
      importing('../../shared/sync/poll-venue'),
    );

    expect(forbidden).toHaveLength(1);
    expect(permitted).toEqual([]);
  });

  it('reports ops/ importing the sandbox', async () => {
    const messages = await restrictedImports('ops/example.ts', importing('../sandbox/world'));

    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('ops/ must not import sandbox/');
  });
});
