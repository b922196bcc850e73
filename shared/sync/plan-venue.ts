/**
 * A read-only plan of what the venue's next poll would do (`venue-sync run <venue> --dry-run`). It walks
 * the same steps as pollVenue (label resolution, flag search, flag history read, ledger lookup, lead
 * mapper) but claims nothing, creates nothing and writes nothing: ledger entries are read with
 * `getLedger`, never claimed. The plan names contacts by id and lead fields by name only; it carries no
 * personal data.
 */
import { keys, type LedgerEntry, type LedgerKey, type ReconciliationStore } from '../reconciliation';
import { mapContactToLead } from './lead-mapper';
import { QUARANTINED_REASON, decidedOutcome, flagSetAtOf, statusText, type Outcome } from './outcome';
import type { VenueRuntimeConfig } from './poll-venue';
import type { HubSpotContactsPort } from './ports';
import { resolveVenueSchema } from './venue-schema';

export interface PlanVenueDeps {
  venue: VenueRuntimeConfig;
  hubspot: HubSpotContactsPort;
  store: Pick<ReconciliationStore, 'getLedger' | 'getLease'>;
  now: () => number;
  /** Whether the venue's Tripleseat has OAuth (a retried request is then looked up before creating). */
  hasOauth: boolean;
  options?: { pageSize?: number; maxAttempts?: number; onProgress?: (done: number, total: number) => void };
}

export interface PlannedLead {
  contactId: string;
  flagSetAt: string;
  /** Tripleseat lead fields that would be sent (names only). */
  fields: string[];
  /** 1 for a new request; higher when an earlier attempt failed temporarily. */
  attempt: number;
  /** An earlier attempt may have created the lead: the poller looks it up by email first (OAuth). */
  lookupFirst: boolean;
  /** The last temporary error of an earlier attempt. */
  lastError?: string;
}

export interface PlannedRejection {
  contactId: string;
  flagSetAt: string;
  reason: string;
  field: string;
}

export interface PlannedDecided {
  contactId: string;
  flagSetAt: string;
  state: LedgerEntry['state'];
  leadId?: string;
  /** What the poller does with it. */
  action: 'finish' | 'leave' | 'quarantine';
}

export interface PlannedFlagClear {
  contactId: string;
  /** The status text written back (when the venue has a status property). */
  statusText: string;
}

export interface VenuePlan {
  venueId: string;
  /** HubSpot's count of contacts with the flag set. */
  backlog: number;
  /** A run holding the lease (the next tick would skip) and until when. */
  leaseHeldUntil?: number;
  leadsToCreate: PlannedLead[];
  rejections: PlannedRejection[];
  alreadyDecided: PlannedDecided[];
  flagsToClear: PlannedFlagClear[];
  /** Search hits whose flag the authoritative read shows as already cleared (search-index lag). */
  staleSearchHits: string[];
  writesBackStatus: boolean;
}

export async function planVenue(deps: PlanVenueDeps): Promise<VenuePlan> {
  const { venue, hubspot, store } = deps;
  const pageSize = deps.options?.pageSize ?? 200;
  const maxAttempts = deps.options?.maxAttempts ?? 5;
  const schema = resolveVenueSchema(venue, await hubspot.listProperties());
  const lease = await store.getLease(keys.venue(venue.id));
  const plan: VenuePlan = {
    venueId: venue.id,
    backlog: 0,
    ...(lease && lease.leaseExpiresAt > deps.now() ? { leaseHeldUntil: lease.leaseExpiresAt } : {}),
    leadsToCreate: [],
    rejections: [],
    alreadyDecided: [],
    flagsToClear: [],
    staleSearchHits: [],
    writesBackStatus: schema.writeBack.status !== undefined,
  };
  const clear = (contactId: string, outcome: Outcome) =>
    plan.flagsToClear.push({ contactId, statusText: statusText(outcome) });

  let afterId = '0';
  let done = 0;
  for (let first = true; ; first = false) {
    const page = await hubspot.searchFlagged(schema.flag.name, afterId, pageSize);
    if (first) plan.backlog = page.total;
    if (page.ids.length === 0) break;
    const contacts = await hubspot.readFlagged(page.ids, schema.flag.name, [
      ...schema.readProperties,
      'lastmodifieddate',
    ]);
    for (const contact of contacts) {
      if (contact.properties[schema.flag.name] !== 'true') {
        plan.staleSearchHits.push(contact.id);
        continue;
      }
      const key: LedgerKey = {
        venueId: venue.id,
        contactId: contact.id,
        flagSetAt: flagSetAtOf(contact).flagSetAt,
      };
      const entry = await store.getLedger(key);
      const ids = { contactId: key.contactId, flagSetAt: key.flagSetAt };
      if (entry && entry.state !== 'CLAIMED') {
        plan.alreadyDecided.push({
          ...ids,
          state: entry.state,
          ...(entry.leadId ? { leadId: entry.leadId } : {}),
          action: 'finish',
        });
        clear(contact.id, decidedOutcome(entry));
        continue;
      }
      if (entry && (entry.claimExpiresAt ?? 0) >= deps.now()) {
        plan.alreadyDecided.push({ ...ids, state: entry.state, action: 'leave' });
        continue;
      }
      const attempt = (entry?.attempts ?? 0) + 1;
      if (attempt > maxAttempts) {
        plan.alreadyDecided.push({ ...ids, state: 'CLAIMED', action: 'quarantine' });
        clear(contact.id, { kind: 'quarantined', reason: QUARANTINED_REASON });
        continue;
      }
      const mapped = mapContactToLead(contact.properties, schema.fields, {
        locationId: venue.tripleseatLocationId,
        leadFormId: venue.tripleseatLeadFormId,
      });
      if (!mapped.ok) {
        plan.rejections.push({ ...ids, reason: mapped.reason, field: mapped.field });
        clear(contact.id, { kind: 'rejected', reason: mapped.reason });
        continue;
      }
      plan.leadsToCreate.push({
        ...ids,
        fields: Object.keys(mapped.lead).sort(),
        attempt,
        lookupFirst: attempt > 1 && deps.hasOauth,
        ...(entry?.lastError ? { lastError: entry.lastError } : {}),
      });
      clear(contact.id, { kind: 'sent', leadId: undefined });
    }
    done += contacts.length;
    deps.options?.onProgress?.(done, plan.backlog);
    afterId = page.ids[page.ids.length - 1] as string;
  }
  return plan;
}
