/**
 * The reading side of `doctor --probe`: one read-only look per vendor, returning raw observations for
 * ops/probe/classify.ts to judge. Nothing here creates, changes or deletes vendor data; the one write is a
 * Tripleseat token refresh, whose new pair is stored before use exactly as the poller stores it.
 */
import { z } from 'zod';
import type { VenueConfig } from '../../shared/config/app-config';
import { hubspotCall } from '../../shared/hubspot/call';
import type { HubSpotApis } from '../../shared/hubspot/sdk';
import type { VenueSyncApiCaller } from '../../shared/rate-limit';
import type { HubSpotProperty } from '../../shared/schema';
import { matchLabel } from '../../shared/schema';
import type { Credentials } from '../../shared/runtime/credentials';
import { TripleseatClient } from '../../shared/tripleseat/client';
import { TRIPLESEAT_OAUTH_PROVIDER } from '../../shared/tripleseat/oauth';
import { probeTripleseat, type TripleseatProbe } from '../../shared/tripleseat/probe';
import type { WebexClient } from '../../shared/webex/client';
import type { WebexField } from '../../shared/webex/fields';
import { mappedWebexFields } from '../../shared/webex/field-report';
import { planEventsQuery } from '../../shared/webex/query-plan';
import type { OpsContext } from '../context';

// ---- Webex Events ------------------------------------------------------------------------------

export interface WebexObservation {
  needed: WebexField[];
  missing: WebexField[];
  attendees: { list: 'nodes' | 'edges'; totalCount: boolean };
  events: { list: 'nodes' | 'edges'; totalCount: boolean };
}

/** One introspection (cached by the client): the attendee and event connections and the mapped fields. */
// https://public-api.socio.events/docs/2024-06/api/start (GraphQL introspection of the public API)
export async function observeWebex(
  client: WebexClient,
  fieldMap: Readonly<Record<string, string>>,
): Promise<WebexObservation> {
  const needed = mappedWebexFields(fieldMap);
  const plan = await client.attendeePlan(needed);
  const events = planEventsQuery(await client.schema());
  return {
    needed,
    missing: plan.missing,
    attendees: { list: plan.list, totalCount: plan.totalCount },
    events: { list: events.list, totalCount: events.totalCount },
  };
}

// ---- HubSpot -----------------------------------------------------------------------------------

export interface HubSpotObservation {
  /** The property carrying the venue's flag label exactly, whatever its type. */
  flagProperty: Pick<HubSpotProperty, 'name' | 'type' | 'fieldType'> | undefined;
  /** The flag's history on one flagged contact, as served; undefined when none is flagged. */
  history: Array<{ value: string; timestamp: string }> | undefined;
  historyWhy?: string;
  /** Headers of an ordinary (non-search) CRM answer. */
  headers: Record<string, string>;
}

const HistoryEntrySchema = z.object({
  value: z.string(),
  // The SDK turns the ISO string into a Date; both are accepted.
  timestamp: z.union([z.date(), z.string()]).transform((at) => new Date(at).toISOString()),
});
const HistoryReadSchema = z.object({
  results: z.array(
    z.looseObject({
      id: z.string(),
      propertiesWithHistory: z.record(z.string(), z.array(HistoryEntrySchema)).optional(),
    }),
  ),
});
const HeadersSchema = z.record(z.string(), z.string());

export async function observeHubSpot(
  apis: HubSpotApis,
  caller: VenueSyncApiCaller,
  venue: VenueConfig,
  properties: readonly HubSpotProperty[],
  searchFlagged: (flagProperty: string) => Promise<string[]>,
): Promise<HubSpotObservation> {
  // Exact label, any type: the probe reports a wrong type instead of failing to find the flag.
  const match = matchLabel(venue.syncFlagLabel, properties, { exactOnly: true });
  const flag = match.ok ? match.property : undefined;
  const flagged = flag && flag.type === 'bool' ? await searchFlagged(flag.name) : [];
  const firstId = flagged[0];
  if (flag && firstId) {
    // https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-read
    const answer = await hubspotCall(caller, 'hubspot', `HubSpot history read of contact ${firstId}`, () =>
      apis.batch.readWithHttpInfo({
        inputs: [{ id: firstId }],
        properties: [flag.name],
        propertiesWithHistory: [flag.name],
      }),
    );
    const read = HistoryReadSchema.parse(answer.data);
    return {
      flagProperty: flag,
      history: read.results[0]?.propertiesWithHistory?.[flag.name] ?? [],
      headers: HeadersSchema.parse(answer.headers),
    };
  }
  // https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts
  const page = await hubspotCall(caller, 'hubspot', 'HubSpot read of one contact (rate-limit headers)', () =>
    apis.basic.getPageWithHttpInfo(1, undefined, ['email']),
  );
  return {
    flagProperty: flag,
    history: undefined,
    historyWhy: flag
      ? `no contact has '${venue.syncFlagLabel}' ticked`
      : `no property is labelled '${venue.syncFlagLabel}'`,
    headers: HeadersSchema.parse(page.headers),
  };
}

// ---- Tripleseat --------------------------------------------------------------------------------

export interface TripleseatObservation {
  probe: TripleseatProbe;
  /** The issued access token's lifetime (s), read from the stored pair after a refresh. */
  lifetimeSeconds: number | undefined;
}

/** The refresh (when the venue has an OAuth client) and the newest lead's `created_at`. */
export async function observeTripleseat(
  ctx: OpsContext,
  venue: VenueConfig,
  credentials: Credentials,
): Promise<TripleseatObservation> {
  const tokens = ctx.tripleseatTokens(venue, credentials);
  const client = new TripleseatClient(
    {
      publicKey: credentials.tripleseatPublicKey ?? '',
      baseUrl: ctx.env.TRIPLESEAT_BASE_URI,
      ...(tokens ? { tokens } : {}),
    },
    ctx.caller,
  );
  const probe = await probeTripleseat(client, tokens);
  let lifetimeSeconds: number | undefined;
  if (probe.refresh.status === 'ok') {
    const pair = await ctx.oauthTokenStore.read(venue.id, TRIPLESEAT_OAUTH_PROVIDER);
    if (pair) lifetimeSeconds = (pair.expiresAtMs - pair.issuedAtMs) / 1000;
  }
  return { probe, lifetimeSeconds };
}
