/**
 * Tripleseat for one venue: the lead form API (public key) to create leads, and — where the venue has
 * OAuth 2.0 access — the REST API to look leads up by email (closing the "lead created, answer lost"
 * window) and to remove duplicates. Response shapes are parsed; the vendor facts relied on are in
 * docs/runbook.md ("Tripleseat OAuth") and sandbox/tripleseat/README.md.
 */
import { z } from 'zod';
import { errorFromHttp, errorFromNetwork, redactSecrets } from '../rate-limit/classify';
import { AmbiguousOutcomeError, ApiError, AuthError, PermanentApiError } from '../rate-limit/errors';
import type { ApiCaller } from '../rate-limit/types';
import type { TripleseatLead } from '../sync/lead-mapper';
import type { CreatedLead, ExistingLead, TripleseatPort } from '../sync/ports';
import { parseCreatedAt } from './created-at';
import { StaticAccessToken, type AccessTokenSource } from './oauth';

export const TRIPLESEAT_DEFAULT_BASE_URL = 'https://api.tripleseat.com';
const REQUEST_TIMEOUT_MS = 15_000;
/** Statuses that do not prove a write did not happen (503 and 429 mean the request was turned away). */
const MAYBE_PROCESSED = new Set([500, 502, 504]);

export interface TripleseatAccount {
  publicKey: string;
  /** A static OAuth 2.0 access token (no refresh). Ignored when `tokens` is given. */
  oauthToken?: string;
  /** Where REST calls get their bearer token (a refreshing source, see ./oauth.ts). */
  tokens?: AccessTokenSource;
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
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone_number: z.string().nullish(),
});
type TripleseatRestLead = z.infer<typeof LeadSchema>;
const LeadSearchAnswerSchema = z.object({
  results: z.array(z.union([z.object({ lead: LeadSchema }), LeadSchema])),
  total_pages: z.number().optional(),
});

export class TripleseatClient implements TripleseatPort {
  private readonly baseUrl: string;
  private readonly tokens: AccessTokenSource | undefined;

  constructor(
    private readonly account: TripleseatAccount,
    private readonly caller: ApiCaller,
  ) {
    this.baseUrl = (account.baseUrl ?? TRIPLESEAT_DEFAULT_BASE_URL).replace(/\/$/, '');
    this.tokens =
      account.tokens ?? (account.oauthToken ? new StaticAccessToken(account.oauthToken) : undefined);
  }

  get hasOauth(): boolean {
    return this.tokens !== undefined;
  }

