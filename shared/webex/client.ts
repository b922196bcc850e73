/**
 * The Webex Events (formerly Socio) public GraphQL API over graphql-request, behind the shared
 * ApiCaller: one limiter (cost-weighted), one retry policy, one error classification. It is the
 * engine's WebexSourcePort.
 *
 * - The schema is read by introspection once per client (the handler builds one per container) and
 *   the attendee query is built from it: fields the account's schema lacks are left out and reported
 *   (readableFields), `nodes` or `edges` is used, whichever exists. The introspection is an API call
 *   like any other (paced, counted in the run's API-call metrics).
 * - Endpoint by token, as the official SDKs do: `sk_live_` tokens -> the live host, any other token ->
 *   the sandbox host; `WEBEX_API_URL` overrides both.
 * - Every call: `caller.call('webex', fn, { cost })` with the query's budgeted cost, so the limiter
 *   paces by cost and the retry policy sees our error family only.
 * - Every answer's headers (`X-Secondly-Call-Limit`, `X-Daily-Call-Limit`) feed
 *   `caller.observeWebexHeaders`, also on failures, so pacing follows what the server reports.
 * - Failures: graphql-request's ClientError (HTTP status, headers, raw body incl. the transport-level
 *   `{message, extensions:{code}}`) goes through the shared `errorFromHttp`; a 200 with GraphQL
 *   `errors[]` is classified by its `extensions.code`; network failures through `errorFromNetwork`.
 *   Webex answers a bad token with 400 INVALID_TOKEN / TOKEN_IS_EXPIRED, which the generic rule would
 *   call a bad request: those become an AuthError that says what to fix.
 * - Every answer is parsed with zod; a shape we do not know is an UnexpectedResponseError.
 * - Cursors are opaque: passed back as given, never decoded.
 *
 * Docs: https://public-api.socio.events/docs/2024-06/api/start
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import { z } from 'zod';
import {
  ApiError,
  AuthError,
  PermanentApiError,
  TransientApiError,
  UnexpectedResponseError,
  errorFromHttp,
  errorFromNetwork,
  redactSecrets,
  type HeadersLike,
  type VenueSyncApiCaller,
} from '../rate-limit';
import type {
  WebexAttendeePagesRequest,
  WebexSourcePage,
  WebexSourcePort,
  WebexSourceRegistrant,
} from '../sync/ports';
import { PageSizer, readAheadPages } from './attendee-pages';
import { INTROSPECTION_COST, connectionQueryCost } from './documents';
import type { WebexField } from './fields';
import {
  WebexSchemaError,
  WebexShapeError,
  planAttendeeQuery,
  planEventsQuery,
  readAttendeesAnswer,
  readConnection,
  type AttendeeQueryPlan,
  type ConnectionPage,
} from './query-plan';
import { IntrospectionSchema, SCHEMA_INTROSPECTION, WebexSchemaView } from './schema';

/** Host for `sk_live_` tokens (official SDKs: Go/Java `getUri`). */
export const WEBEX_LIVE_API_URL = 'https://public.api.socio.events/graphql';
/** Host for every other token (`sk_test_...`). */
export const WEBEX_SANDBOX_API_URL = 'https://public.sandbox-api.socio.events/graphql';
/** @deprecated the endpoint depends on the token: use webexApiUrl(token). Kept for older imports. */
export const WEBEX_DEFAULT_API_URL = WEBEX_LIVE_API_URL;

/** Largest page we ask for; the simulator (and probably the API) refuses more than 100 nodes. */
export const WEBEX_MAX_PAGE_SIZE = 100;

/** The endpoint for `token`, unless `override` (WEBEX_API_URL) is set. */
export function webexApiUrl(token: string, override?: string): string {
  if (override) return override;
  return token.startsWith('sk_live_') ? WEBEX_LIVE_API_URL : WEBEX_SANDBOX_API_URL;
}

// ---- vendor types (named after the vendor, parsed, never cast) ----

export const WebexEventSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
});
export type WebexEvent = z.infer<typeof WebexEventSchema>;

const EventsAnswerSchema = z.looseObject({ eventsConnection: z.unknown() });

const GraphQLErrorsSchema = z.array(
  z.looseObject({
    message: z.string(),
    extensions: z.looseObject({ code: z.string().optional() }).optional(),
  }),
);

