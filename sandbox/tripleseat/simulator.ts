/**
 * A Tripleseat stand-in: the public-key lead form endpoint, the OAuth leads REST API and the OAuth 2.0
 * token endpoint, one account per venue. Every assumption made here is listed in sandbox/tripleseat/README.md.
 */
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
import { parseLeadBody, simpleErrorMessages, validateLead } from './lead-input';
import { DEFAULT_RENDERING, LeadStore, toRestLead, type RestRendering } from './lead-store';
import { TripleseatOAuthServer, type OAuthServerStats } from './oauth-server';
import { SlidingWindowLimiter } from './rate-window';
import type { TripleseatAccountConfig, TripleseatLead, TripleseatSimulatorOptions } from './types';
import { TripleseatWebhooks } from './webhooks';

const LEAD_PATH = /^\/v1\/leads\/(\d+)\.json$/;
const WEBHOOK_ENDPOINTS_PATH = /^\/api\/v1\/sites\/[^/]+\/webhook_endpoints(?:\.json)?$/;

const OAUTH_HINT =
  'This endpoint needs an OAuth 2.0 access token (Authorization: Bearer <access_token>). ' +
  'A lead form public key only works with POST /v1/leads/create.js.';

type Authenticated = { ok: true; account: TripleseatAccountConfig } | { ok: false; response: SimResponse };

export class TripleseatSimulator {
  readonly clock: SimClock;
  readonly faults: FaultInjector;
  readonly log = new RequestLog();
  /** Webhook endpoints, the lead's life after creation, and signed deliveries (./webhooks.ts). */
  readonly webhooks: TripleseatWebhooks;
  private readonly accounts: TripleseatAccountConfig[];
  private readonly revokedTokens = new Set<string>();
  private readonly store: LeadStore;
  private readonly limiter: SlidingWindowLimiter;
  private readonly validationErrorStatus: 200 | 422;
  private readonly requestsPerSecond: number;
  private readonly oauth: TripleseatOAuthServer;
  private readonly rendering: RestRendering;
  private server: RunningServer | undefined;

  constructor(options: TripleseatSimulatorOptions) {
    const seed = options.seed ?? 42;
    this.clock = options.clock ?? SimClock.real();
    this.faults = new FaultInjector(seed);
    this.accounts = options.accounts.map((account) => ({ ...account }));
    const venueIds = new Set(this.accounts.map((account) => account.venueId));
    if (venueIds.size !== this.accounts.length)
      throw new Error('TripleseatSimulator: venue ids must be unique');
    // Lead ids are large, seed-dependent integers, so nobody mistakes a row index for a lead id.
    this.store = new LeadStore(100_000 + Math.floor(seededRandom(seed)() * 800_000));
    this.requestsPerSecond = options.requestsPerSecond ?? 10;
    this.limiter = new SlidingWindowLimiter(this.clock, this.requestsPerSecond);
    this.validationErrorStatus = options.validationErrorStatus ?? 200;
    this.oauth = new TripleseatOAuthServer(
      this.clock,
      () => this.accounts,
      options.accessTokenLifetimeSeconds ?? 7200,
      seededRandom(seed + 1),
    );
    this.rendering = {
      createdAt: options.createdAtFormat ?? DEFAULT_RENDERING.createdAt,
      utcOffsetMinutes: options.accountUtcOffsetMinutes ?? DEFAULT_RENDERING.utcOffsetMinutes,
    };
    this.webhooks = new TripleseatWebhooks({
      clock: this.clock,
      findLead: (venueId, id) => this.store.find(venueId, id),
      rendering: () => this.rendering,
    });
  }