  /** 'refreshing' (client id/secret + stored pair), 'static' (a fixed token), or undefined (none). */
  get oauthKind(): AccessTokenSource['kind'] | undefined {
    return this.tokens?.kind;
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
  // https://support.tripleseat.com/hc/en-us/articles/212528787 (API Leads Endpoint: fields, search)
  async findLeadsByEmail(email: string): Promise<ExistingLead[]> {
    const wanted = email.trim().toLowerCase();
    const found: ExistingLead[] = [];
    for (let page = 1; ; page++) {
      const url = new URL(`${this.baseUrl}/v1/leads/search.json`);
      url.searchParams.set('query', wanted);
      url.searchParams.set('page', String(page));
      const answer = LeadSearchAnswerSchema.parse(
        await this.authorized('GET', url, 'Tripleseat lead search', 'findLeadsByEmail'),
      );
      for (const item of answer.results) {
        const lead = 'lead' in item ? item.lead : item;
        if (lead.email_address?.trim().toLowerCase() === wanted) found.push(toExistingLead(lead, wanted));
      }
      // 50 a page; stop at the last page (or an empty one when total_pages is absent).
      if (answer.results.length === 0 || page >= (answer.total_pages ?? page)) return found;
    }
  }

  // https://support.tripleseat.com/hc/en-us/articles/212528787 (API Leads Endpoint)
  async deleteLead(leadId: string): Promise<void> {
    const url = new URL(`${this.baseUrl}/v1/leads/${encodeURIComponent(leadId)}.json`);
    await this.authorized('DELETE', url, `Tripleseat delete lead ${leadId}`, 'deleteLead');
  }

  /**
   * The `created_at` of the newest lead the account shows (read-only; for `doctor --probe`). Reads the
   * first page asking for newest first and, when there are more pages, the last one too, so the answer is
   * right whichever way the server orders; the newest is the highest id (ids grow with creation).
   */
  // https://support.tripleseat.com/hc/en-us/articles/212528787 (API Leads Endpoint: search, pages of 50)
  async newestLeadCreatedAt(): Promise<{ leadId: string; createdAt: string | undefined } | undefined> {
    const page = async (number: number) => {
      const url = new URL(`${this.baseUrl}/v1/leads/search.json`);
      url.searchParams.set('order', 'created_at');
      url.searchParams.set('sort_direction', 'desc');
      url.searchParams.set('page', String(number));
      return LeadSearchAnswerSchema.parse(
        await this.authorized('GET', url, 'Tripleseat newest leads', 'newestLeadCreatedAt'),
      );
    };
    const first = await page(1);
    const pages = [first];
    if ((first.total_pages ?? 1) > 1) pages.push(await page(first.total_pages ?? 1));
    const leads = pages.flatMap((answer) =>
      answer.results.map((item) => ('lead' in item ? item.lead : item)),
    );
    const newest = newestById(leads);
    return newest && { leadId: String(newest.id), createdAt: newest.created_at ?? undefined };
  }

  /** A REST call with the venue's bearer token; after a 401, once more with a refreshed token. */
  private async authorized(method: string, url: URL, context: string, operation: string): Promise<unknown> {
    if (!this.tokens) throw new Error(`${operation} needs the venue's Tripleseat OAuth access`);
    const token = await this.tokens.accessToken();
    const send = (bearer: string) =>
      this.request(method, url, context, { headers: { authorization: `Bearer ${bearer}` } });
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof AuthError) || error.status !== 401) throw error;
      // Expired early, revoked by another refresher's rotation, or clock skew: one refresh, one retry.
      const next = await this.tokens.afterUnauthorized(token);
      if (next === undefined) throw error;
      return send(next);
    }
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

/** The 401 that once cost a vendor ticket: public key vs OAuth, said plainly in the error. */
function explainAuth(error: ApiError, path: string): AuthError {
  const leadForm = path.endsWith('/leads/create.js');
  const hint = leadForm
    ? 'The lead form API authenticates with the venue PUBLIC KEY (Tripleseat: Settings > Lead Forms > View Setup ' +
      "Codes > API Endpoint), not an OAuth token. Check tripleseatPublicKey in this venue's secret, and that the " +
      "lead form belongs to this venue's account and has no captcha."
    : 'This Tripleseat REST endpoint needs an OAuth 2.0 bearer token (tripleseatClientId/tripleseatClientSecret ' +
      "with a stored pair from 'venue-sync tripleseat-auth <venue>', or a static tripleseatOauthToken in the venue's secret), " +
      "issued by a customer admin of this venue's account with the leads scopes; a lead form public key does not work here.";
  return new AuthError('tripleseat', `${error.message}. ${hint}`, { status: error.status, cause: error });
}

/** What the lookup needs from a Tripleseat lead, whatever format its `created_at` came in. */
export function toExistingLead(lead: TripleseatRestLead, email: string): ExistingLead {
  const window = parseCreatedAt(lead.created_at).window;
  const firstName = nonBlank(lead.first_name);
  const lastName = nonBlank(lead.last_name);
  const phone = nonBlank(lead.phone_number);
  return {
    id: String(lead.id),
    email,
    createdAt: lead.created_at ?? undefined,
    ...(window ? { createdWindow: window } : {}),
    ...(firstName ? { firstName } : {}),
    ...(lastName ? { lastName } : {}),
    ...(phone ? { phone } : {}),
  };
}

function nonBlank(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function newestById(leads: TripleseatRestLead[]): TripleseatRestLead | undefined {
  const numeric = (lead: TripleseatRestLead) => Number(lead.id);
  return leads.reduce<TripleseatRestLead | undefined>(
    (newest, lead) => (newest === undefined || numeric(lead) > numeric(newest) ? lead : newest),
    undefined,
  );
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
