/**
 * Tripleseat for one venue: the lead form API (public key) to create leads, and — where the venue has
 * an OAuth token — the REST API to look leads up by email (closing the "lead created, answer lost"
 * window) and to remove duplicates. Response shapes are parsed; see ../shared/api-facts section 3.
 */
import { z } from 'zod';
import { errorFromHttp, errorFromNetwork, redactSecrets } from '../rate-limit/classify';
import { AmbiguousOutcomeError, ApiError, AuthError, PermanentApiError } from '../rate-limit/errors';
import type { ApiCaller } from '../rate-limit/types';
import type { TripleseatLead } from '../sync/lead-mapper';
import type { CreatedLead, ExistingLead, TripleseatPort } from '../sync/ports';

export const TRIPLESEAT_DEFAULT_BASE_URL = 'https://api.tripleseat.com';
const REQUEST_TIMEOUT_MS = 15_000;
/** Statuses that do not prove a write did not happen (503 and 429 mean the request was turned away). */
const MAYBE_PROCESSED = new Set([500, 502, 504]);

export interface TripleseatAccount {
  publicKey: string;
  oauthToken?: string;
  /** Sent as the `lead_form_id` query parameter, as the lead form's setup code does. */
  leadFormId?: string;
  /** @default https://api.tripleseat.com */
  baseUrl?: string;
}

const CreateLeadAnswerSchema = z.union([
  z.object({ errors: z.union([z.record(z.string(), z.array(z.string())), z.array(z.string())]) }),
  z.object({ success_message: z.string().optional(), lead_id: z.union([z.number(), z.string()]).optional() }),
]);

const LeadSchema = z.object({
  id: z.union([z.number(), z.string()]),
  email_address: z.string().nullish(),
  created_at: z.string().nullish(),
});
const LeadSearchAnswerSchema = z.object({
  results: z.array(z.union([z.object({ lead: LeadSchema }), LeadSchema])),
  total_pages: z.number().optional(),
});

export class TripleseatClient implements TripleseatPort {
  private readonly baseUrl: string;

  constructor(
    private readonly account: TripleseatAccount,
    private readonly caller: ApiCaller,
  ) {
    this.baseUrl = (account.baseUrl ?? TRIPLESEAT_DEFAULT_BASE_URL).replace(/\/$/, '');
  }

  get hasOauth(): boolean {
    return Boolean(this.account.oauthToken);
  }

  // https://support.tripleseat.com/hc/en-us/articles/205161948 (Lead Form API endpoint)
  async createLead(lead: TripleseatLead): Promise<CreatedLead> {
    const url = new URL(`${this.baseUrl}/v1/leads/create.js`);
    url.searchParams.set('public_key', this.account.publicKey);
    if (this.account.leadFormId) url.searchParams.set('lead_form_id', this.account.leadFormId);
    // location_id / lead_form_id travel inside the lead (the mapper adds the venue's); the setup-code
    // URL also carries lead_form_id as a query parameter, which we keep.
    const body = { lead };
    const answer = await this.request('POST', url, 'Tripleseat lead form create', {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      notIdempotent: true,
    });
    const result = CreateLeadAnswerSchema.safeParse(answer);
    if (!result.success) {
      // A 2xx we cannot read (e.g. an empty body) may well be a created lead: never re-send it blindly.
      throw new AmbiguousOutcomeError(
        'tripleseat',
        'Tripleseat lead form create: the answer was a success status without a readable body; the lead may or may not exist',
      );
    }
    const parsed = result.data;
    // Tripleseat can answer 200 with `errors`: that is a rejected lead, not a success.
    if ('errors' in parsed) {
      throw new PermanentApiError(
        'tripleseat',
        redactSecrets(`Tripleseat rejected the lead: ${describeErrors(parsed.errors)}`),
        {
          status: 422,
        },
      );
    }
    return { leadId: parsed.lead_id === undefined ? undefined : String(parsed.lead_id) };
  }

