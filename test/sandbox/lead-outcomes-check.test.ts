/**
 * The `--once` summary's 'lead-outcomes' check (pure): it passes only when each delivered sales change is on
 * the contact that asked for the lead, in that venue only, and it fails naming venue, lead and contact.
 */
import { describe, expect, it } from 'vitest';
import {
  deliveryCounts,
  leadOutcomeProblems,
  summarizeLeadOutcomes,
  type ActObservation,
  type LeadOutcomesState,
} from '../../sandbox/lead-outcomes-check';

/** A booked lead that landed right: index, stored outcome and the contact's property all agree. */
function landed(overrides: Partial<ActObservation> = {}): ActObservation {
  return {
    venueId: 'venue-a',
    leadId: 123,
    action: 'book',
    expectedOutcome: 'Booked',
    delivered: true,
    ownerContactId: '42',
    indexedContactId: '42',
    stored: { contactId: '42', outcomeText: 'Booked' },
    contactOutcome: { property: 'tripleseat_outcome_venue_a', value: 'Booked' },
    ...overrides,
  };
}

const state = (acts: ActObservation[], strays: LeadOutcomesState['strays'] = []): LeadOutcomesState => ({
  acts,
  strays,
});

describe('Function: leadOutcomeProblems', () => {
  it("passes when every delivered outcome is stored for, and shown on, the lead's own contact", () => {
    // Act
    const problems = leadOutcomeProblems(
      state([landed(), landed({ venueId: 'venue-b', leadId: 7, contactOutcome: undefined })]),
    );

    // Assess
    expect(problems).toEqual([]);
  });

  it('fails when the contact shows another outcome than the one delivered', () => {
    // Act
    const problems = leadOutcomeProblems(
      state([landed({ contactOutcome: { property: 'tripleseat_outcome_venue_a', value: 'Lead open' } })]),
    );

    // Assess
    expect(problems).toEqual([
      "venue-a lead 123: contact 42 shows tripleseat_outcome_venue_a = 'Lead open', expected 'Booked'",
    ]);
  });

  it("fails when the outcome was stored for another contact than the lead's", () => {
    // Act
    const problems = leadOutcomeProblems(
      state([landed({ stored: { contactId: '99', outcomeText: 'Booked' } })]),
    );

    // Assess
    expect(problems).toEqual(['venue-a lead 123: outcome stored for contact 99, not 42']);
  });

  it("fails when a contact shows a venue's outcome without a lead venue-sync created there", () => {
    // Act
    const problems = leadOutcomeProblems(
      state([landed()], [{ venueId: 'venue-a', contactId: '55', value: 'Booked' }]),
    );

    // Assess
    expect(problems).toEqual([
      "contact 55 shows venue-a's outcome 'Booked' without a lead venue-sync created there",
    ]);
  });

  it('fails when an outcome was stored for a lead venue-sync never recorded', () => {
    // Act
    const problems = leadOutcomeProblems(state([landed({ indexedContactId: undefined })]));

    // Assess
    expect(problems).toEqual(['venue-a lead 123: venue-sync did not record it, yet an outcome was stored']);
  });

  it('does not judge an undelivered change, but fails when nothing at all was delivered', () => {
    // Prepare
    const lost = landed({ delivered: false, stored: undefined, contactOutcome: undefined });

    // Act
    const someDelivered = leadOutcomeProblems(state([landed(), lost]));
    const noneDelivered = leadOutcomeProblems(state([lost]));

    // Assess
    expect(someDelivered).toEqual([]);
    expect(noneDelivered).toEqual(['none of the 1 sales change(s) was delivered: nothing was checked']);
  });
});

describe('Function: summarizeLeadOutcomes', () => {
  it('counts actions and confirmed outcomes', () => {
    // Prepare
    const acts = [
      landed(),
      landed({ leadId: 2, action: 'lose', expectedOutcome: 'Lost: Over budget', stored: undefined }),
    ];
    const deliveries = { delivered: 2, retried: 0, dropped: 0, gaveUp: 0, inFlight: 0 };

    // Act
    const summary = summarizeLeadOutcomes(state(acts), { leftOpen: 3, deliveries });

    // Assess
    expect(summary.acted).toEqual({ book: 1, convert: 0, 'turn-down': 0, lose: 1 });
    expect(summary.confirmed).toBe(1);
    expect(summary.leftOpen).toBe(3);
    expect(summary.problems).toHaveLength(2);
  });
});

describe('Function: deliveryCounts', () => {
  it('tells delivered, retried, dropped, given up and in flight apart', () => {
    // Act
    const counts = deliveryCounts(
      [
        { attempts: [200], delivered: true, dropped: false },
        { attempts: [503, 200], delivered: true, dropped: false },
        { attempts: [], delivered: false, dropped: true },
        { attempts: [500, 500, 500], delivered: false, dropped: false },
        { attempts: [503], delivered: false, dropped: false },
      ],
      3,
    );

    // Assess
    expect(counts).toEqual({ delivered: 2, retried: 1, dropped: 1, gaveUp: 1, inFlight: 1 });
  });
});
