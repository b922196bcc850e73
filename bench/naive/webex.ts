/**
 * NAIVE BASELINE Webex Events -> HubSpot sync: every run pages every attendee of every event (fetch,
 * GraphQL, 100 a page) and upserts EVERY person into HubSpot, one person at a time, with the basic
 * (single-record) API: create the contact; if HubSpot answers 409 "Contact already exists. Existing
 * ID: N", update contact N. No hash skip, no batching, no pacing, no state between runs. Each
 * person's create-or-update (and each Webex page) goes through `retryEverything`.
 *
 * Mapping is the obvious one with hard-coded internal names; the email is trimmed and lowercased and
 * the status title-cased to the HubSpot option values, so the baseline is not penalised by 400s that
 * our label/type layer would avoid.
 */
import { Client } from '@hubspot/api-client';
import { retryEverything, type NaiveRuntime } from './retry';

export interface NaiveWebexConfig {
  hubspotBaseUrl: string;
  hubspotToken: string;
  webexUrl: string;
  webexToken: string;
  eventIds: readonly number[];
}

export interface NaiveWebexResult {
  pages: number;
  attendees: number;
  created: number;
  updated: number;
  failed: number;
  skippedNoEmail: number;
  timedOut: boolean;
}

const ATTENDEES = `query NaiveAttendees($eventId: Int!, $after: String) {
  event(id: $eventId) { name }
  attendeesConnection(eventId: $eventId, first: 100, after: $after) {
    nodes { id email profile { firstName lastName company } registrationStatus checkedIn ticketName }
    pageInfo { endCursor hasNextPage }
  }
}`;

interface Attendee {
  email?: string | null;
  profile: { firstName?: string | null; lastName?: string | null; company?: string | null };
  registrationStatus?: string | null;
  checkedIn?: boolean | null;
  ticketName?: string | null;
}

interface PageData {
  event: { name: string } | null;
  attendeesConnection: { nodes: Attendee[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
}

export async function naiveWebexRun(config: NaiveWebexConfig, rt: NaiveRuntime): Promise<NaiveWebexResult> {
  const hubspot = new Client({ accessToken: config.hubspotToken, basePath: config.hubspotBaseUrl });
  const result: NaiveWebexResult = {
    pages: 0,
    attendees: 0,
    created: 0,
    updated: 0,
    failed: 0,
    skippedNoEmail: 0,
    timedOut: false,
  };
  try {
    for (const eventId of config.eventIds) {
      let after: string | null = null;
      for (;;) {
        const data = await retryEverything(rt, () => webexPage(config, eventId, after));
        result.pages += 1;
        for (const attendee of data.attendeesConnection.nodes) {
          result.attendees += 1;
          const email = attendee.email?.trim().toLowerCase();
          if (!email) {
            result.skippedNoEmail += 1;
            continue;
          }
          const properties = toProperties(email, attendee, data.event?.name ?? '');
          try {
            const outcome = await retryEverything(rt, () => upsertPerson(hubspot, properties));
            if (outcome === 'created') result.created += 1;
            else result.updated += 1;
          } catch (error) {
            if (error instanceof Error && error.name === 'LambdaTimeout') throw error;
            result.failed += 1;
          }
        }
        const { endCursor, hasNextPage } = data.attendeesConnection.pageInfo;
        if (!hasNextPage || !endCursor) break;
        after = endCursor;
      }
    }
  } catch (error) {
    if (!(error instanceof Error && error.name === 'LambdaTimeout')) throw error;
    result.timedOut = true;
  }
  return result;
}

async function webexPage(config: NaiveWebexConfig, eventId: number, after: string | null): Promise<PageData> {
  const response = await fetch(config.webexUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.webexToken}` },
    body: JSON.stringify({ query: ATTENDEES, variables: { eventId, after } }),
  });
  if (!response.ok) throw new Error(`Webex ${response.status}`);
  const body = (await response.json()) as { data?: PageData; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error('Webex GraphQL error');
  return body.data;
}

async function upsertPerson(
  hubspot: Client,
  properties: Record<string, string>,
): Promise<'created' | 'updated'> {
  try {
    await hubspot.crm.contacts.basicApi.create({ properties, associations: [] });
    return 'created';
  } catch (error) {
    const existing = /Existing ID: (\d+)/.exec(
      String((error as { body?: { message?: string } }).body?.message),
    );
    if ((error as { code?: number }).code !== 409 || !existing?.[1]) throw error;
    await hubspot.crm.contacts.basicApi.update(existing[1], { properties });
    return 'updated';
  }
}

function toProperties(email: string, a: Attendee, eventName: string): Record<string, string> {
  const status = a.registrationStatus ?? '';
  const properties: Record<string, string> = {
    email,
    firstname: a.profile.firstName ?? '',
    lastname: a.profile.lastName ?? '',
    company: a.profile.company ?? '',
    webex_event_name: eventName,
    webex_checked_in: a.checkedIn ? 'true' : 'false',
    webex_ticket: a.ticketName ?? '',
  };
  if (status) properties['webex_registration_status'] = status.charAt(0) + status.slice(1).toLowerCase();
  return properties;
}
