import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The schemas the simulator can serve: `full` (schema.graphql, every field the adapter can use) and
 * `reduced` (schema-reduced.graphql, only what real code shows exists). Replace them with an
 * introspected schema when one from a real account exists.
 */
export type WebexSchemaMode = 'full' | 'reduced';

export const WEBEX_SCHEMA_PATH = fileURLToPath(new URL('./schema.graphql', import.meta.url));
export const WEBEX_REDUCED_SCHEMA_PATH = fileURLToPath(new URL('./schema-reduced.graphql', import.meta.url));

export function webexSchemaPath(mode: WebexSchemaMode = 'full'): string {
  return mode === 'reduced' ? WEBEX_REDUCED_SCHEMA_PATH : WEBEX_SCHEMA_PATH;
}

export function loadWebexSchema(path = WEBEX_SCHEMA_PATH): GraphQLSchema {
  return buildSchema(readFileSync(path, 'utf8'));
}
