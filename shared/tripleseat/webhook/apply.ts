/**
 * Applies one Tripleseat delivery for ONE venue: lead id -> ledger request (lead index) -> contact,
 * never a fuzzy or email guess; the outcome decided by shared/sync/lead-outcomes.ts; the contact written
 * through the venue's configured labels. The webhook receiver and the nightly reconcile both run here.
 *
 * A CREATE_LEAD may also settle a request quarantined because its create answer was lost (the rule is in
 * matchLostAnswer): under the venue's lease, like `venue-sync replay`, it goes QUARANTINED -> SENDING
 * (replayLedger) -> claimed by this run -> LEAD_CREATED with the lead id -> status written -> DONE. It is
 * never re-sent. The index item is written first, so a crash anywhere in between is resumed by
 * Tripleseat's retry of the same delivery (or by the reconcile).
 */
import { keys, type LedgerEntry, type LedgerKey, type ReconciliationStore } from '../../reconciliation';
import type { LeadIndex, LeadOutcomeRecord } from '../../reconciliation/lead-index';
import type { WritebackMap } from '../../config/app-config';
import { resolveLabel, type HubSpotProperty } from '../../schema';
import type { DecisionLog } from '../../sync/decision-log';
import {
  decideLeadOutcome,
  leadOutcomeUpdate,
  matchLostAnswer,
  type LeadOutcomeProperties,
} from '../../sync/lead-outcomes';
import { statusText } from '../../sync/outcome';
import type { ContactUpdate, HubSpotContactsPort } from '../../sync/ports';
import { toOutcomeDelivery } from './outcome-map';
import type { TripleseatDelivery } from './payload';
import { z } from 'zod';

/** How long the settle holds the venue lease; it makes a handful of writes. */
const SETTLE_LEASE_MS = 60_000;
/** Concurrent deliveries for one lead are rare; a few compare-and-set rounds settle them. */
const MAX_WRITE_ROUNDS = 5;

const QuarantinePayloadSchema = z.object({
  venueId: z.string(),
  contactId: z.string(),
  flagSetAt: z.string(),
  maybeSent: z.boolean().optional(),
});

export interface ApplyDeps {
  venue: { id: string; writeBack?: WritebackMap | undefined };
  store: ReconciliationStore;
  index: LeadIndex;
  hubspot: Pick<HubSpotContactsPort, 'listProperties' | 'updateContacts'>;
  /** Identifies this invocation as lease owner and claimant. */
  runId: string;
  now: () => number;
  log: DecisionLog;
}

export interface AppliedDelivery {
  kind: 'applied';
  leadId: string;
  contactId: string;
  stage: string | undefined;
  orderedBy: 'tripleseat-time' | 'receipt-time';
  /** Stages this delivery reached for the first time (for the dashboard). */
  newly: {
    converted: boolean;
    booked: boolean;
    turnedDown: boolean;
    lost: boolean;
    leadToBookingSeconds?: number;
  };
  /** A quarantined lost-answer request was settled by this CREATE_LEAD. */
  settled: boolean;
}

export type ApplyResult =
  | AppliedDelivery
  | { kind: 'ignored'; leadId: string; why: 'duplicate' | 'stale'; settled: boolean }
  | { kind: 'unknown-lead'; leadId: string | undefined; why: string }
  /** Another run holds the venue lease: answer non-200 so Tripleseat retries (the reconcile catches up too). */
  | { kind: 'busy'; leadId: string };

export class LeadOutcomeApplier {
  private properties: Promise<ResolvedProperties> | undefined;

  constructor(private readonly deps: ApplyDeps) {}

