/**
 * Builds the attendee and event queries from what the server's schema has (pure), and reads their
 * answers. A GraphQL query that names one missing field fails as a whole, and only a few attendee
 * fields are known to exist on the real API (id, externalId, profile { firstName lastName }), so every
 * other field is asked for only when introspection shows it; the rest are reported as missing.
 *
 * - Connections are read through `nodes` when the schema has it, else `edges { cursor node }`.
 * - `totalCount` is asked for only when it exists (it is informative, never needed).
 * - `event(id)` is asked for only when an `event.*` field is configured and the schema has the query.
 *
 * Docs: https://public-api.socio.events/docs/2024-06/api/start
 */
import { z } from 'zod';
import type { WebexSourceRegistrant } from '../sync/ports';
import { webexFieldSource, type WebexField, type WebexFieldValue } from './fields';
import type { WebexSchemaView } from './schema';

/** The schema cannot serve the sync at all (no attendee list, no ids, no paging). */
export class WebexSchemaError extends Error {
  override readonly name = 'WebexSchemaError';
}

export interface ConnectionShape {
  /** How the items are reached: `nodes { ... }` or `edges { cursor node { ... } }`. */
  list: 'nodes' | 'edges';
  totalCount: boolean;
}

export interface AttendeeQueryPlan extends ConnectionShape {
  document: string;
  /** Configured fields the schema has (asked for). */
  readable: WebexField[];
  /** Configured fields the schema lacks (left out of the query). */
  missing: WebexField[];
  withEvent: boolean;
  withExternalId: boolean;
}

export interface EventsQueryPlan extends ConnectionShape {
  document: string;
}

/** A nested selection: field name -> its sub-selection (empty for a leaf). */
type Selection = Map<string, Selection>;

export function planAttendeeQuery(view: WebexSchemaView, fields: readonly WebexField[]): AttendeeQueryPlan {
  const connectionType = view.fieldType(view.queryType, 'attendeesConnection');
  if (!connectionType) {
    throw new WebexSchemaError(
      'the Webex schema has no Query.attendeesConnection; the attendee list cannot be read (check WEBEX_API_URL points at the Webex Events public API)',
    );
  }
  const shape = connectionShape(view, connectionType, 'attendeesConnection');
  const attendeeType = itemType(view, connectionType, shape.list);
  if (view.fieldType(attendeeType, 'id') === undefined) {
    throw new WebexSchemaError('the Webex schema has no Attendee.id; attendees cannot be told apart');
  }
  const eventType = view.fieldType(view.queryType, 'event');
  const attendee: Selection = new Map([['id', new Map()]]);
  const withExternalId = view.fieldType(attendeeType, 'externalId') !== undefined;
  if (withExternalId) attendee.set('externalId', new Map());
  const event: Selection = new Map([['id', new Map()]]);
  const readable: WebexField[] = [];
  const missing: WebexField[] = [];
  for (const field of new Set(fields)) {
    const source = webexFieldSource(field);
    const root = source.on === 'attendee' ? attendeeType : eventType;
    if (view.pathType(root, source.path) === undefined) {
      missing.push(field);
      continue;
    }
    readable.push(field);
    addPath(source.on === 'attendee' ? attendee : event, source.path);
  }
  const withEvent = readable.some((field) => webexFieldSource(field).on === 'event');
  const body = [
    withEvent ? `event(id: $eventId) ${render(event)}` : '',
    `attendeesConnection(eventId: $eventId, first: $first, after: $after) ${render(connectionSelection(shape, attendee))}`,
  ].filter(Boolean);
  const document = `query VenueSyncAttendeesPage($eventId: Int!, $first: Int!, $after: String) {\n  ${body.join('\n  ')}\n}\n`;
  return { ...shape, document, readable, missing, withEvent, withExternalId };
}

export function planEventsQuery(view: WebexSchemaView): EventsQueryPlan {
  const connectionType = view.fieldType(view.queryType, 'eventsConnection');
  if (!connectionType) throw new WebexSchemaError('the Webex schema has no Query.eventsConnection');
  const shape = connectionShape(view, connectionType, 'eventsConnection');
  const event: Selection = new Map([
    ['id', new Map()],
    ['name', new Map()],
  ]);
  const document = `query VenueSyncEventsPage($first: Int!, $after: String) {\n  eventsConnection(first: $first, after: $after) ${render(connectionSelection(shape, event))}\n}\n`;
  return { ...shape, document };
}

function connectionShape(view: WebexSchemaView, connectionType: string, name: string): ConnectionShape {
  const hasNodes = view.fieldType(connectionType, 'nodes') !== undefined;
  const hasEdges = view.pathType(connectionType, ['edges', 'node']) !== undefined;
  if (!hasNodes && !hasEdges)
    throw new WebexSchemaError(`the Webex schema's ${name} has neither nodes nor edges`);
  const pageInfo = view.fieldType(connectionType, 'pageInfo');
  if (
    view.fieldType(pageInfo, 'hasNextPage') === undefined ||
    view.fieldType(pageInfo, 'endCursor') === undefined
  ) {
    throw new WebexSchemaError(`the Webex schema's ${name} has no pageInfo { endCursor hasNextPage }`);
  }
  return {
    list: hasNodes ? 'nodes' : 'edges',
    totalCount: view.fieldType(connectionType, 'totalCount') !== undefined,
  };
}

