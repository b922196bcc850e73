/**
 * The queries the adapter builds from a schema validate against that schema: the simulator's full
 * schema and its reduced one (only what real code shows exists). When a schema introspected from a real
 * account replaces sandbox/webex/schema.graphql, this test shows what the adapter would send.
 */
import {
  buildSchema,
  graphqlSync,
  getIntrospectionQuery,
  parse,
  validate,
  type GraphQLSchema,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEBEX_REDUCED_SCHEMA_PATH, WEBEX_SCHEMA_PATH } from '../../sandbox/webex';
import { webexDocuments } from '../../shared/webex/documents';
import { WEBEX_FIELDS } from '../../shared/webex/fields';
import { planAttendeeQuery } from '../../shared/webex/query-plan';
import { IntrospectionSchema, WebexSchemaView } from '../../shared/webex/schema';

function viewOf(schema: GraphQLSchema): WebexSchemaView {
  const result = graphqlSync({ schema, source: getIntrospectionQuery() });
  return WebexSchemaView.fromIntrospection(IntrospectionSchema.parse(result.data));
}

describe('Module: shared/webex/documents', () => {
  const schemas = {
    full: buildSchema(readFileSync(WEBEX_SCHEMA_PATH, 'utf8')),
    reduced: buildSchema(readFileSync(WEBEX_REDUCED_SCHEMA_PATH, 'utf8')),
  };

  for (const [mode, schema] of Object.entries(schemas)) {
    it.each(Object.entries(webexDocuments(viewOf(schema), WEBEX_FIELDS)))(
      `%s validates against the ${mode} schema`,
      (_name, document) => {
        // Act
        const errors = validate(schema, parse(document)).map((error) => error.message);

        // Assess
        expect(errors).toEqual([]);
      },
    );
  }

  it('asks the full schema for every field, through nodes, with totalCount and the event', () => {
    // Act
    const plan = planAttendeeQuery(viewOf(schemas.full), WEBEX_FIELDS);

    // Assess
    expect(plan.missing).toEqual([]);
    expect(plan).toMatchObject({ list: 'nodes', totalCount: true, withEvent: true, withExternalId: true });
  });

  it('leaves out what the reduced schema lacks and names it', () => {
    // Act
    const plan = planAttendeeQuery(viewOf(schemas.reduced), WEBEX_FIELDS);

    // Assess
    expect(plan.readable.sort()).toEqual(['email', 'externalId', 'profile.firstName', 'profile.lastName']);
    expect(plan.missing.sort()).toEqual(
      [
        'checkedIn',
        'event.name',
        'event.startDate',
        'profile.company',
        'profile.jobTitle',
        'profile.phone',
        'registrationStatus',
        'ticketName',
      ].sort(),
    );
    expect(plan).toMatchObject({ totalCount: false, withEvent: false });
    expect(plan.document).not.toMatch(/totalCount|event\(/);
  });

  it('reads edges { cursor node } when a connection has no nodes', () => {
    // Prepare
    const edgesOnly = buildSchema(
      readFileSync(WEBEX_REDUCED_SCHEMA_PATH, 'utf8').replace(
        /type AttendeeConnection \{[^}]*\}/,
        'type AttendeeConnection { edges: [AttendeeEdge!]! pageInfo: PageInfo! }\ntype AttendeeEdge { cursor: String! node: Attendee! }',
      ),
    );

    // Act
    const plan = planAttendeeQuery(viewOf(edgesOnly), ['email']);

    // Assess
    expect(plan.list).toBe('edges');
    expect(validate(edgesOnly, parse(plan.document))).toEqual([]);
    expect(plan.document).toMatch(/edges \{ cursor node \{ id externalId email \} \}/);
  });
});