  /** Leads whose email matches exactly (the search is full-text: filter its answers). */
  async findLeadsByEmail(email: string): Promise<ExistingLead[]> {
    if (!this.account.oauthToken) throw new Error('findLeadsByEmail needs the venue OAuth token');
    const wanted = email.trim().toLowerCase();
    const found: ExistingLead[] = [];
    for (let page = 1; ; page++) {
      const url = new URL(`${this.baseUrl}/v1/leads/search.json`);
      url.searchParams.set('query', wanted);
      url.searchParams.set('page', String(page));
      const answer = LeadSearchAnswerSchema.parse(
        await this.request('GET', url, 'Tripleseat lead search', {
          headers: { authorization: `Bearer ${this.account.oauthToken}` },
        }),
      );
      for (const item of answer.results) {
        const lead = 'lead' in item ? item.lead : item;
        if (lead.email_address?.trim().toLowerCase() === wanted) {
          found.push({ id: String(lead.id), email: wanted, createdAt: lead.created_at ?? undefined });
        }
      }
      // 50 a page; stop at the last page (or an empty one when total_pages is absent).
      if (answer.results.length === 0 || page >= (answer.total_pages ?? page)) return found;
    }
  }

  async deleteLead(leadId: string): Promise<void> {
    if (!this.account.oauthToken) throw new Error('deleteLead needs the venue OAuth token');
    const url = new URL(`${this.baseUrl}/v1/leads/${encodeURIComponent(leadId)}.json`);
    await this.request('DELETE', url, `Tripleseat delete lead ${leadId}`, {
      headers: { authorization: `Bearer ${this.account.oauthToken}` },
    });
  }

  private request(
    method: string,
    url: URL,
    context: string,
    init: { body?: string; headers?: Record<string, string>; notIdempotent?: boolean },
  ) {
    return this.caller.call('tripleseat', async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { accept: 'application/json', ...init.headers },
          ...(init.body ? { body: init.body } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        const networkError = errorFromNetwork('tripleseat', error, context);
        // A create that may have reached Tripleseat must not be retried blindly: a duplicate lead.
        if (init.notIdempotent && !neverReachedServer(error)) {
          throw new AmbiguousOutcomeError(
            'tripleseat',
            `${context}: the request was sent but no answer came back; the lead may or may not exist`,
            { cause: networkError },
          );
        }
        throw networkError;
      }
      const text = await response.text();
      const body = parseJson(text);
      if (!response.ok) {
        const error = errorFromHttp(
          'tripleseat',
          { status: response.status, headers: Object.fromEntries(response.headers), body },
          context,
        );
        // A server error after the request arrived (500, or a gateway that lost the upstream answer)
        // may come after the lead was saved: retrying the create blindly would be a duplicate lead.
        if (init.notIdempotent && MAYBE_PROCESSED.has(response.status)) {
          throw new AmbiguousOutcomeError(
            'tripleseat',
            `${error.message.replace(/ - temporary failure, will retry$/, '')} - the lead may or may not exist; not re-sent blindly`,
            { status: response.status, cause: error },
          );
        }
        throw error instanceof AuthError ? explainAuth(error, url.pathname) : error;
      }
      return body;
    });
  }
}

/** The 401 that cost the original project a vendor ticket: public key vs OAuth (../shared/origin). */
function explainAuth(error: ApiError, path: string): AuthError {
  const leadForm = path.endsWith('/leads/create.js');
  const hint = leadForm
    ? 'The lead form API authenticates with the venue PUBLIC KEY (Tripleseat: Settings > Lead Forms > View Setup ' +
      "Codes > API Endpoint), not an OAuth token. Check tripleseatPublicKey in this venue's secret, and that the " +
      "lead form belongs to this venue's account and has no captcha."
    : "This Tripleseat REST endpoint needs an OAuth 2.0 bearer token (tripleseatOauthToken in the venue's secret), " +
      "issued by a customer admin of this venue's account with the leads scopes; a lead form public key does not work here.";
  return new AuthError('tripleseat', `${error.message}. ${hint}`, { status: error.status, cause: error });
}

function describeErrors(errors: Record<string, string[]> | string[]): string {
  if (Array.isArray(errors)) return errors.join('; ');
  return Object.entries(errors)
    .map(([field, messages]) => `${field} ${messages.join(', ')}`)
    .join('; ');
}

/** Connection refused / DNS failure: the request provably never reached Tripleseat. */
function neverReachedServer(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return true;
    current = current.cause;
  }
  return false;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
