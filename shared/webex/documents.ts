/**
 * Every GraphQL document the Webex Events adapter sends, in one module, so the contract with the API
 * is one file: test/webex/documents.test.ts validates each against the working schema
 * (/work/shared/api-facts/webex-events.graphql). When a schema from real introspection replaces that
 * file, the test names every field that must change here.
 *
 * Docs: https://public-api.socio.events/docs/2024-06/api/start (no published schema; api-facts 4).
 */

/** One page of events. Cost = 1 + `first` (connection fields are charged per node, api-facts 4). */
export const EVENTS_PAGE = /* GraphQL */ `
  query VenueSyncEventsPage($first: Int!, $after: String) {
    eventsConnection(first: $first, after: $after) {
      nodes {
        id
        name
        startDate
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

/**
 * One page of an event's attendees (Relay cursors), with the event itself for the `event.*` fields
 * of the field map. Every attendee field the field map can name (shared/webex/fields.ts) is requested.
 * Cost = 1 + `first` (+ the event lookup, 1 at most).
 */
export const ATTENDEES_PAGE = /* GraphQL */ `
  query VenueSyncAttendeesPage($eventId: Int!, $first: Int!, $after: String) {
    event(id: $eventId) {
      id
      name
      startDate
    }
    attendeesConnection(eventId: $eventId, first: $first, after: $after) {
      nodes {
        id
        externalId
        email
        profile {
          firstName
          lastName
          company
          jobTitle
          phone
        }
        registrationStatus
        checkedIn
        ticketName
        updatedAt
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
    }
  }
`;

/** Every document, by name, for the schema test and for docs. */
export const WEBEX_DOCUMENTS = {
  EVENTS_PAGE,
  ATTENDEES_PAGE,
} as const;

/** Cost we budget for a query that selects one connection of `first` nodes (the simulator's rule). */
export function connectionQueryCost(first: number): number {
  return 1 + first;
}