  async apply(delivery: TripleseatDelivery): Promise<ApplyResult> {
    const { venue, index, store, log } = this.deps;
    const leadId = delivery.leadId;
    if (leadId === undefined) {
      log.warn('tripleseat delivery names no lead; nothing to do', {
        venueId: venue.id,
        trigger: delivery.trigger,
      });
      return { kind: 'unknown-lead', leadId, why: 'the delivery names no lead id' };
    }

    let settled = false;
    let key = await index.findLead(venue.id, leadId);
    if (key) {
      const entry = await store.getLedger(key);
      // Indexed by a settle that did not finish (crash): finish it now.
      if (
        entry &&
        entry.leadId === undefined &&
        ['QUARANTINED', 'SENDING', 'CLAIMED'].includes(entry.state)
      ) {
        const resumed = await this.underLease(leadId, () => this.finishSettle(entry, leadId));
        if (resumed === 'busy') return { kind: 'busy', leadId };
        settled = true;
      }
    } else {
      const settle = await this.settleLostAnswer(delivery, leadId);
      if (settle === 'busy') return { kind: 'busy', leadId };
      if (settle !== undefined) {
        key = settle;
        settled = true;
      }
    }
    if (!key && delivery.trigger === 'CREATE_LEAD' && (await this.pollRunning())) {
      // Tripleseat announces a lead as it creates it, possibly before the poll that sent it has recorded
      // its id: while a run holds the venue lease, ask for the retry instead of calling the lead unknown.
      return { kind: 'busy', leadId };
    }
    if (!key) {
      await index.recordUnknownLead(venue.id, leadId, delivery.trigger);
      log.info('tripleseat delivery about a lead venue-sync did not create; recorded, HubSpot untouched', {
        venueId: venue.id,
        leadId,
        trigger: delivery.trigger,
      });
      return { kind: 'unknown-lead', leadId, why: `no request of venue ${venue.id} created lead ${leadId}` };
    }

    const ledger = await store.getLedger(key);
    const properties = await this.resolvedProperties();
    // Decide on the stored outcome, write the contact, then store the outcome only if nobody wrote since
    // (compare-and-set); otherwise decide again on theirs, so the contact ends with the merged outcome.
    for (let round = 0; ; round++) {
      const stored = await index.getOutcome(venue.id, leadId);
      const decision = decideLeadOutcome({
        venueId: venue.id,
        delivery: toOutcomeDelivery(delivery),
        ledger,
        stored,
        receivedAtMs: this.deps.now(),
      });
      if (decision.do === 'unknown-lead') {
        await index.recordUnknownLead(venue.id, leadId, delivery.trigger);
        log.error('lead index and ledger disagree; outcome not written', {
          venueId: venue.id,
          leadId,
          why: decision.why,
        });
        return { kind: 'unknown-lead', leadId, why: decision.why };
      }
      if (decision.do === 'nothing') return { kind: 'ignored', leadId, why: decision.why, settled };
      await this.write(leadOutcomeUpdate(properties.outcome, decision.next), leadId);
      if (!(await index.putOutcome(decision.next, stored?.version))) {
        if (round >= MAX_WRITE_ROUNDS)
          throw new Error(
            `venue ${venue.id}: lead ${leadId}'s outcome keeps changing under this delivery; Tripleseat retries it`,
          );
        continue;
      }
      return this.applied(delivery, decision, stored, settled);
    }
  }

  private applied(
    delivery: TripleseatDelivery,
    decision: Extract<ReturnType<typeof decideLeadOutcome>, { do: 'write' }>,
    stored: LeadOutcomeRecord | undefined,
    settled: boolean,
  ): AppliedDelivery {
    const { venue, log } = this.deps;
    const leadId = decision.next.leadId;
    if (decision.orderedBy === 'receipt-time') {
      log.warn('tripleseat delivery carries no change time; ordered by arrival (see docs/lead-outcomes.md)', {
        venueId: venue.id,
        leadId,
      });
    }
    log.info('lead outcome written back', {
      venueId: venue.id,
      leadId,
      contactId: decision.contactId,
      trigger: delivery.trigger,
      stage: decision.next.stage,
      // The dashboard's "lost leads by reason" reads this field.
      ...(decision.next.lostReason ? { lostReason: decision.next.lostReason } : {}),
    });
    return {
      kind: 'applied',
      leadId,
      contactId: decision.contactId,
      stage: decision.next.stage,
      orderedBy: decision.orderedBy,
      newly: newlyReached(stored, decision.next),
      settled,
    };
  }

  /** Finds the quarantined lost-answer request this CREATE_LEAD settles, and settles it. */
  private async settleLostAnswer(
    delivery: TripleseatDelivery,
    leadId: string,
  ): Promise<LedgerKey | 'busy' | undefined> {
    if (delivery.trigger !== 'CREATE_LEAD' || !delivery.email) return undefined;
    const { store, venue, log } = this.deps;
    const candidates: LedgerEntry[] = [];
    for (const record of await store.listQuarantine(keys.venueSource(venue.id))) {
      const payload = QuarantinePayloadSchema.safeParse(record.payload);
      if (!payload.success || payload.data.maybeSent !== true || payload.data.venueId !== venue.id) continue;
      const entry = await store.getLedger(payload.data);
      if (entry) candidates.push(entry);
    }
    const match = matchLostAnswer(toOutcomeDelivery(delivery), venue.id, candidates);
    if (match.match === 'none') return undefined;
    if (match.match === 'ambiguous') {
      log.error(
        'CREATE_LEAD matches several quarantined lost-answer requests; left for a person (venue-sync replay)',
        {
          venueId: venue.id,
          leadId,
          candidates: match.count,
        },
      );
      return undefined;
    }
    const key = keyOf(match.entry);
    const outcome = await this.underLease(leadId, async () => {
      // The index first: a crash after it is resumed by the retry of this delivery (see apply).
      await this.deps.index.recordLead(key, leadId);
      await this.finishSettle(match.entry, leadId);
    });
    if (outcome === 'busy') return 'busy';
    log.info('lost create answer settled by CREATE_LEAD: lead recorded, not re-sent', {
      venueId: venue.id,
      contactId: key.contactId,
      leadId,
    });
    return key;
  }

