/**
 * NAIVE BASELINE venue poller: the straightforward loop ("query HubSpot for contacts
 * where the sync flag is true, push them to Tripleseat, reset the flag"), written plainly with the
 * same HubSpot SDK (root `Client`) and fetch:
 *
 * 1. Collect every flagged contact first: search 100 a page, following `paging.next.after`. HubSpot
 *    never pages past 10,000 results, so a larger backlog is silently cut there (recorded as `capped`).
 * 2. For each contact, one after another: GET the contact (basicApi.getById), create the Tripleseat
 *    lead (lead form API), PATCH the flag back to false (basicApi.update).
 * 3. A contact whose call still fails after the retries is logged and skipped (its flag stays set, so
 *    the next run tries it again; a lead created before a failed PATCH is created again then).
 *
 * No pacing, no batching, no ledger, no deadline check; every call through `retryEverything`.
 */
import { Client } from '@hubspot/api-client';
import { retryEverything, type NaiveRuntime } from './retry';

export interface NaivePollerConfig {
  hubspotBaseUrl: string;
  hubspotToken: string;
  /** The venue checkbox's internal name, hard-coded in the original. */
  flagProperty: string;
  tripleseatBaseUrl: string;
  tripleseatPublicKey: string;
}

export interface NaivePollerResult {
  /** HubSpot's total for the search. */
  total: number;
  /** Contacts the paging actually returned (at most 10,000). */
  fetched: number;
  capped: boolean;
  leadsCreated: number;
  flagsReset: number;
  failedContacts: number;
  timedOut: boolean;
}

export async function naivePollerRun(
  config: NaivePollerConfig,
  rt: NaiveRuntime,
): Promise<NaivePollerResult> {
  const hubspot = new Client({ accessToken: config.hubspotToken, basePath: config.hubspotBaseUrl });
  const result: NaivePollerResult = {
    total: 0,
    fetched: 0,
    capped: false,
    leadsCreated: 0,
    flagsReset: 0,
    failedContacts: 0,
    timedOut: false,
  };
  const found = await naiveCollectFlagged(hubspot, config.flagProperty, rt);
  result.total = found.total;
  result.fetched = found.ids.length;
  result.capped = result.fetched < result.total;

  for (const id of found.ids) {
    try {
      const contact = await retryEverything(rt, () =>
        hubspot.crm.contacts.basicApi.getById(id, ['firstname', 'lastname', 'email', 'phone', 'company']),
      );
      const p = contact.properties;
      await retryEverything(rt, async () => {
        const url = `${config.tripleseatBaseUrl}/v1/leads/create.js?public_key=${config.tripleseatPublicKey}`;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            lead: {
              first_name: p['firstname'],
              last_name: p['lastname'],
              email_address: p['email'],
              phone_number: p['phone'],
              company: p['company'] ?? undefined,
            },
          }),
        });
        if (!response.ok) throw new Error(`Tripleseat ${response.status}`);
        await response.text();
      });
      result.leadsCreated += 1;
      await retryEverything(rt, () =>
        hubspot.crm.contacts.basicApi.update(id, { properties: { [config.flagProperty]: 'false' } }),
      );
      result.flagsReset += 1;
    } catch (error) {
      if (error instanceof Error && error.name === 'LambdaTimeout') {
        result.timedOut = true;
        return result;
      }
      result.failedContacts += 1;
    }
  }
  return result;
}

/** Step 1: every flagged contact id, 100 a page, following `paging.next.after` until it stops. */
export async function naiveCollectFlagged(
  hubspot: Client,
  flagProperty: string,
  rt: NaiveRuntime,
): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = 0;
  let after: string | undefined;
  for (;;) {
    const page = await retryEverything(rt, () =>
      hubspot.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: flagProperty, operator: 'EQ' as never, value: 'true' }] }],
        properties: ['email'],
        sorts: [],
        limit: 100,
        ...(after ? { after } : {}),
      }),
    );
    total = page.total;
    ids.push(...page.results.map((contact) => contact.id));
    after = page.paging?.next?.after;
    if (!after) return { ids, total };
  }
}