export interface WebexClientOptions {
  token: string;
  /** Overrides the endpoint chosen by token (WEBEX_API_URL; the simulator's URL in tests). */
  apiUrl?: string | undefined;
  /** Events per `eventsConnection` page. @default 50 */
  eventsPageSize?: number;
  /** The fetch to send with (a proxy agent, a test's recorder). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Codes that mean the token itself is wrong (400 INVALID_TOKEN / TOKEN_IS_EXPIRED, 401). */
const TOKEN_CODES = new Set(['INVALID_TOKEN', 'TOKEN_IS_EXPIRED', 'TOKEN_IS_REQUIRED']);

export class WebexClient implements WebexSourcePort {
  private readonly client: GraphQLClient;
  private readonly eventsPageSize: number;
  private schemaView: Promise<WebexSchemaView> | undefined;
  /** Lowered for good once Webex refuses a page size (per client, i.e. per container). */
  private readonly pageSizer = new PageSizer(WEBEX_MAX_PAGE_SIZE);

  constructor(
    options: WebexClientOptions,
    private readonly caller: VenueSyncApiCaller,
  ) {
    this.client = new GraphQLClient(webexApiUrl(options.token, options.apiUrl), {
      headers: { authorization: `Bearer ${options.token}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.eventsPageSize = options.eventsPageSize ?? 50;
  }

  /**
   * The server's schema, introspected once per client; a failed read is not cached (the next call
   * tries again).
   */
  schema(): Promise<WebexSchemaView> {
    this.schemaView ??= this.introspect().catch((error: unknown) => {
      this.schemaView = undefined;
      throw error;
    });
    return this.schemaView;
  }

  async readableFields(
    fields: readonly WebexField[],
  ): Promise<{ readable: WebexField[]; missing: WebexField[] }> {
    const plan = await this.attendeePlan(fields);
    return { readable: plan.readable, missing: plan.missing };
  }

  /** The attendee query this client would send for `fields`, with what it leaves out. */
  async attendeePlan(fields: readonly WebexField[]): Promise<AttendeeQueryPlan> {
    const view = await this.schema();
    try {
      return planAttendeeQuery(view, fields);
    } catch (error) {
      throw schemaFailure(error);
    }
  }

  async listEventIds(): Promise<number[]> {
    return (await this.listEvents()).map((event) => event.id);
  }

  /** Every event the token can see (all pages). */
  async listEvents(): Promise<WebexEvent[]> {
    let plan;
    try {
      plan = planEventsQuery(await this.schema());
    } catch (error) {
      throw schemaFailure(error);
    }
    const events: WebexEvent[] = [];
    const context = 'Webex list events';
    let after: string | undefined;
    for (;;) {
      const first = this.eventsPageSize;
      const data = await this.query(
        context,
        plan.document,
        { first, after: after ?? null },
        connectionQueryCost(first),
      );
      const page = readAnswer(context, () =>
        readConnection(parse(EventsAnswerSchema, data, context).eventsConnection, (node) =>
          parse(WebexEventSchema, node, context),
        ),
      );
      events.push(...page.items);
      if (!page.hasNextPage || page.endCursor === undefined || page.endCursor === after) return events;
      after = page.endCursor;
    }
  }

  /** The event's pages from `after`, reading one ahead and halving the size on 413 (attendee-pages.ts). */
  async *attendeePages(
    eventId: number,
    after: string | undefined,
    request: WebexAttendeePagesRequest,
  ): AsyncGenerator<WebexSourcePage, void, undefined> {
    const plan = await this.attendeePlan(request.fields);
    const pages = readAheadPages(
      (cursor, first) => this.fetchAttendees(plan, eventId, cursor, first),
      after,
      {
        pageSize: request.pageSize,
        sizer: this.pageSizer,
        isPageTooLarge: (error) => error instanceof PermanentApiError && error.status === 413,
        ...(request.onPageSizeLowered ? { onPageSizeLowered: request.onPageSizeLowered } : {}),
      },
    );
    for await (const page of pages) yield { registrants: page.items, cursor: page.cursor, last: page.last };
  }

  /** One page of an event's attendees after `after` (undefined: from the start). */
  async attendeesPage(
    eventId: number,
    after: string | undefined,
    first: number,
    fields: readonly WebexField[],
  ): Promise<ConnectionPage<WebexSourceRegistrant>> {
    return this.fetchAttendees(await this.attendeePlan(fields), eventId, after, first);
  }

  private async fetchAttendees(
    plan: AttendeeQueryPlan,
    eventId: number,
    after: string | undefined,
    first: number,
  ): Promise<ConnectionPage<WebexSourceRegistrant>> {
    const size = Math.max(1, Math.min(WEBEX_MAX_PAGE_SIZE, Math.floor(first)));
    const context = `Webex attendees page of event ${eventId}`;
    // https://public-api.socio.events/docs/2024-06/api/start (attendeesConnection, Relay cursors)
    const data = await this.query(
      context,
      plan.document,
      { eventId, first: size, after: after ?? null },
      connectionQueryCost(size),
    );
    const page = readAnswer(context, () => readAttendeesAnswer(data, plan));
    if (page.eventMissing) {
      throw new PermanentApiError(
        'webex',
        `${context} failed: event ${eventId} not found (check WEBEX_EVENT_IDS)`,
        {
          status: 404,
        },
      );
    }
    return page;
  }

  private async introspect(): Promise<WebexSchemaView> {
    const context = 'Webex schema introspection';
    // https://public-api.socio.events/docs/2024-06/api/start (introspection is enabled; the SDKs use it)
    const data = await this.query(context, SCHEMA_INTROSPECTION, {}, INTROSPECTION_COST);
    return WebexSchemaView.fromIntrospection(parse(IntrospectionSchema, data, context));
  }

  private query(
    context: string,
    document: string,
    variables: Record<string, unknown>,
    cost: number,
  ): Promise<unknown> {
    return this.caller.call(
      'webex',
      async () => {
        try {
          const response = await this.client.rawRequest<unknown>(document, variables);
          this.caller.observeWebexHeaders(response.headers);
          return response.data;
        } catch (error) {
          throw this.classify(error, context);
        }
      },
      { cost },
    );
  }

  private classify(error: unknown, context: string): ApiError {
    if (error instanceof ApiError) return error;
    if (error instanceof ClientError) {
      const { status, headers, body } = error.response;
      const headerBag: HeadersLike = headers instanceof Headers ? headers : undefined;
      if (headerBag) this.caller.observeWebexHeaders(headerBag);
      const graphqlErrors = GraphQLErrorsSchema.safeParse(error.response.errors);
      if (status >= 200 && status < 300 && graphqlErrors.success && graphqlErrors.data.length > 0) {
        return fromGraphQLErrors(graphqlErrors.data, context);
      }
      const classified = errorFromHttp('webex', { status, headers: headerBag, body }, context);
      const code = webexCode(body);
      if (code !== undefined && TOKEN_CODES.has(code)) {
        return new AuthError(
          'webex',
          `${classified.message} - the Webex token is missing, invalid or expired: put a valid sk_live_/sk_test_ token in the secret's webexToken (WEBEX_TOKEN locally)`,
          { status, cause: classified },
        );
      }
      return classified;
    }
    return errorFromNetwork('webex', error, context);
  }
}

/** GraphQL field errors arrive as 200 + `errors[]`; classified by their code. */
function fromGraphQLErrors(errors: z.infer<typeof GraphQLErrorsSchema>, context: string): ApiError {
  const first = errors[0];
  const code = first?.extensions?.code;
  const message = redactSecrets(
    `${context} failed: GraphQL ${code ?? 'error'} "${errors
      .map((e) => e.message)
      .join('; ')
      .slice(0, 300)}"`,
  );
  if (code !== undefined && TOKEN_CODES.has(code))
    return new AuthError('webex', `${message} - check the Webex token`);
  if (code === 'INTERNAL_SERVER_ERROR' || code === 'SERVER_ERROR') {
    return new TransientApiError('webex', `${message} - temporary failure, will retry`, { status: 500 });
  }
  return new PermanentApiError('webex', `${message} - query rejected, not retried`, { status: 200 });
}

function webexCode(body: unknown): string | undefined {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const result = z.looseObject({ extensions: z.looseObject({ code: z.string() }) }).safeParse(parsed);
  return result.success ? result.data.extensions.code : undefined;
}

function parse<T>(schema: z.ZodType<T>, data: unknown, context: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new UnexpectedResponseError(
    'webex',
    `${context}: answer did not match the expected shape (${where})`,
  );
}

/** A schema that cannot serve the sync: permanent, with what is missing. */
function schemaFailure(error: unknown): unknown {
  if (!(error instanceof WebexSchemaError)) return error;
  return new PermanentApiError('webex', `Webex schema check failed: ${error.message}`, { status: 200 });
}

function readAnswer<T>(context: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof WebexShapeError)) throw error;
    throw new UnexpectedResponseError(
      'webex',
      `${context}: answer did not match the expected shape (${error.message})`,
    );
  }
}