  /** QUARANTINED -> SENDING -> (claimed) -> LEAD_CREATED -> status written -> DONE. Caller holds the lease. */
  private async finishSettle(entry: LedgerEntry, leadId: string): Promise<void> {
    const { store, runId } = this.deps;
    const key = keyOf(entry);
    let state = entry.state;
    if (state === 'QUARANTINED') state = (await store.replayLedger(key)).state;
    if (state === 'SENDING' || state === 'CLAIMED') {
      const claim = await store.claim(key, runId, SETTLE_LEASE_MS);
      if (claim.outcome !== 'claimed')
        throw new Error(
          `ledger ${key.contactId}#${key.flagSetAt} could not be claimed to record lead ${leadId}`,
        );
      await store.markLeadCreated(key, runId, leadId);
      state = 'LEAD_CREATED';
    }
    if (state === 'LEAD_CREATED') {
      const { status, leadIdProperty } = (await this.resolvedProperties()).request;
      // The checkbox is NOT touched: quarantine cleared it, and a tick since then is a new request.
      const properties: Record<string, string> = {};
      if (status) properties[status.name] = statusText({ kind: 'sent', leadId });
      if (leadIdProperty) properties[leadIdProperty.name] = leadId;
      if (Object.keys(properties).length > 0) await this.write({ id: key.contactId, properties }, leadId);
      await store.markDone(key);
    }
  }

  private async pollRunning(): Promise<boolean> {
    const lease = await this.deps.store.getLease(keys.venue(this.deps.venue.id));
    return lease !== undefined && lease.leaseExpiresAt > this.deps.now();
  }

  private async underLease(leadId: string, work: () => Promise<void>): Promise<'done' | 'busy'> {
    const { store, venue, runId, log } = this.deps;
    const partition = keys.venue(venue.id);
    if (!(await store.acquireLease(partition, runId, SETTLE_LEASE_MS))) {
      log.warn('venue lease held by another run; Tripleseat will retry this delivery', {
        venueId: venue.id,
        leadId,
      });
      return 'busy';
    }
    try {
      await work();
      return 'done';
    } finally {
      await store.releaseLease(partition, runId);
    }
  }

  private async write(update: ContactUpdate | undefined, leadId: string): Promise<void> {
    if (!update) return;
    const { failed } = await this.deps.hubspot.updateContacts([update]);
    const [failure] = failed;
    if (failure) {
      throw new Error(
        `venue ${this.deps.venue.id}: writing lead ${leadId}'s outcome on contact ${update.id} failed: ${failure.reason}. ` +
          'Tripleseat retries the delivery; the nightly reconcile re-applies it',
      );
    }
  }

  private resolvedProperties(): Promise<ResolvedProperties> {
    this.properties ??= this.deps.hubspot
      .listProperties()
      .then((all) => resolveProperties(this.deps.venue.writeBack, all));
    // A failed read is not kept: the next delivery tries again.
    this.properties.catch(() => (this.properties = undefined));
    return this.properties;
  }
}

interface ResolvedProperties {
  outcome: LeadOutcomeProperties;
  request: { status?: HubSpotProperty; leadIdProperty?: HubSpotProperty };
}

/** The venue's write-back labels, matched exactly (like the poller's): another venue's never matches. */
export function resolveProperties(
  writeBack: WritebackMap | undefined,
  all: readonly HubSpotProperty[],
): ResolvedProperties {
  const exact = (label: string | undefined) =>
    label === undefined ? undefined : resolveLabel(label, all, { exactOnly: true });
  const pick = <K extends string>(key: K, label: string | undefined): Partial<Record<K, HubSpotProperty>> => {
    const property = exact(label);
    return property ? ({ [key]: property } as Record<K, HubSpotProperty>) : {};
  };
  return {
    outcome: {
      ...pick('outcome', writeBack?.outcome),
      ...pick('eventDate', writeBack?.eventDate),
      ...pick('lostReason', writeBack?.lostReason),
      ...pick('bookingLink', writeBack?.bookingLink),
      ...pick('outcomeUpdatedAt', writeBack?.outcomeUpdatedAt),
    },
    request: { ...pick('status', writeBack?.status), ...pick('leadIdProperty', writeBack?.leadId) },
  };
}

function keyOf(entry: LedgerEntry): LedgerKey {
  return { venueId: entry.venueId, contactId: entry.contactId, flagSetAt: entry.flagSetAt };
}

function newlyReached(
  before: LeadOutcomeRecord | undefined,
  after: Pick<
    LeadOutcomeRecord,
    'convertedAtMs' | 'bookedAtMs' | 'turnedDownAtMs' | 'lostAtMs' | 'leadCreatedAtMs'
  >,
): AppliedDelivery['newly'] {
  const reached = (field: 'convertedAtMs' | 'bookedAtMs' | 'turnedDownAtMs' | 'lostAtMs') =>
    after[field] !== undefined && before?.[field] === undefined;
  const booked = reached('bookedAtMs');
  const created = after.leadCreatedAtMs;
  return {
    converted: reached('convertedAtMs'),
    booked,
    turnedDown: reached('turnedDownAtMs'),
    lost: reached('lostAtMs'),
    ...(booked && created !== undefined && after.bookedAtMs !== undefined
      ? { leadToBookingSeconds: Math.max(0, Math.round((after.bookedAtMs - created) / 1000)) }
      : {}),
  };
}
