/**
 * The HubSpot calls the CLI needs beyond the engines' ports: property groups and property creation
 * (setup), token introspection (doctor), contacts by email and plain reads (status, replay, dedupe).
 * Every call goes through the shared ApiCaller; every answer used is parsed.
 */
import { z } from 'zod';
import { hubspotCall } from '../shared/hubspot/call';
import { HubSpotContacts, chunks, BATCH_LIMIT } from '../shared/hubspot/contacts';
import type { HubSpotApis } from '../shared/hubspot/sdk';
import { errorFromHttp, errorFromNetwork } from '../shared/rate-limit/classify';
import type { VenueSyncApiCaller } from '../shared/rate-limit';
import type { PropertySpec } from '../shared/setup/venue-properties';

const GroupSchema = z.object({ name: z.string(), label: z.string() });

const TokenInfoSchema = z.looseObject({
  scopes: z.array(z.string()),
  hubId: z.number().optional(),
  appId: z.number().optional(),
  userId: z.number().optional(),
});
export type HubSpotTokenInfo = z.infer<typeof TokenInfoSchema>;

const ContactSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
});
export type HubSpotContactRecord = z.infer<typeof ContactSchema>;

export class HubSpotAdmin extends HubSpotContacts {
  constructor(
    private readonly sdk: HubSpotApis,
    private readonly apiCaller: VenueSyncApiCaller,
    private readonly connection: { token: string; baseUrl: string },
  ) {
    super(sdk, apiCaller);
  }

  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/groups/get-crm-v3-properties-objectType-groups
  async listGroups(): Promise<Array<{ name: string; label: string }>> {
    const answer = await hubspotCall(this.apiCaller, 'hubspot', 'HubSpot list property groups', () =>
      this.sdk.groups.getAll('contacts'),
    );
    return z.array(GroupSchema).parse(JSON.parse(JSON.stringify(answer.results)));
  }

  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/groups/post-crm-v3-properties-objectType-groups
  async createGroup(group: { name: string; label: string }): Promise<void> {
    await hubspotCall(this.apiCaller, 'hubspot', `HubSpot create property group ${group.name}`, () =>
      this.sdk.groups.create('contacts', { name: group.name, label: group.label, displayOrder: -1 }),
    );
  }

  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/post-crm-v3-properties-objectType
  async createProperty(spec: PropertySpec): Promise<void> {
    await hubspotCall(this.apiCaller, 'hubspot', `HubSpot create property ${spec.name}`, () =>
      this.sdk.properties.create(
        'contacts',
        // The SDK's enums are the same strings as PropertySpec's literal types.
        spec as unknown as Parameters<HubSpotApis['properties']['create']>[1],
      ),
    );
  }

  /**
   * Token introspection: which portal and scopes a private-app token has. Needs no scope.
   * `POST /oauth/v2/private-apps/get/access-token-info` {tokenKey} -> {hubId, appId, userId, scopes}
   * https://developers.hubspot.com/docs/api/private-apps
   * The token also goes in `Authorization: Bearer`: EU-hosted tokens (`pat-eu1-...`) are refused without
   * it, while US tokens work either way (docs/architecture.md, "HubSpot token info").
   */
  async tokenInfo(): Promise<HubSpotTokenInfo> {
    const url = `${this.connection.baseUrl.replace(/\/$/, '')}/oauth/v2/private-apps/get/access-token-info`;
    const body = await this.apiCaller.call('hubspot', async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            authorization: `Bearer ${this.connection.token}`,
          },
          body: JSON.stringify({ tokenKey: this.connection.token }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw errorFromNetwork('hubspot', error, 'HubSpot token info');
      }
      const text = await response.text();
      const parsed: unknown = text === '' ? undefined : safeJson(text);
      if (!response.ok) {
        throw errorFromHttp(
          'hubspot',
          { status: response.status, headers: Object.fromEntries(response.headers), body: parsed },
          'HubSpot token info',
        );
      }
      return parsed;
    });
    return TokenInfoSchema.parse(body);
  }

  /** Contact ids whose email is exactly `email` (HubSpot stores emails lowercased). */
  async findContactIdsByEmail(email: string): Promise<string[]> {
    const answer = await hubspotCall(this.apiCaller, 'hubspot-search', 'HubSpot search by email', () =>
      this.sdk.search.doSearch({
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: 'EQ', value: email.trim().toLowerCase() }] },
        ],
        properties: ['email'],
        limit: 10,
        after: '0',
      } as unknown as Parameters<HubSpotApis['search']['doSearch']>[0]),
    );
    return answer.results.map((contact) => contact.id);
  }

  /** Plain batch read (no history), 100 a call; unknown ids are simply absent. */
  async readContacts(ids: readonly string[], properties: readonly string[]): Promise<HubSpotContactRecord[]> {
    const found: HubSpotContactRecord[] = [];
    for (const chunk of chunks([...new Set(ids)], BATCH_LIMIT)) {
      const answer = await hubspotCall(
        this.apiCaller,
        'hubspot',
        `HubSpot batch read of ${chunk.length}`,
        () =>
          this.sdk.batch.read({
            inputs: chunk.map((id) => ({ id })),
            properties: [...properties],
            propertiesWithHistory: [],
          }),
      );
      for (const contact of answer.results) {
        found.push(ContactSchema.parse({ id: contact.id, properties: { ...contact.properties } }));
      }
    }
    return found;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}
