/**
 * The Webex Events (formerly Socio) public GraphQL API over graphql-request, behind the shared
 * ApiCaller: one limiter (cost-weighted), one retry policy, one error classification.
 *
 * - Every call: `caller.call('webex', fn, { cost })` with the query's budgeted cost, so the limiter
 *   paces by cost and the retry policy sees our error family only.
 * - Every answer's headers (`X-Secondly-Call-Limit`, `X-Daily-Call-Limit`) feed
 *   `caller.observeWebexHeaders`, also on failures, so pacing follows what the server reports.
 * - Failures: graphql-request's ClientError (HTTP status, headers, raw body incl. the transport-level
 *   `{message, extensions:{code}}`) goes through the shared `errorFromHttp`; a 200 with GraphQL
 *   `errors[]` is classified by its `extensions.code`; network failures through `errorFromNetwork`.
 *   Webex answers a bad token with 400 INVALID_TOKEN / TOKEN_IS_EXPIRED (api-facts 4), which the
 *   generic rule would call a bad request: those become an AuthError that says what to fix.
 * - Every answer is parsed with zod; a shape we do not know is an UnexpectedResponseError.
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
import { ATTENDEES_PAGE, EVENTS_PAGE, connectionQueryCost } from './documents';

export const WEBEX_DEFAULT_API_URL = 'https://public.api.socio.events/graphql';

/** Largest page we ask for; the simulator (and probably the API) refuses more than 100 nodes. */
export const WEBEX_MAX_PAGE_SIZE = 100;

// ---- vendor types (named after the vendor, parsed, never cast) ----

export const WebexEventSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  startDate: z.string().nullish(),
});
export type WebexEvent = z.infer<typeof WebexEventSchema>;

export const WebexProfileSchema = z.looseObject({
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  company: z.string().nullish(),
  jobTitle: z.string().nullish(),
  phone: z.string().nullish(),
});

export const WebexAttendeeSchema = z.looseObject({
  id: z.number().int(),
  externalId: z.string().nullish(),
  email: z.string().nullish(),
  profile: WebexProfileSchema,
  registrationStatus: z.string().nullish(),
  checkedIn: z.boolean().nullish(),
  ticketName: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type WebexAttendee = z.infer<typeof WebexAttendeeSchema>;

const PageInfoSchema = z.looseObject({
  endCursor: z.string().nullish(),
  hasNextPage: z.boolean(),
});

const EventsPageSchema = z.looseObject({
  eventsConnection: z.looseObject({
    nodes: z.array(WebexEventSchema),
    pageInfo: PageInfoSchema,
  }),
});

const AttendeesPageSchema = z.looseObject({
  event: WebexEventSchema.nullish(),
  attendeesConnection: z.looseObject({
    nodes: z.array(WebexAttendeeSchema),
    pageInfo: PageInfoSchema,
    totalCount: z.number().int().nullish(),
  }),
});

const GraphQLErrorsSchema = z.array(
  z.looseObject({
    message: z.string(),
    extensions: z.looseObject({ code: z.string().optional() }).optional(),
  }),
);

export interface AttendeesPage {
  event: WebexEvent;
  attendees: WebexAttendee[];
  /** Pass back as `after` for the next page; undefined when the server gave none. */
  endCursor: string | undefined;
  hasNextPage: boolean;
  totalCount: number | undefined;
}

export interface WebexClientOptions {
  token: string;
  /** @default https://public.api.socio.events/graphql */
  apiUrl?: string;
  /** Events per `eventsConnection` page. @default 50 */
  eventsPageSize?: number;
  /** The fetch to send with (a proxy agent, a test's recorder). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Codes that mean the token itself is wrong (api-facts 4: 400 INVALID_TOKEN / TOKEN_IS_EXPIRED, 401). */
const TOKEN_CODES = new Set(['INVALID_TOKEN', 'TOKEN_IS_EXPIRED', 'TOKEN_IS_REQUIRED']);

export class WebexClient {
  private readonly client: GraphQLClient;
  private readonly eventsPageSize: number;

  constructor(
    options: WebexClientOptions,
    private readonly caller: VenueSyncApiCaller,
  ) {
    this.client = new GraphQLClient(options.apiUrl ?? WEBEX_DEFAULT_API_URL, {
      headers: { authorization: `Bearer ${options.token}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.eventsPageSize = options.eventsPageSize ?? 50;
  }

  /** Every event the token can see (all pages). */
  async listEvents(): Promise<WebexEvent[]> {
    const events: WebexEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const first = this.eventsPageSize;
      const data = await this.query('Webex list events', EVENTS_PAGE, { first, after: after ?? null }, first);
      const page = parse(EventsPageSchema, data, 'Webex list events');
      events.push(...page.eventsConnection.nodes);
      const next = page.eventsConnection.pageInfo.endCursor ?? undefined;
      if (!page.eventsConnection.pageInfo.hasNextPage || next === undefined || next === after) return events;
      after = next;
    }
  }

  /** One page of an event's attendees after `after` (undefined: from the start). */
  async attendeesPage(
    eventId: number,
    after: string | undefined,
    first = WEBEX_MAX_PAGE_SIZE,
  ): Promise<AttendeesPage> {
    const size = Math.max(1, Math.min(WEBEX_MAX_PAGE_SIZE, Math.floor(first)));
    const context = `Webex attendees page of event ${eventId}`;
    const data = await this.query(
      context,
      ATTENDEES_PAGE,
      { eventId, first: size, after: after ?? null },
      size,
    );
    const page = parse(AttendeesPageSchema, data, context);
    if (!page.event) {
      throw new PermanentApiError(
        'webex',
        `${context} failed: event ${eventId} not found (check WEBEX_EVENT_IDS)`,
        {
          status: 404,
        },
      );
    }
    const connection = page.attendeesConnection;
    return {
      event: page.event,
      attendees: connection.nodes,
      endCursor: connection.pageInfo.endCursor ?? undefined,
      hasNextPage: connection.pageInfo.hasNextPage,
      totalCount: connection.totalCount ?? undefined,
    };
  }

  private query(
    context: string,
    document: string,
    variables: Record<string, unknown>,
    first: number,
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
      { cost: connectionQueryCost(first) },
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

/** GraphQL field errors arrive as 200 + `errors[]` ([S] user code); classified by their code. */
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
