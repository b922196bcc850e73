import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The working Webex Events schema. The source of truth is /work/shared/api-facts/webex-events.graphql
 * (`../shared/api-facts/webex-events.graphql` next to the project); `schema.graphql` beside this file is a
 * copy so the repository is self-contained. Replace both with an introspected schema when one exists.
 */
export const WEBEX_SCHEMA_PATH = fileURLToPath(new URL('./schema.graphql', import.meta.url));

export function loadWebexSchema(path = WEBEX_SCHEMA_PATH): GraphQLSchema {
  return buildSchema(readFileSync(path, 'utf8'));
}
