/**
 * The chaos run's end-state checker, fed fabricated end states: it must catch a duplicate lead, a lead in
 * a venue the contact was not flagged for, a request that vanished, and a quarantine nothing justified.
 * Pure: no simulators, no table.
 */
import { describe, expect, it } from 'vitest';
import { checkEndState, type EndState } from '../../sandbox/invariants';
import { planChaos } from '../../sandbox/chaos';

/** Ana (valid) and Ben (valid) for venue-a, Cleo (no phone) for venue-b: all decided as they should be. */
function cleanState(): EndState {
  return {
    requests: [
      { venueId: 'venue-a', contactId: '1', name: 'Ana', email: 'ana@example.com', valid: true },
      { venueId: 'venue-a', contactId: '2', name: 'Ben', email: 'Ben@Example.com ', valid: true },
      { venueId: 'venue-b', contactId: '3', name: 'Cleo', email: 'cleo@example.com', valid: false },
    ],
    leads: [
      { venueId: 'venue-a', leadId: 101, email: 'ana@example.com' },
      { venueId: 'venue-a', leadId: 102, email: 'ben@example.com' },
    ],
    rejections: [{ venueId: 'venue-b', contactId: '3', reason: 'phone number missing' }],
    quarantinedDuringRun: [
      { venueId: 'venue-a', contactId: '2', reason: 'the answer was lost', maybeSent: true, attempts: 1 },
    ],
    quarantinedAtEnd: [],
    maxAttempts: 5,
  };
}

const failed = (state: EndState) =>
  Object.fromEntries(
    checkEndState(state)
      .filter((check) => !check.ok)
      .map((check) => [check.name, check.detail]),
  );

describe('checkEndState', () => {
  it('passes a state where every request is decided once, in its venue', () => {
    // Prepare
    const state = cleanState();

    // Act
    const checks = checkEndState(state);

    // Assess
    expect(checks.map((check) => check.name)).toEqual([
      'one-lead-per-valid-request',
      'no-duplicate-leads',
      'right-venue-only',
      'nothing-lost',
      'quarantine-justified',
    ]);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
  });

  it('catches a duplicate lead (the same request created twice after a lost answer)', () => {
    // Prepare
    const state = cleanState();
    state.leads = [...state.leads, { venueId: 'venue-a', leadId: 103, email: 'BEN@example.com' }];

    // Act
    const problems = failed(state);

    // Assess
    expect(Object.keys(problems).sort()).toEqual(['no-duplicate-leads', 'one-lead-per-valid-request']);
    expect(problems['no-duplicate-leads']).toContain('#102, #103');
    expect(problems['one-lead-per-valid-request']).toContain('Ben has 2 leads in venue-a');
  });

  it('catches a misrouted lead (a lead in a venue the contact was not flagged for)', () => {
    // Prepare
    const state = cleanState();
    state.leads = [...state.leads, { venueId: 'venue-b', leadId: 104, email: 'ana@example.com' }];

    // Act
    const problems = failed(state);

    // Assess
    expect(Object.keys(problems)).toEqual(['right-venue-only']);
    expect(problems['right-venue-only']).toContain('Ana -> venue-b (lead #104), flagged only for venue-a');
  });

  it('catches a lead for a request that should have been rejected', () => {
    // Prepare
    const state = cleanState();
    state.leads = [...state.leads, { venueId: 'venue-b', leadId: 105, email: 'cleo@example.com' }];

    // Act
    const problems = failed(state);

    // Assess
    expect(problems['right-venue-only']).toContain('Cleo should have been rejected by venue-b');
  });

  it('catches a lost request: no lead, no rejection with a reason, not quarantined', () => {
    // Prepare
    const state = cleanState();
    state.leads = state.leads.filter((lead) => lead.leadId !== 102);
    state.rejections = [{ venueId: 'venue-b', contactId: '3', reason: '  ' }];

    // Act
    const problems = failed(state);

    // Assess
    expect(Object.keys(problems).sort()).toEqual(['nothing-lost', 'one-lead-per-valid-request']);
    expect(problems['nothing-lost']).toContain('Ben (venue-a): no lead');
    // A rejection without a reason does not count as decided.
    expect(problems['nothing-lost']).toContain('Cleo (venue-b)');
  });

  it('counts a request still quarantined (with a reason) as not lost', () => {
    // Prepare
    const state = cleanState();
    state.leads = state.leads.filter((lead) => lead.leadId !== 102);
    state.quarantinedAtEnd = [
      {
        venueId: 'venue-a',
        contactId: '2',
        reason: 'a lead may already exist',
        maybeSent: true,
        attempts: 1,
      },
    ];

    // Act
    const problems = failed(state);

    // Assess
    expect(Object.keys(problems)).toEqual(['one-lead-per-valid-request']);
  });

  it('catches a quarantine with attempts left and no lead possibly created', () => {
    // Prepare
    const state = cleanState();
    state.quarantinedDuringRun = [
      { venueId: 'venue-a', contactId: '1', reason: 'Tripleseat failed', maybeSent: false, attempts: 2 },
      {
        venueId: 'venue-a',
        contactId: '2',
        reason: 'gave up after 5 attempts',
        maybeSent: false,
        attempts: 5,
      },
    ];

    // Act
    const problems = failed(state);

    // Assess
    expect(Object.keys(problems)).toEqual(['quarantine-justified']);
    expect(problems['quarantine-justified']).toContain(
      'contact 1 (venue-a) quarantined after 2 of 5 attempts',
    );
    expect(problems['quarantine-justified']).not.toContain('contact 2');
  });
});

describe('planChaos', () => {
  it('gives the same plan for the same seed, with every kind of trouble, inside the horizon', () => {
    // Prepare
    const options = { seed: 11, from: 1_000_000, horizonMs: 25 * 60_000 };

    // Act
    const first = planChaos(options);
    const again = planChaos(options);
    const other = planChaos({ ...options, seed: 12 });

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first.map((episode) => episode.kind))).toEqual(
      new Set(['rate-limit-storm', 'outage', 'slow', 'lost-answer']),
    );
    for (const episode of first) {
      expect(episode.startsAt).toBeGreaterThanOrEqual(options.from);
      expect(episode.endsAt).toBeLessThanOrEqual(options.from + options.horizonMs);
      expect(episode.startsAt).toBeLessThan(episode.endsAt);
    }
  });
});