  async start(): Promise<string> {
    this.server ??= await serveSimulator({
      handle: (request) => this.handle(request),
      faults: this.faults,
      log: this.log,
      clock: this.clock,
      credentialOf: (request) => request.query.get('public_key') ?? bearerToken(request),
    });
    return this.server.url;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** Base URI, e.g. `http://127.0.0.1:PORT` (the real one is `https://api.tripleseat.com`). */
  get url(): string {
    if (!this.server) throw new Error('TripleseatSimulator: call start() first');
    return this.server.url;
  }

  /** Live (not deleted) leads of one venue, oldest first; copies. */
  leads(venueId: string): TripleseatLead[] {
    this.account(venueId);
    return this.store.live(venueId).map((lead) => ({ ...lead }));
  }

  /** Live leads of every venue, oldest first; copies. */
  allLeads(): TripleseatLead[] {
    return this.store.live().map((lead) => ({ ...lead }));
  }

  /**
   * The venue's OAuth access stops working (401 invalid_token), as after a revoked app authorization: the
   * static token and every issued pair, refresh tokens included (a refresh then answers invalid_grant).
   */
  revokeOauth(venueId: string): void {
    const account = this.account(venueId);
    if (account.oauthToken) this.revokedTokens.add(account.oauthToken);
    account.oauthToken = undefined;
    this.oauth.revokeAll(venueId);
  }

  /** A token pair for the venue's OAuth client, as if a customer admin had authorized it earlier. */
  grantOauth(venueId: string): { accessToken: string; refreshToken: string } {
    return this.oauth.grant(venueId, this.oauthClientOf(venueId).clientId);
  }

  /**
   * What a customer admin's consent on the authorize page yields: a one-time code bound to the redirect URI
   * (`GET /oauth2/authorize` does the same over HTTP and redirects with it).
   */
  authorizationCode(venueId: string, redirectUri: string): string {
    return this.oauth.issueCode(venueId, this.oauthClientOf(venueId).clientId, redirectUri);
  }

  /** Every issued access token of the venue answers 401 from now on; refresh tokens keep working. */
  expireAccessTokens(venueId: string): void {
    this.account(venueId);
    this.oauth.expireAccessTokens(venueId);
  }

  /** Refreshes answered, grants refused, refresh tokens still accepted. */
  oauthStats(venueId: string): OAuthServerStats {
    this.account(venueId);
    return this.oauth.statsFor(venueId);
  }

  private oauthClientOf(venueId: string): { clientId: string; clientSecret: string } {
    const client = this.account(venueId).oauthClient;
    if (!client) throw new Error(`TripleseatSimulator: venue ${venueId} has no oauthClient configured`);
    return client;
  }

  /** The venue's lead form key changes; the old key answers 401 from now on. */
  rotatePublicKey(venueId: string, newKey: string): void {
    if (this.accounts.some((account) => account.publicKey === newKey)) {
      throw new Error(`TripleseatSimulator: public key ${newKey} is already in use`);
    }
    this.account(venueId).publicKey = newKey;
  }

  private account(venueId: string): TripleseatAccountConfig {
    const account = this.accounts.find((candidate) => candidate.venueId === venueId);
    if (!account) throw new Error(`TripleseatSimulator: unknown venue ${venueId}`);
    return account;
  }

  private handle(request: SimRequest): SimResponse {
    const { method, path } = request;
    if (method === 'POST' && path === '/v1/leads/create.js') return this.createViaLeadForm(request);
    if (method === 'POST' && path === '/oauth2/token') return this.oauth.token(request);
    if (method === 'GET' && path === '/oauth2/authorize') return this.authorize(request);
    const leadMatch = LEAD_PATH.exec(path);
    const isRest =
      path === '/v1/leads/search.json' ||
      path === '/v1/leads.json' ||
      leadMatch !== null ||
      WEBHOOK_ENDPOINTS_PATH.test(path);
    if (!isRest) return notFound(`No route matches [${method}] "${path}"`);

    const auth = this.authenticateOauth(request);
    if (!auth.ok) return auth.response;
    const limited = this.rateLimit(auth.account);
    if (limited) return limited;
    const venueId = auth.account.venueId;

    if (method === 'GET' && (path === '/v1/leads/search.json' || path === '/v1/leads.json')) {
      const page = Number.parseInt(request.query.get('page') ?? '1', 10);
      if (!Number.isInteger(page) || page < 1) return badRequest('page must be a positive integer');
      const updatedAfter = request.query.get('updated_after');
      if (updatedAfter) {
        return {
          status: 200,
          body: this.webhooks.searchUpdatedAfter(this.store.live(venueId), updatedAfter, page),
        };
      }
      return {
        status: 200,
        body: this.store.search(venueId, request.query.get('query') ?? '', page, this.rendering),
      };
    }
    if (method === 'GET' && WEBHOOK_ENDPOINTS_PATH.test(path)) {
      return { status: 200, body: this.webhooks.endpointsBody(venueId) };
    }
    if (leadMatch) {
      const id = Number(leadMatch[1]);
      if (method === 'GET') {
        const lead = this.store.find(venueId, id);
        return lead
          ? { status: 200, body: { lead: toRestLead(lead, this.rendering) } }
          : notFound(`Lead ${id} not found`);
      }
      if (method === 'DELETE') {
        return this.store.delete(venueId, id, this.clock.now())
          ? { status: 200, body: { success_message: 'Lead was successfully deleted.' } }
          : notFound(`Lead ${id} not found`);
      }
    }
    return notFound(`No route matches [${method}] "${path}"`);
  }

  /** https://support.tripleseat.com/hc/en-us/articles/205161948 */
  private createViaLeadForm(request: SimRequest): SimResponse {
    const publicKey = request.query.get('public_key');
    const account = publicKey
      ? this.accounts.find((candidate) => candidate.publicKey === publicKey)
      : undefined;
    if (!account) {
      return unauthorized(
        'invalid_public_key',
        publicKey ? 'The public key is not valid.' : 'A public_key query parameter is required.',
      );
    }
    const limited = this.rateLimit(account);
    if (limited) return limited;

    const parsed = parseLeadBody(request.rawBody, request.headers['content-type'], request.query);
    if (!parsed.ok) return badRequest(parsed.reason);
    const errors = validateLead(parsed.fields, account);
    if (Object.keys(errors).length > 0) {
      const simple = request.query.get('simple_error_messages') === 'true';
      return {
        status: this.validationErrorStatus,
        body: { errors: simple ? simpleErrorMessages(errors) : errors },
      };
    }
    const lead = this.store.create(account.venueId, parsed.fields, this.clock.now());
    this.webhooks.leadCreated(lead);
    return { status: 200, body: { success_message: 'Lead was successfully created.', lead_id: lead.id } };
  }

  private authenticateOauth(request: SimRequest): Authenticated {
    const token = bearerToken(request);
    if (token) {
      const account = this.accounts.find((candidate) => candidate.oauthToken === token);
      if (account) return { ok: true, account };
      const issued = this.oauth.checkAccess(token);
      if (issued.ok) return { ok: true, account: this.account(issued.venueId) };
      if (issued.reason === 'expired' || issued.reason === 'revoked') {
        const description =
          issued.reason === 'expired' ? 'The access token expired.' : 'The access token was revoked.';
        return { ok: false, response: unauthorized('invalid_token', description) };
      }
      if (this.accounts.some((candidate) => candidate.publicKey === token)) {
        return {
          ok: false,
          response: unauthorized(
            'invalid_token',
            `A lead form public key is not an access token. ${OAUTH_HINT}`,
          ),
        };
      }
      const description = this.revokedTokens.has(token)
        ? 'The access token was revoked.'
        : 'The access token is invalid.';
      return { ok: false, response: unauthorized('invalid_token', description) };
    }
    if (request.query.has('public_key')) {
      return {
        ok: false,
        response: unauthorized('invalid_token', `public_key is not accepted here. ${OAUTH_HINT}`),
      };
    }
    return { ok: false, response: unauthorized('invalid_token', `No access token was given. ${OAUTH_HINT}`) };
  }

  /**
   * The consent page, reduced to what a client sees: the sandbox's admin always approves, and the browser
   * is redirected to `redirect_uri?code=...&state=...`. (The real page lives on Tripleseat's login host.)
   */
  private authorize(request: SimRequest): SimResponse {
    const clientId = request.query.get('client_id');
    const redirectUri = request.query.get('redirect_uri');
    const account = this.accounts.find((candidate) => candidate.oauthClient?.clientId === clientId);
    if (!account || !clientId || !redirectUri || request.query.get('response_type') !== 'code') {
      return badRequest(
        'client_id (a known OAuth application), redirect_uri and response_type=code are required',
      );
    }
    const target = new URL(redirectUri);
    target.searchParams.set('code', this.oauth.issueCode(account.venueId, clientId, redirectUri));
    const state = request.query.get('state');
    if (state) target.searchParams.set('state', state);
    return {
      status: 302,
      headers: { location: target.toString() },
      body: { redirect_to: target.toString() },
    };
  }

  private rateLimit(account: TripleseatAccountConfig): SimResponse | undefined {
    const decision = this.limiter.take(account.venueId);
    if (decision.allowed) return undefined;
    return {
      status: 429,
      headers: { 'retry-after': String(decision.retryAfterSeconds) },
      body: {
        error: 'rate_limited',
        error_description: `Rate limit exceeded: ${this.requestsPerSecond} requests per second.`,
      },
    };
  }
}

function bearerToken(request: SimRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** OAuth 2.0 style (RFC 6750) 401: body and `WWW-Authenticate` say what was wrong. */
function unauthorized(error: string, description: string): SimResponse {
  return {
    status: 401,
    headers: {
      'www-authenticate': `Bearer realm="Tripleseat", error="${error}", error_description="${description}"`,
    },
    body: { error, error_description: description },
  };
}

function notFound(description: string): SimResponse {
  return { status: 404, body: { error: 'not_found', error_description: description } };
}

function badRequest(description: string): SimResponse {
  return { status: 400, body: { error: 'bad_request', error_description: description } };
}
