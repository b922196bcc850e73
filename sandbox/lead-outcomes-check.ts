/**
 * What the sales team's changes did, read back from the world (the simulated HubSpot's contacts, the
 * table's lead index and stored outcomes, the simulator's delivery records), and the promise they must
 * keep: every delivered outcome is on the contact that asked for the lead, in that lead's venue only.
 * Reading is async (the table); judging is pure, so a test can hand it a broken state.
 */
import { LeadIndex } from '../shared/reconciliation/lead-index';
import { snakeCaseLabel } from '../shared/schema';
import type { SalesAct, SalesAction } from './sales-team';
import type { World } from './world';

export interface ActObservation {
  venueId: string;
  leadId: number;
  action: SalesAction;
  expectedOutcome: string;
  delivered: boolean;
  /** The HubSpot contact whose email the lead carries (the simulator's ground truth). */
  ownerContactId: string | undefined;
  /** The contact the lead index routes this lead to; undefined when venue-sync did not record the lead. */
  indexedContactId: string | undefined;
  /** The outcome the receiver stored for the lead, if any. */
  stored: { contactId: string; outcomeText: string | undefined } | undefined;
  /** The owner's value of the venue's outcome property; undefined when the venue writes none. */
  contactOutcome: { property: string; value: string } | undefined;
}

/** A contact showing a venue's outcome although venue-sync created no lead for it in that venue. */
export interface StrayOutcome {
  venueId: string;
  contactId: string;
  value: string;
}

export interface LeadOutcomesState {
  acts: ActObservation[];
  strays: StrayOutcome[];
}

export type DeliveryCounts = {
  delivered: number;
  /** Of the delivered, those that needed more than one attempt. */
  retried: number;
  /** Lost on the way (never reached the receiver). */
  dropped: number;
  /** Every attempt failed: Tripleseat gave up (the nightly reconcile catches these up). */
  gaveUp: number;
  inFlight: number;
};

export interface LeadOutcomesSummary {
  /** Per action, how many leads the sales team changed. */
  acted: Record<SalesAction, number>;
  /** Leads the sales team left open / not yet due. */
  leftOpen: number;
  deliveries: DeliveryCounts;
  /** Acts whose delivery arrived and whose outcome the check confirmed on the contact. */
  confirmed: number;
  problems: string[];
}

/** The internal name of a venue's outcome property (as `venue-sync setup` creates it), if it writes one. */
export function outcomePropertyOf(world: World, venueId: string): string | undefined {
  const label = world.venue(venueId).writeBack?.outcome;
  return label ? snakeCaseLabel(label) : undefined;
}

const present = (value: string | null | undefined): value is string =>
  value !== undefined && value !== null && value !== '';

/** Reads what each act left behind, and every contact carrying a venue's outcome it should not. */
export async function readLeadOutcomes(world: World, acts: readonly SalesAct[]): Promise<LeadOutcomesState> {
  const index = new LeadIndex({ client: world.dynamo.client, tableName: world.dynamo.tableName });
  const observations: ActObservation[] = [];
  for (const act of acts) {
    const { venueId, leadId } = act.plan;
    const lead = world.tripleseat.leads(venueId).find((candidate) => candidate.id === leadId);
    const owner = lead ? world.hubspot.findByEmail(lead.email_address) : undefined;
    const indexed = await index.findLead(venueId, String(leadId));
    const stored = await index.getOutcome(venueId, String(leadId));
    const property = outcomePropertyOf(world, venueId);
    const value = owner && property ? owner.properties[property] : undefined;
    observations.push({
      venueId,
      leadId,
      action: act.plan.action,
      expectedOutcome: act.expectedOutcome,
      delivered: act.delivery?.delivered === true,
      ownerContactId: owner?.id,
      indexedContactId: indexed?.contactId,
      stored: stored ? { contactId: stored.contactId, outcomeText: stored.outcomeText } : undefined,
      contactOutcome: property ? { property, value: present(value) ? value : '' } : undefined,
    });
  }

  // Right venue only: a contact may show venue V's outcome only if venue-sync created a lead for it in V.
  const strays: StrayOutcome[] = [];
  for (const venue of world.config.venues) {
    const property = outcomePropertyOf(world, venue.id);
    if (!property) continue;
    const contactsWithLead = new Set<string>();
    for (const lead of world.tripleseat.leads(venue.id)) {
      const indexed = await index.findLead(venue.id, String(lead.id));
      if (indexed) contactsWithLead.add(indexed.contactId);
    }
    for (const contact of world.hubspot.contacts()) {
      const value = contact.properties[property];
      if (present(value) && !contactsWithLead.has(contact.id))
        strays.push({ venueId: venue.id, contactId: contact.id, value });
    }
  }
  return { acts: observations, strays };
}

