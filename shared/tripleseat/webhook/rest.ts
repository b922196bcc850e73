/**
 * The read-only Tripleseat REST calls the lead outcomes need, with the venue's OAuth 2.0 access: leads
 * changed since a time (the nightly reconcile) and the site's webhook endpoints (`venue-sync doctor`).
 * Answers are parsed with zod; unknown fields are kept for deliveryFromRestLead.
 */
import { z } from 'zod';
import { errorFromHttp, errorFromNetwork } from '../../rate-limit/classify';
import { AuthError } from '../../rate-limit/errors';
import type { ApiCaller } from '../../rate-limit/types';
import type { AccessTokenSource } from '../oauth';

const REQUEST_TIMEOUT_MS = 15_000;

const LeadPageSchema = z.object({
  results: z.array(z.unknown()),
  total_pages: z.number().optional(),
});

export const WebhookEndpointSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  url: z.string().nullish(),
  failed_count: z.number().nullish(),
  disabled_at: z.string().nullish(),
});
export type TripleseatWebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;
const EndpointItemSchema = z.union([
  z.object({ webhook_endpoint: WebhookEndpointSchema }).transform((item) => item.webhook_endpoint),
  WebhookEndpointSchema,
]);
/** `{webhook_endpoints: [...]}` or a bare list; items root-wrapped or not (assumed, like the leads API). */
const EndpointListSchema = z.union([
  z
    .object({ webhook_endpoints: z.array(EndpointItemSchema) })
    .transform((answer) => answer.webhook_endpoints),
  z.array(EndpointItemSchema),
]);

export class TripleseatLeadReader {
  private readonly baseUrl: string;

  constructor(private readonly options: { baseUrl: string; tokens: AccessTokenSource; caller: ApiCaller }) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
  }

  /** Every lead changed at or after `sinceMs`, as raw records (50 a page, every page). */
  // https://support.tripleseat.com/hc/en-us/articles/212528787 (API Leads Endpoint: search; updated_after)
  async leadsUpdatedAfter(sinceMs: number, locationId?: string): Promise<unknown[]> {
    const leads: unknown[] = [];
    for (let page = 1; ; page++) {
      const url = new URL(`${this.baseUrl}/v1/leads/search.json`);
      url.searchParams.set('updated_after', new Date(sinceMs).toISOString());
      if (locationId) url.searchParams.set('location_id', locationId);
      url.searchParams.set('page', String(page));
      const answer = LeadPageSchema.parse(await this.get(url, 'Tripleseat leads updated since'));
      leads.push(...answer.results);
      if (answer.results.length === 0 || page >= (answer.total_pages ?? page)) return leads;
    }
  }

  /** The site's webhook endpoints with their failure count and disabled time. */
  // https://support.tripleseat.com/hc/en-us/articles/40075780832919 (API Webhooks: webhook_endpoints)
  async webhookEndpoints(siteId: string): Promise<TripleseatWebhookEndpoint[]> {
    const url = new URL(`${this.baseUrl}/api/v1/sites/${encodeURIComponent(siteId)}/webhook_endpoints`);
    return EndpointListSchema.parse(await this.get(url, 'Tripleseat webhook endpoints'));
  }

  /** A GET with the bearer token; after a 401, once more with a refreshed token. */
  private async get(url: URL, context: string): Promise<unknown> {
    const token = await this.options.tokens.accessToken();
    try {
      return await this.send(url, context, token);
    } catch (error) {
      if (!(error instanceof AuthError) || error.status !== 401) throw error;
      const next = await this.options.tokens.afterUnauthorized(token);
      if (next === undefined) throw error;
      return this.send(url, context, next);
    }
  }

  private send(url: URL, context: string, bearer: string): Promise<unknown> {
    return this.options.caller.call('tripleseat', async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { accept: 'application/json', authorization: `Bearer ${bearer}` },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw errorFromNetwork('tripleseat', error, context);
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = { message: text.slice(0, 200) };
      }
      if (!response.ok) {
        throw errorFromHttp(
          'tripleseat',
          { status: response.status, headers: Object.fromEntries(response.headers), body },
          context,
        );
      }
      return body;
    });
  }
}
