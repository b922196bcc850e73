/**
 * A read-only plan of what the venue's next poll would do (`venue-sync run <venue> --dry-run`). It walks
 * the same steps as pollVenue (label resolution, flag search, flag history read, ledger read, lead
 * mapper) and asks the same decision core (decide.ts) what each request's next step is, with the claim
 * predicted instead of taken: it claims nothing, creates nothing and writes nothing. The plan names
 * contacts by id and lead fields by name only; it carries no personal data.
 */
import {
  IN_FLIGHT_STATES,
  keys,
  type LedgerEntry,
  type LedgerKey,
  type ReconciliationStore,
} from '../reconciliation';
import { decideClaimed, decideExisting, decideNew, outcomeOf, type Step } from './decide';
import { mapContactToLead } from './lead-mapper';
import { flagSetAtOf, statusText } from './outcome';
import type { VenueRuntimeConfig } from './poll-venue';
import type { HubSpotContactsPort } from './ports';
import { resolveVenueSchema } from './venue-schema';

export interface PlanVenueDeps {
  venue: VenueRuntimeConfig;
  hubspot: HubSpotContactsPort;
  store: Pick<ReconciliationStore, 'getLedger' | 'getLease'>;
  now: () => number;
  /** Whether the venue's destination can look a lead up (Tripleseat OAuth): decides lookups vs quarantine. */
  hasOauth: boolean;
  /** The venue's booking system as its status text names it. @default Tripleseat */
  destinationName?: string;
  /** The other venues' checkbox labels (the poller refuses a flag property one of them names). */
  otherVenueFlagLabels?: readonly string[];
  options?: { pageSize?: number; maxAttempts?: number; onProgress?: (done: number, total: number) => void };
}

/** What the next run's decision core will decide first for one request. */
export interface PlannedRequest {
  contactId: string;
  flagSetAt: string;
  next: Step['do'];
}

export interface PlannedLead {
  contactId: string;
  flagSetAt: string;
  /** Tripleseat lead fields that would be sent (names only). */
  fields: string[];
  /** 1 for a new request; higher when an earlier attempt failed temporarily or its run died. */
  attempt: number;
  /** An earlier attempt may have created the lead: the poller looks it up by what was sent first. */
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
  /** For a quarantine: why, and whether a lead may already exist. */
  reason?: string;
  maybeSent?: boolean;
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
  /** Every request and the decision core's first step for it, in search order. */
  requests: PlannedRequest[];
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
  const decisions = { maxAttempts: deps.options?.maxAttempts ?? 5, canLookUp: deps.hasOauth };
  const schema = resolveVenueSchema(venue, await hubspot.listProperties(), {
    otherVenueFlagLabels: deps.otherVenueFlagLabels ?? [],
  });
  const lease = await store.getLease(keys.venue(venue.id));
  const liveLeaseOwner = lease && lease.leaseExpiresAt > deps.now() ? lease.owner : undefined;
  const plan: VenuePlan = {
    venueId: venue.id,
    backlog: 0,
    ...(lease && liveLeaseOwner ? { leaseHeldUntil: lease.leaseExpiresAt } : {}),
    requests: [],
    leadsToCreate: [],
    rejections: [],
    alreadyDecided: [],
    flagsToClear: [],
    staleSearchHits: [],
    writesBackStatus: schema.writeBack.status !== undefined,
  };

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
      const mapped = mapContactToLead(contact.properties, schema.fields, {
        locationId: venue.tripleseatLocationId,
        leadFormId: venue.tripleseatLeadFormId,
      });
      const claimed = entry ? predictClaim(entry, liveLeaseOwner) : undefined;
      // A new request's first step is decided before its claim (the claim carries the intent to send).
      const step = !entry
        ? decideNew(mapped)
        : claimed
          ? decideClaimed(claimed, mapped, decisions)
          : decideExisting(entry);
      const ids = { contactId: key.contactId, flagSetAt: key.flagSetAt };
      plan.requests.push({ ...ids, next: step.do });
      switch (step.do) {
        case 'send':
        case 'look-up':
          plan.leadsToCreate.push({
            ...ids,
            fields: mapped.ok ? Object.keys(mapped.lead).sort() : [],
            attempt: claimed?.attempts ?? 1,
            lookupFirst: step.do === 'look-up',
            ...(entry?.lastError ? { lastError: entry.lastError } : {}),
          });
          plan.flagsToClear.push({
            contactId: contact.id,
            statusText: statusText({ kind: 'sent', leadId: undefined }, deps.destinationName),
          });
          break;
        case 'reject':
          plan.rejections.push({ ...ids, reason: step.reason, field: mapped.ok ? '' : mapped.field });
          break;
        case 'quarantine':
          plan.alreadyDecided.push({
            ...ids,
            state: entry?.state ?? 'CLAIMED',
            action: 'quarantine',
            reason: step.reason,
            maybeSent: step.maybeSent,
          });
          break;
        case 'finish':
          plan.alreadyDecided.push({
            ...ids,
            state: entry?.state ?? 'CLAIMED',
            ...(entry?.leadId ? { leadId: entry.leadId } : {}),
            action: 'finish',
          });
          break;
        case 'leave':
          plan.alreadyDecided.push({ ...ids, state: entry?.state ?? 'CLAIMED', action: 'leave' });
          break;
        default:
          break;
      }
      const outcome = outcomeOf(step);
      if (outcome) {
        plan.flagsToClear.push({
          contactId: contact.id,
          statusText: statusText(outcome, deps.destinationName),
        });
      }
    }
    done += contacts.length;
    deps.options?.onProgress?.(done, plan.backlog);
    afterId = page.ids[page.ids.length - 1] as string;
  }
  return plan;
}

/**
 * The entry the next run's claim would hold, or undefined when the claim would find it decided or owned by
 * the run that holds the lease (the store's claim rule: one in flight under a claim that is not the lease
 * holder's is claimed with one more attempt).
 */
function predictClaim(entry: LedgerEntry, liveLeaseOwner: string | undefined): LedgerEntry | undefined {
  if (!IN_FLIGHT_STATES.includes(entry.state)) return undefined;
  if (liveLeaseOwner !== undefined && entry.claimedBy === liveLeaseOwner) return undefined;
  return { ...entry, attempts: entry.attempts + 1 };
}
