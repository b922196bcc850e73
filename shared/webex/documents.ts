/**
 * The GraphQL documents the Webex Events adapter sends and what we budget for each. The attendee and
 * event queries are built from the server's schema (shared/webex/query-plan.ts), so this module
 * gathers them for one schema: test/webex/documents.test.ts validates them against the simulator's
 * full and reduced schemas.
 *
 * Docs: https://public-api.socio.events/docs/2024-06/api/start
 */
import type { WebexField } from './fields';
import { planAttendeeQuery, planEventsQuery } from './query-plan';
import { SCHEMA_INTROSPECTION, type WebexSchemaView } from './schema';

/** Every document the adapter would send against `view` when reading `fields`. */
export function webexDocuments(
  view: WebexSchemaView,
  fields: readonly WebexField[],
): Record<'SCHEMA_INTROSPECTION' | 'EVENTS_PAGE' | 'ATTENDEES_PAGE', string> {
  return {
    SCHEMA_INTROSPECTION,
    EVENTS_PAGE: planEventsQuery(view).document,
    ATTENDEES_PAGE: planAttendeeQuery(view, fields).document,
  };
}

/**
 * Cost we budget for a query that selects one connection of `first` nodes: 1 per request plus 1 per
 * node asked for. Webex does not publish its formula; its answers' `X-Secondly-Call-Limit` header
 * corrects the pacing either way.
 */
export function connectionQueryCost(first: number): number {
  return 1 + first;
}

/** Introspection selects no connection. */
export const INTROSPECTION_COST = 1;