function itemType(
  view: WebexSchemaView,
  connectionType: string,
  list: ConnectionShape['list'],
): string | undefined {
  return list === 'nodes'
    ? view.fieldType(connectionType, 'nodes')
    : view.pathType(connectionType, ['edges', 'node']);
}

function connectionSelection(shape: ConnectionShape, item: Selection): Selection {
  const selection: Selection =
    shape.list === 'nodes'
      ? new Map([['nodes', item]])
      : new Map([
          [
            'edges',
            new Map([
              ['cursor', new Map()],
              ['node', item],
            ]),
          ],
        ]);
  selection.set(
    'pageInfo',
    new Map([
      ['endCursor', new Map()],
      ['hasNextPage', new Map()],
    ]),
  );
  if (shape.totalCount) selection.set('totalCount', new Map());
  return selection;
}

function addPath(selection: Selection, path: readonly string[]): void {
  let current = selection;
  for (const step of path) {
    let next = current.get(step);
    if (!next) {
      next = new Map();
      current.set(step, next);
    }
    current = next;
  }
}

function render(selection: Selection): string {
  const parts = [...selection].map(([name, sub]) => (sub.size > 0 ? `${name} ${render(sub)}` : name));
  return `{ ${parts.join(' ')} }`;
}

// ---- reading the answers (zod-parsed, never cast) ----

const PageInfoSchema = z.looseObject({ endCursor: z.string().nullish(), hasNextPage: z.boolean() });

const ConnectionSchema = z.looseObject({
  nodes: z.array(z.unknown()).nullish(),
  edges: z.array(z.looseObject({ cursor: z.string().nullish(), node: z.unknown() })).nullish(),
  pageInfo: PageInfoSchema,
  totalCount: z.number().int().nullish(),
});

const NodeSchema = z.looseObject({ id: z.number().int(), externalId: z.string().nullish() });
const ObjectSchema = z.record(z.string(), z.unknown());
const ValueSchema = z.union([z.string(), z.boolean(), z.number().transform(String), z.null(), z.undefined()]);

export interface ConnectionPage<T> {
  items: T[];
  /** Opaque; pass back as `after`. Undefined when the server gave none. */
  endCursor: string | undefined;
  hasNextPage: boolean;
  totalCount: number | undefined;
}

export class WebexShapeError extends Error {
  override readonly name = 'WebexShapeError';
}

/** Reads one connection (either shape) and parses each item with `item`. */
export function readConnection<T>(
  raw: unknown,
  parseItem: (node: unknown, index: number) => T,
): ConnectionPage<T> {
  const connection = parseOrThrow(ConnectionSchema, raw, 'connection');
  const nodes = connection.nodes ?? connection.edges?.map((edge) => edge.node) ?? [];
  const lastEdgeCursor = connection.edges?.at(-1)?.cursor ?? undefined;
  return {
    items: nodes.map(parseItem),
    endCursor: connection.pageInfo.endCursor ?? lastEdgeCursor,
    hasNextPage: connection.pageInfo.hasNextPage,
    totalCount: connection.totalCount ?? undefined,
  };
}

const AttendeesAnswerSchema = z.looseObject({
  event: z.unknown().optional(),
  attendeesConnection: z.unknown(),
});

export interface AttendeesAnswer extends ConnectionPage<WebexSourceRegistrant> {
  /** The plan asked for the event and the server answered null: the event id is unknown. */
  eventMissing: boolean;
}

/** Reads an attendee page answer into registrants carrying the plan's readable fields. */
export function readAttendeesAnswer(data: unknown, plan: AttendeeQueryPlan): AttendeesAnswer {
  const answer = parseOrThrow(AttendeesAnswerSchema, data, '(root)');
  const event = plan.withEvent ? ObjectSchema.nullish().safeParse(answer.event) : undefined;
  if (event && !event.success) throw new WebexShapeError('event: expected an object or null');
  const eventObject = event?.data ?? undefined;
  const page = readConnection(answer.attendeesConnection, (raw, index) => {
    const node = parseOrThrow(NodeSchema, raw, `attendeesConnection item ${index}`);
    const values: Partial<Record<WebexField, WebexFieldValue>> = {};
    for (const field of plan.readable) {
      const source = webexFieldSource(field);
      const value = readPath(source.on === 'attendee' ? raw : eventObject, source.path);
      const parsed = ValueSchema.safeParse(value);
      if (!parsed.success) {
        throw new WebexShapeError(`attendee ${node.id}: field ${field} is not a string, number or boolean`);
      }
      values[field] = parsed.data ?? null;
    }
    return { id: node.id, externalId: node.externalId ?? undefined, values };
  });
  return { ...page, eventMissing: plan.withEvent && !eventObject };
}

function readPath(root: unknown, path: readonly string[]): unknown {
  let current: unknown = root;
  for (const step of path) {
    const object = ObjectSchema.safeParse(current);
    if (!object.success) return null;
    current = object.data[step];
  }
  return current;
}

function parseOrThrow<T>(schema: z.ZodType<T>, data: unknown, where: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${[where, ...issue.path].join('.')}: ${issue.message}`)
    .join('; ');
  throw new WebexShapeError(issues);
}
