/**
 * What one Tripleseat delivery does to the contact that asked for the lead (pure): given the delivery,
 * the ledger request the lead index points at and the outcome stored for the lead, either nothing or the
 * next stored outcome plus the contact properties to write.
 *
 * Order-safe and idempotent: deliveries are ordered by when the change happened at Tripleseat (then by
 * stage, for a tie), never by arrival. A delivery no newer than the stored one changes nothing, so a
 * retried or repeated delivery is a no-op and an older status never overwrites a newer one.
 */
import type { LeadOutcomeRecord } from '../reconciliation/lead-index';
import type { LedgerEntry } from '../reconciliation';
import { toHubSpotValue, type HubSpotProperty } from '../schema';
import type { ContactUpdate } from './ports';

export const LEAD_STAGES = [
  'lead-open',
  'converted',
  'prospect',
  'tentative',
  'booked',
  'closed',
  'turned-down',
  'lost',
] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];

/** What a delivery says about the lead; fields it does not speak about stay undefined. */
export interface OutcomeFacts {
  /** Undefined when the delivery changes no stage (an event's date or details only). */
  stage: LeadStage | undefined;
  eventDate: string | undefined;
  lostReason: string | undefined;
  bookingLink: string | undefined;
}

/** The text a marketer sees in the venue's outcome property. */
export function stageText(stage: LeadStage, lostReason?: string): string {
  switch (stage) {
    case 'lead-open':
      return 'Lead open';
    case 'converted':
      return 'Converted';
    case 'prospect':
      return 'Event: Prospect';
    case 'tentative':
      return 'Event: Tentative';
    case 'booked':
      return 'Booked';
    case 'closed':
      return 'Event: Closed';
    case 'turned-down':
      return 'Turned down';
    case 'lost':
      return lostReason ? `Lost: ${lostReason}` : 'Lost';
  }
}

/**
 * Breaks a tie between two deliveries stamped with the same time (e.g. CONVERT_LEAD_TO_BOOKING and the
 * event's STATUS_CHANGE_EVENT to Definite in the same second): the later stage wins, whatever arrived
 * first. Deliveries with a stage outrank ones without (a detail update at the same instant is older news).
 */
export function stageRank(stage: LeadStage | undefined): number {
  return stage === undefined ? 0 : LEAD_STAGES.indexOf(stage) + 1;
}

/** A vendor delivery as this logic reads it (the adapter in shared/tripleseat/webhook builds it). */
export interface LeadOutcomeDelivery {
  /** The vendor's trigger name, kept on the stored outcome. */
  trigger: string;
  leadId: string | undefined;
  /** When the change happened at the vendor (ms); undefined when the payload carries no time. */
  occurredAtMs: number | undefined;
  facts: OutcomeFacts;
  /** stageRank(facts.stage). */
  rank: number;
  /** Only for a lead-creation delivery: what identifies the lead (the lost-answer rule). */
  createdLead?: {
    email: string;
    firstName: string | undefined;
    lastName: string | undefined;
    /** Latest instant the lead can have been created (ms), when the payload says. */
    createdLatestMs: number | undefined;
  };
}

/** The venue's outcome write-back properties (resolved exactly, like the status label). */
export interface LeadOutcomeProperties {
  outcome?: HubSpotProperty;
  eventDate?: HubSpotProperty;
  lostReason?: HubSpotProperty;
  bookingLink?: HubSpotProperty;
  outcomeUpdatedAt?: HubSpotProperty;
}

export type NextOutcome = Omit<LeadOutcomeRecord, 'pk' | 'sk' | 'updatedAt' | 'version'>;

export type LeadOutcomeDecision =
  /** No request of THIS venue created the lead: record for ops, answer 200, touch nothing. */
  | { do: 'unknown-lead'; why: string }
  /** Already applied (`duplicate`) or older than what is applied (`stale`). */
  | { do: 'nothing'; why: 'duplicate' | 'stale' }
  | { do: 'write'; contactId: string; next: NextOutcome; orderedBy: 'tripleseat-time' | 'receipt-time' };

export interface LeadOutcomeInput {
  venueId: string;
  delivery: LeadOutcomeDelivery;
  /** The ledger request the lead index names for `delivery.leadId` in this venue, if any. */
  ledger: LedgerEntry | undefined;
  stored: LeadOutcomeRecord | undefined;
  /** When the delivery arrived: orders it only when the payload carries no change time. */
  receivedAtMs: number;
}