/** The broken promises, each naming venue, lead and contact (pure). Empty when every outcome landed right. */
export function leadOutcomeProblems(state: LeadOutcomesState): string[] {
  const problems: string[] = [];
  for (const act of state.acts) {
    const lead = `${act.venueId} lead ${act.leadId}`;
    if (!act.delivered) continue;
    if (act.indexedContactId === undefined) {
      // Tripleseat knows the lead but venue-sync never recorded it: the receiver must touch nothing.
      if (act.stored) problems.push(`${lead}: venue-sync did not record it, yet an outcome was stored`);
      continue;
    }
    if (act.ownerContactId !== act.indexedContactId)
      problems.push(
        `${lead}: the index routes it to contact ${act.indexedContactId}, but its email belongs to ${act.ownerContactId ?? 'no contact'}`,
      );
    if (!act.stored) problems.push(`${lead}: delivered, but no outcome stored`);
    else {
      if (act.stored.contactId !== act.ownerContactId)
        problems.push(
          `${lead}: outcome stored for contact ${act.stored.contactId}, not ${act.ownerContactId}`,
        );
      if (act.stored.outcomeText !== act.expectedOutcome)
        problems.push(
          `${lead}: stored outcome '${act.stored.outcomeText ?? ''}', expected '${act.expectedOutcome}'`,
        );
    }
    if (act.contactOutcome && act.contactOutcome.value !== act.expectedOutcome)
      problems.push(
        `${lead}: contact ${act.ownerContactId ?? '?'} shows ${act.contactOutcome.property} = '${act.contactOutcome.value}', expected '${act.expectedOutcome}'`,
      );
  }
  for (const stray of state.strays)
    problems.push(
      `contact ${stray.contactId} shows ${stray.venueId}'s outcome '${stray.value}' without a lead venue-sync created there`,
    );
  const acted = state.acts.length;
  if (acted > 0 && state.acts.every((act) => !act.delivered))
    problems.push(`none of the ${acted} sales change(s) was delivered: nothing was checked`);
  return problems;
}

export type DeliveryState = 'delivered' | 'dropped' | 'gave up' | 'in flight';

type DeliveryLike = { attempts: readonly number[]; delivered: boolean; dropped: boolean };

/** Where one delivery stands: `maxAttempts` failed attempts mean Tripleseat gave up. */
export function deliveryState(delivery: DeliveryLike, maxAttempts: number): DeliveryState {
  if (delivery.delivered) return 'delivered';
  if (delivery.dropped) return 'dropped';
  return delivery.attempts.length >= maxAttempts ? 'gave up' : 'in flight';
}

/** Delivered / retried / dropped / given up, over the given delivery records. */
export function deliveryCounts(deliveries: readonly DeliveryLike[], maxAttempts: number): DeliveryCounts {
  const counts: DeliveryCounts = { delivered: 0, retried: 0, dropped: 0, gaveUp: 0, inFlight: 0 };
  for (const delivery of deliveries) {
    const state = deliveryState(delivery, maxAttempts);
    if (state === 'delivered') {
      counts.delivered += 1;
      if (delivery.attempts.length > 1) counts.retried += 1;
    } else if (state === 'dropped') counts.dropped += 1;
    else if (state === 'gave up') counts.gaveUp += 1;
    else counts.inFlight += 1;
  }
  return counts;
}

/** The numbers and the verdict for the `--once` summary. */
export function summarizeLeadOutcomes(
  state: LeadOutcomesState,
  options: { leftOpen: number; deliveries: DeliveryCounts },
): LeadOutcomesSummary {
  const acted: Record<SalesAction, number> = { convert: 0, book: 0, 'turn-down': 0, lose: 0 };
  for (const act of state.acts) acted[act.action] += 1;
  const problems = leadOutcomeProblems(state);
  const confirmed = state.acts.filter(
    (act) =>
      act.delivered &&
      act.indexedContactId !== undefined &&
      act.stored?.outcomeText === act.expectedOutcome &&
      act.stored.contactId === act.ownerContactId &&
      (!act.contactOutcome || act.contactOutcome.value === act.expectedOutcome),
  ).length;
  return { acted, leftOpen: options.leftOpen, deliveries: options.deliveries, confirmed, problems };
}
