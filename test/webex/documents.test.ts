/**
 * Every Webex GraphQL document validates against the working schema. When a schema from real
 * introspection replaces api-facts/webex-events.graphql, this test lists what must change.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { WEBEX_DOCUMENTS } from '../../shared/webex/documents';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedSchema = path.resolve(repoRoot, '../shared/api-facts/webex-events.graphql');
const schemaPath = existsSync(sharedSchema)
  ? sharedSchema
  : path.resolve(repoRoot, 'sandbox/webex/schema.graphql');

describe('Module: shared/webex/documents', () => {
  const schema = buildSchema(readFileSync(schemaPath, 'utf8'));

  it.each(Object.entries(WEBEX_DOCUMENTS))('%s validates against the Webex schema', (_name, document) => {
    // Act
    const errors = validate(schema, parse(document)).map((error) => error.message);

    // Assess
    expect(errors).toEqual([]);
  });
});