export function decideLeadOutcome(input: LeadOutcomeInput): LeadOutcomeDecision {
  const { venueId, delivery, ledger, stored } = input;
  const leadId = delivery.leadId;
  if (leadId === undefined) return { do: 'unknown-lead', why: 'the delivery names no lead id' };
  // The index is the only link, and the ledger entry must agree with it: same venue, same lead.
  if (!ledger) return { do: 'unknown-lead', why: `no request of venue ${venueId} created lead ${leadId}` };
  if (ledger.venueId !== venueId || ledger.leadId !== leadId) {
    return { do: 'unknown-lead', why: `the ledger request does not hold lead ${leadId} in venue ${venueId}` };
  }

  const facts = delivery.facts;
  const at = delivery.occurredAtMs ?? input.receivedAtMs;
  const rank = delivery.rank;
  // Two orders, so a detail change (a new event date) never blocks an older stage change that arrives
  // after it, and vice versa: the stage by (time, rank), the event's details by time.
  const stageIsNewer =
    facts.stage !== undefined &&
    (!stored || at > stored.appliedAtMs || (at === stored.appliedAtMs && rank > stored.appliedRank));
  const carriesDetails = facts.eventDate !== undefined || facts.bookingLink !== undefined;
  const detailsAreNewer = carriesDetails && (!stored || at > (stored.detailsAtMs ?? stored.appliedAtMs));
  if (stored && !stageIsNewer && !detailsAreNewer) {
    const same = at === stored.appliedAtMs && rank === stored.appliedRank;
    return { do: 'nothing', why: same || at === stored.detailsAtMs ? 'duplicate' : 'stale' };
  }

  const stage = stageIsNewer ? facts.stage : (stored?.stage as LeadStage | undefined);
  const lostReason = stageIsNewer ? facts.lostReason : stored?.lostReason;
  const reached = (wanted: readonly LeadStage[], previous: number | undefined) =>
    previous ?? (stageIsNewer && facts.stage !== undefined && wanted.includes(facts.stage) ? at : undefined);
  const next: NextOutcome = {
    venueId,
    leadId,
    contactId: ledger.contactId,
    flagSetAt: ledger.flagSetAt,
    ...(stage ? { stage, outcomeText: stageText(stage, lostReason) } : {}),
    ...optional('eventDate', detailsAreNewer ? (facts.eventDate ?? stored?.eventDate) : stored?.eventDate),
    ...optional('lostReason', lostReason),
    ...optional(
      'bookingLink',
      detailsAreNewer ? (facts.bookingLink ?? stored?.bookingLink) : stored?.bookingLink,
    ),
    // No stage yet (only details so far): the stage order starts at 0, so any stage delivery wins.
    appliedAtMs: stageIsNewer ? at : (stored?.appliedAtMs ?? 0),
    appliedRank: stageIsNewer ? rank : (stored?.appliedRank ?? 0),
    appliedTrigger: stageIsNewer ? delivery.trigger : (stored?.appliedTrigger ?? delivery.trigger),
    ...optional('detailsAtMs', detailsAreNewer ? at : stored?.detailsAtMs),
    ...optional(
      'leadCreatedAtMs',
      stored?.leadCreatedAtMs ?? ledger.sendingAt ?? (facts.stage === 'lead-open' ? at : undefined),
    ),
    ...optional('convertedAtMs', reached(['converted', 'booked'], stored?.convertedAtMs)),
    ...optional('bookedAtMs', reached(['booked'], stored?.bookedAtMs)),
    ...optional('turnedDownAtMs', reached(['turned-down'], stored?.turnedDownAtMs)),
    ...optional('lostAtMs', reached(['lost'], stored?.lostAtMs)),
  };
  return {
    do: 'write',
    contactId: ledger.contactId,
    next,
    orderedBy: delivery.occurredAtMs === undefined ? 'receipt-time' : 'tripleseat-time',
  };
}

/**
 * The contact properties for a stored outcome: every configured property, so re-writing a stored outcome
 * (after a race, or by the reconcile) restores all of them. A field with no value clears its property.
 */
export function leadOutcomeUpdate(
  properties: LeadOutcomeProperties,
  outcome: Pick<
    NextOutcome,
    'contactId' | 'outcomeText' | 'eventDate' | 'lostReason' | 'bookingLink' | 'appliedAtMs'
  >,
): ContactUpdate | undefined {
  const values: Record<string, string> = {};
  const text = (property: HubSpotProperty | undefined, value: string | undefined) => {
    if (property) values[property.name] = (value ?? '').slice(0, 1000);
  };
  text(properties.outcome, outcome.outcomeText);
  text(properties.eventDate, outcome.eventDate);
  text(properties.lostReason, outcome.lostReason);
  text(properties.bookingLink, outcome.bookingLink);
  if (properties.outcomeUpdatedAt) {
    const value = toHubSpotValue(properties.outcomeUpdatedAt, outcome.appliedAtMs);
    if (value.ok) values[properties.outcomeUpdatedAt.name] = value.value;
  }
  return Object.keys(values).length > 0 ? { id: outcome.contactId, properties: values } : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Clock skew allowed between our `sendingAt` and Tripleseat's `created_at` of the lead it made. */
export const LOST_ANSWER_SKEW_MS = 60_000;

/**
 * Which quarantined request a CREATE_LEAD settles, if any (the lost-answer rule, docs/lead-outcomes.md):
 * a request of this venue QUARANTINED with `sendingAt` (its create answer was lost), whose `sent` snapshot
 * (the exact data we sent, not the contact as it reads now) has the delivery's email, whose names agree
 * where both sides have them, and whose lead cannot predate the send. Exactly one such request settles;
 * two or more are left for a person (`ambiguous`), never guessed between.
 */
export function matchLostAnswer(
  delivery: Pick<LeadOutcomeDelivery, 'createdLead'>,
  venueId: string,
  candidates: readonly LedgerEntry[],
): { match: 'one'; entry: LedgerEntry } | { match: 'none' } | { match: 'ambiguous'; count: number } {
  const lead = delivery.createdLead;
  if (!lead) return { match: 'none' };
  const normalized = (text: string) => text.trim().toLowerCase();
  const same = (a: string | undefined, b: string | undefined) =>
    a === undefined || b === undefined || normalized(a) === normalized(b);
  const matches = candidates.filter(
    (entry) =>
      entry.venueId === venueId &&
      entry.state === 'QUARANTINED' &&
      entry.sendingAt !== undefined &&
      entry.sent !== undefined &&
      normalized(entry.sent.email) === normalized(lead.email) &&
      same(entry.sent.firstName, lead.firstName) &&
      same(entry.sent.lastName, lead.lastName) &&
      (lead.createdLatestMs === undefined || lead.createdLatestMs >= entry.sendingAt - LOST_ANSWER_SKEW_MS),
  );
  const [only] = matches;
  if (matches.length === 1 && only) return { match: 'one', entry: only };
  return matches.length === 0 ? { match: 'none' } : { match: 'ambiguous', count: matches.length };
}
