/**
 * A venue's leads sent to a booking system that is not Tripleseat, described entirely by configuration
 * (shared/config/destination.ts): the body is rendered from the mapped lead, the answer is classified by
 * the venue's rules, and every create carries an Idempotency-Key derived from the request's ledger key.
 * With a lookup configured, a create whose answer was lost is looked up by email before anything is
 * re-sent (as Tripleseat's OAuth search does); without one, such a request is quarantined for a person.
 *
 * Calls go through the poller's booking-system lane of the ApiCaller (named 'tripleseat' there): pacing
 * and the one retry policy apply, which retries only answers classed as turned away.
 */
import type { HttpDestinationConfig } from '../config/destination';
import { errorFromNetwork, redactSecrets } from '../rate-limit/classify';
import {
  AmbiguousOutcomeError,
  AuthError,
  PermanentApiError,
  TransientApiError,
  UnexpectedResponseError,
} from '../rate-limit/errors';
import type { ApiCaller } from '../rate-limit/types';
import type { TripleseatLead } from '../sync/lead-mapper';
import type { CreatedLead, ExistingLead, LeadDestination, LeadRequest } from '../sync/ports';
import { authHeaders } from './auth';
import { classifyCreateAnswer } from './classify';
import { leadFields } from './fields';
import { idempotencyKeyOf } from './idempotency';
import { leadsFromLookupAnswer } from './lookup';
import { renderBody } from './template';

const REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** The lane every destination call is paced and retried in (see the module comment). */
const LANE = 'tripleseat';

export interface HttpDestinationOptions {
  venueId: string;
  config: HttpDestinationConfig;
  /** The `destination` object of the venue's secret. */
  secrets: Readonly<Record<string, string>>;
  /** Labels the venue lists under additional_information (template fields by label). */
  labels: readonly string[];
  caller: ApiCaller;
  /** Replaces the scheme, host and port of the configured URLs (the sandbox's platform server). */
  baseUrl?: string;
}

/** What a create would send, without credentials (the dry run shows it). */
export interface CreatePreview {
  method: string;
  url: string;
  body: unknown;
}

export class HttpDestination implements LeadDestination {
  readonly name: string;
  readonly noLookUpReason: string;
  readonly findLeadsByEmail?: (email: string) => Promise<ExistingLead[]>;
  private readonly auth: Record<string, string>;

  constructor(private readonly options: HttpDestinationOptions) {
    const { config } = options;
    this.name = config.name;
    this.noLookUpReason = `${config.name} has no lookup configured for this venue`;
    this.auth = authHeaders(config.auth, options.secrets, options.venueId);
    // Checked before any call: credentials never travel in clear outside the loopback sandbox.
    this.url(config.url);
    if (config.lookup) this.findLeadsByEmail = (email) => this.lookUp(email);
  }

  /** The body and target of a create, or the reason the lead would be refused (pure, for the dry run). */
  preview(lead: TripleseatLead): CreatePreview | { refused: string } {
    const rendered = renderBody(this.options.config.body, leadFields(lead, this.options.labels));
    if (!rendered.ok) return { refused: rendered.reason };
    return { method: this.method, url: this.url(this.options.config.url).toString(), body: rendered.body };
  }

  // The platform's REST API is known from its integrators, not published: the endpoint, auth and answer
  // shapes are the venue's configuration (docs/adding-a-venue-on-another-platform.md).
  async createLead(lead: TripleseatLead, request?: LeadRequest): Promise<CreatedLead> {
    const preview = this.preview(lead);
    if ('refused' in preview) {
      throw new PermanentApiError(LANE, `${this.name} rejected the lead: ${preview.refused}`, {
        status: 422,
      });
    }
    const context = `${this.name} create`;
    const headers: Record<string, string> = {
      ...this.auth,
      'content-type': 'application/json',
      ...(request
        ? {
            [this.options.config.idempotencyHeader ?? DEFAULT_IDEMPOTENCY_HEADER]: idempotencyKeyOf(
              request.key,
            ),
          }
        : {}),
    };
    return this.options.caller.call(LANE, async () => {
      const answer = await this.send(
        context,
        this.method,
        new URL(preview.url),
        headers,
        JSON.stringify(preview.body),
        true,
      );
      const result = classifyCreateAnswer(this.options.config, answer.status, answer.body);
      switch (result.kind) {
        case 'created':
          return { leadId: result.leadId };
        case 'rejected':
          throw new PermanentApiError(
            LANE,
            redactSecrets(`${this.name} rejected the lead: ${result.reason}`),
            {
              status: answer.status,
            },
          );
        case 'retryable':
          throw new TransientApiError(LANE, `${context}: turned away (${result.why}); nothing was stored`, {
            status: answer.status,
          });
        case 'auth':
          throw new AuthError(
            LANE,
            `${context}: credentials refused (${result.why}); check the "destination" keys of the venue's secret`,
            { status: answer.status },
          );
        case 'ambiguous':
          throw new AmbiguousOutcomeError(
            LANE,
            `${context}: answered ${result.why}, which no rule classes; the lead may or may not exist, not re-sent blindly`,
            { status: answer.status },
          );
      }
    });
  }

  private async lookUp(email: string): Promise<ExistingLead[]> {
    const lookup = this.options.config.lookup;
    if (!lookup) return [];
    const url = this.url(lookup.url.replace('{email}', encodeURIComponent(email.trim().toLowerCase())));
    const context = `${this.name} lead lookup`;
    return this.options.caller.call(LANE, async () => {
      const answer = await this.send(context, 'GET', url, { ...this.auth }, undefined, false);
      if (answer.status === 401 || answer.status === 403) {
        throw new AuthError(LANE, `${context}: credentials refused (HTTP ${answer.status})`, {
          status: answer.status,
        });
      }
      if (answer.status >= 500 || answer.status === 429) {
        throw new TransientApiError(LANE, `${context}: HTTP ${answer.status}`, { status: answer.status });
      }
      if (answer.status < 200 || answer.status >= 300) {
        throw new UnexpectedResponseError(LANE, `${context}: HTTP ${answer.status}`, {
          status: answer.status,
        });
      }
      return leadsFromLookupAnswer(lookup, answer.body, email);
    });
  }

  private get method(): string {
    return this.options.config.method ?? 'POST';
  }

  /** The configured URL, on the sandbox's server when one is given; https unless on loopback. */
  private url(configured: string): URL {
    const url = new URL(configured);
    if (this.options.baseUrl) {
      const base = new URL(this.options.baseUrl);
      url.protocol = base.protocol;
      url.host = base.host;
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
      throw new Error(
        `venue '${this.options.venueId}': ${this.name} URL must use https (got ${url.protocol})`,
      );
    }
    return url;
  }

  /** One HTTP exchange. Network failures: turned away if it never left, else maybe processed. */
  private async send(
    context: string,
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    notIdempotent: boolean,
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...headers },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const networkError = errorFromNetwork(LANE, error, context);
      if (notIdempotent && !neverReachedServer(error)) {
        throw new AmbiguousOutcomeError(
          LANE,
          `${context}: the request was sent but no answer came back; the lead may or may not exist`,
          { cause: networkError },
        );
      }
      throw networkError;
    }
    const text = await response.text().catch(() => '');
    return { status: response.status, body: parseJson(text) };
  }
}

/** Connection refused / DNS failure: the request provably never reached the platform. */
function neverReachedServer(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code: unknown = Reflect.get(current, 'code');
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return true;
    current = current.cause;
  }
  return false;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 200);
  }
}
