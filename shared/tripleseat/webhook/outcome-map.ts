/**
 * What a delivery means for the marketer reading the contact: the lead's stage, in words (pure).
 *
 * Lead triggers and event statuses come from Tripleseat's webhook and event-status articles
 * (https://support.tripleseat.com/hc/en-us/articles/40075780832919 API Webhooks;
 * "What does each event status mean"): a lead ends converted (to an account or to a booking) or turned
 * down; an event is Prospect, Tentative, Definite, Closed or Lost (with a reportable lost reason).
 */
import { stageRank, type LeadOutcomeDelivery, type OutcomeFacts } from '../../sync/lead-outcomes';
import type { TripleseatDelivery } from './payload';

export function outcomeFactsOf(delivery: TripleseatDelivery): OutcomeFacts {
  const event = delivery.event;
  const facts: OutcomeFacts = {
    stage: undefined,
    eventDate: event?.date,
    lostReason: undefined,
    bookingLink: event?.link,
  };
  switch (delivery.trigger) {
    case 'CREATE_LEAD':
    case 'CREATE_INTERNAL_LEAD':
      return { ...facts, stage: 'lead-open' };
    case 'CONVERT_LEAD':
      return { ...facts, stage: 'converted' };
    case 'CONVERT_LEAD_TO_BOOKING':
      return { ...facts, stage: 'booked' };
    case 'LEAD_TURNED_DOWN':
      return { ...facts, stage: 'turned-down' };
    case 'STATUS_CHANGE_EVENT':
      return { ...facts, ...eventStage(event?.status, event?.lostReason) };
    case 'UPDATE_EVENT':
    case 'CHANGE_EVENT_DATETIME':
      return facts;
  }
}

function eventStage(
  status: string | undefined,
  lostReason: string | undefined,
): Pick<OutcomeFacts, 'stage' | 'lostReason'> {
  switch (status) {
    case 'Prospect':
      return { stage: 'prospect', lostReason: undefined };
    case 'Tentative':
      return { stage: 'tentative', lostReason: undefined };
    case 'Definite':
      return { stage: 'booked', lostReason: undefined };
    case 'Closed':
      return { stage: 'closed', lostReason: undefined };
    case 'Lost':
      return { stage: 'lost', lostReason: lostReason ?? 'no reason given' };
    default:
      // A status we do not know changes no stage; its date and link still count.
      return { stage: undefined, lostReason: undefined };
  }
}

/** The delivery as the vendor-neutral outcome logic reads it. */
export function toOutcomeDelivery(delivery: TripleseatDelivery): LeadOutcomeDelivery {
  const facts = outcomeFactsOf(delivery);
  return {
    trigger: delivery.trigger,
    leadId: delivery.leadId,
    occurredAtMs: delivery.occurredAtMs,
    facts,
    rank: stageRank(facts.stage),
    ...(delivery.trigger === 'CREATE_LEAD' && delivery.email
      ? {
          createdLead: {
            email: delivery.email,
            firstName: delivery.firstName,
            lastName: delivery.lastName,
            createdLatestMs: delivery.leadCreated?.latestMs,
          },
        }
      : {}),
  };
}
