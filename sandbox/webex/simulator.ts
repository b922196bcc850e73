/**
 * A Webex Events (formerly Socio) public API stand-in: `POST /graphql` over the schema in
 * schema.graphql (or schema-reduced.graphql with `schemaMode: 'reduced'`), with the token checks, error
 * bodies and cost-based limits the official SDKs show.
 * The choices made where the real API is unknown are listed in sandbox/webex/README.md.
 */
import {
  GraphQLError,
  executeSync,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import {
  FaultInjector,
  RequestLog,
  SimClock,
  seededRandom,
  serveSimulator,
  type RunningServer,
  type SimRequest,
  type SimResponse,
} from '../sim-kit';
import { toConnection } from './connection';
import { CostBudget, queryCost } from './cost';
import { loadWebexSchema, webexSchemaPath, type WebexSchemaMode } from './schema';
import { WebexStore } from './store';
import type {
  RolledId,
  WebexAttendee,
  WebexAttendeeInput,
  WebexEvent,
  WebexEventInput,
  WebexSimulatorOptions,
} from './types';

interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export class WebexSimulator {
  readonly clock: SimClock;
  readonly faults: FaultInjector;
  readonly log = new RequestLog();
  private schema: GraphQLSchema;
  private readonly store: WebexStore;
  private readonly budget: CostBudget;
  private readonly tokens: Set<string> | undefined;
  private readonly expiredTokens = new Set<string>();
  private readonly maxPageSize: number;
  private readonly defaultPageSize: number;
  private readonly rootValue: Record<string, (args: never) => unknown>;
  private server: RunningServer | undefined;

  constructor(options: WebexSimulatorOptions = {}) {
    const seed = options.seed ?? 42;
    this.clock = options.clock ?? SimClock.real();
    this.faults = new FaultInjector(seed);
    this.schema = loadWebexSchema(webexSchemaPath(options.schemaMode));
    this.store = new WebexStore(this.clock, seededRandom(seed ^ 0x5eed));
    this.budget = new CostBudget(
      this.clock,
      options.secondlyCostLimit ?? 500,
      options.dailyCostLimit ?? 200_000,
    );
    this.tokens = options.tokens ? new Set(options.tokens) : undefined;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.defaultPageSize = options.defaultPageSize ?? 20;
    this.rootValue = {
      eventsConnection: (args: ConnectionArgs) =>
        toConnection(this.store.listEvents(), args, this.defaultPageSize),
      event: ({ id }: { id: number }) => this.store.findEvent(id) ?? null,
      attendeesConnection: ({ eventId, ...args }: ConnectionArgs & { eventId: number }) => {
        const attendees = this.store.listAttendees(eventId);
        if (!attendees) {
          throw new GraphQLError(`Event with id ${eventId} not found`, {
            extensions: { code: 'RECORD_NOT_FOUND' },
          });
        }
        return toConnection(attendees, args, this.defaultPageSize);
      },
    };
  }

  async start(): Promise<string> {
    this.server ??= await serveSimulator({
      handle: (request) => this.handle(request),
      faults: this.faults,
      log: this.log,
      clock: this.clock,
      credentialOf: bearerToken,
    });
    return this.url;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** The GraphQL endpoint, like `WEBEX_API_URL` (`https://public.api.socio.events/graphql`). */
  get url(): string {
    return `${this.baseUrl}/graphql`;
  }

  get baseUrl(): string {
    if (!this.server) throw new Error('WebexSimulator: call start() first');
    return this.server.url;
  }

  addEvent(input: WebexEventInput): number {
    return this.store.addEvent(input);
  }

  events(): WebexEvent[] {
    return structuredClone(this.store.listEvents());
  }

  /** Adds `count` generated people (deterministic for a given seed and call sequence); returns them. */
  seedAttendees(eventId: number, count: number): WebexAttendee[] {
    return structuredClone(this.store.seedAttendees(eventId, count));
  }

  addAttendee(eventId: number, fields: WebexAttendeeInput): WebexAttendee {
    return structuredClone(this.store.addAttendee(eventId, fields));
  }

  changeAttendee(eventId: number, attendeeId: number, patch: WebexAttendeeInput): WebexAttendee {
    return structuredClone(this.store.changeAttendee(eventId, attendeeId, patch));
  }

  cancelAttendee(eventId: number, attendeeId: number): WebexAttendee {
    return structuredClone(this.store.cancelAttendee(eventId, attendeeId));
  }

  /** Re-issues every attendee's Int id (of one event, or of all); the people stay the same. */
  rollIds(eventId?: number): RolledId[] {
    return this.store.rollIds(eventId);
  }

  /** The event's attendees in registration order (the order the API pages them in); copies. */
  attendees(eventId: number): WebexAttendee[] {
    const list = this.store.listAttendees(eventId);
    if (!list) throw new Error(`WebexSimulator: unknown event ${eventId}`);
    return structuredClone(list);
  }

  /** Changes one field of about `fraction` of the event's attendees (updatedAt = now); returns them after. */
  mutateRandomly(eventId: number, fraction: number): WebexAttendee[] {
    return structuredClone(this.store.mutateRandomly(eventId, fraction));
  }

  /** Serves the other schema from now on (an account whose schema changed; clients re-introspect). */
  useSchema(mode: WebexSchemaMode): void {
    this.schema = loadWebexSchema(webexSchemaPath(mode));
  }

  /** From now on the token answers 400 TOKEN_IS_EXPIRED. */
  expireToken(token: string): void {
    this.expiredTokens.add(token);
  }

  private handle(request: SimRequest): SimResponse {
    if (request.path !== '/graphql') {
      return webexError(404, 'RECORD_NOT_FOUND', `No route for ${request.method} ${request.path}`);
    }
    // https://public-api.socio.events/docs/2024-06/api/start (status -> code table)
    const token = bearerToken(request);
    if (!token) return webexError(401, 'TOKEN_IS_REQUIRED', 'Authorization token is required.');
    if (this.expiredTokens.has(token))
      return webexError(400, 'TOKEN_IS_EXPIRED', 'Authorization token is expired.');
    if (this.tokens && !this.tokens.has(token))
      return webexError(400, 'INVALID_TOKEN', 'Authorization token is invalid.');
    if (request.method !== 'POST')
      return webexError(400, 'BAD_REQUEST', 'Send queries with POST and a JSON body.');

    const body = parseBody(request.rawBody);
    if (!body) return webexError(400, 'BAD_REQUEST', 'The body must be JSON with a "query" string.');
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return this.graphqlErrors(token, [toGraphQLError(error)]);
    }
    const validationErrors = validate(this.schema, document);
    if (validationErrors.length > 0) return this.graphqlErrors(token, validationErrors);

    let headers = this.budget.peek(token);
    const operation = getOperationAST(document, body.operationName);
    if (operation) {
      const { cost, largestPage } = queryCost(document, operation, body.variables, this.defaultPageSize);
      if (largestPage > this.maxPageSize || cost > this.budget.secondlyLimit) {
        return {
          status: 413,
          headers,
          body: {
            message: `Query is too complex: cost ${cost}, at most ${this.maxPageSize} nodes per connection and ${this.budget.secondlyLimit} per query.`,
            extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxPageSize: this.maxPageSize },
          },
        };
      }
      const decision = this.budget.charge(token, cost);
      if (!decision.admitted) return { status: 429, headers: decision.headers, body: decision.body };
      headers = decision.headers;
    }
    const result = executeSync({
      schema: this.schema,
      document,
      rootValue: this.rootValue,
      variableValues: body.variables,
      operationName: body.operationName,
    });
    return { status: 200, headers, body: result };
  }

  /** Ordinary GraphQL errors: 200 with `errors[]`, not charged ([S] user code). */
  private graphqlErrors(token: string, errors: readonly GraphQLError[]): SimResponse {
    return {
      status: 200,
      headers: this.budget.peek(token),
      body: { errors: errors.map((error) => error.toJSON()) },
    };
  }
}

interface GraphQLRequestBody {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

function parseBody(rawBody: string): GraphQLRequestBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.query !== 'string') return undefined;
  // The PHP SDK sends `operation_name`.
  const operationName = parsed.operationName ?? parsed.operation_name;
  return {
    query: parsed.query,
    variables: isRecord(parsed.variables) ? parsed.variables : {},
    operationName: typeof operationName === 'string' && operationName !== '' ? operationName : undefined,
  };
}

/** Transport-level errors are a top-level `{message, extensions:{code}}`, not `errors[]`. */
function webexError(status: number, code: string, message: string): SimResponse {
  return { status, body: { message, extensions: { code } } };
}

function bearerToken(request: SimRequest): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

function toGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError(String(error));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
