/**
 * The live view's lead-outcome lines. The pure line is checked for each state of a delivery; then, end to
 * end over the real poller, the simulator's signed delivery and the venue's real receiver (dynalite and
 * the simulated HubSpot, nothing mocked), the view reads the booked outcome back from the contact.
 */
import { describe, expect, it } from 'vitest';
import {
  outcomeActivityLine,
  readOutcomeActivity,
  renderFrame,
  type OutcomeActivity,
} from '../../sandbox/live-view';
import { SandboxRunner } from '../../sandbox/runner';
import { SalesTeam, carryOut } from '../../sandbox/sales-team';
import { tickPoller, useWorld, validContact } from '../helpers/world';

const AT = Date.parse('2026-11-23T12:40:00.000Z');

function activity(overrides: Partial<OutcomeActivity> = {}): OutcomeActivity {
  return {
    at: AT,
    venueId: 'venue-a',
    leadId: 123,
    leadName: 'Ada Lovelace',
    action: 'book',
    expectedOutcome: 'Booked',
    delivery: 'delivered',
    attempts: 1,
    contactId: '42',
    outcome: { label: 'Tripleseat Outcome - Venue A', value: 'Booked' },
    ...overrides,
  };
}

describe('Function: outcomeActivityLine', () => {
  it('says the contact was updated only when the value read back is the expected outcome', () => {
    // Assess
    expect(outcomeActivityLine(activity())).toBe(
      '12:40 venue-a: lead 123 (Ada Lovelace) booked — contact 42 updated: Tripleseat Outcome - Venue A = Booked',
    );
    expect(
      outcomeActivityLine(
        activity({ outcome: { label: 'Tripleseat Outcome - Venue A', value: 'Lead open' } }),
      ),
    ).toBe(
      "12:40 venue-a: lead 123 (Ada Lovelace) booked — delivered, but contact 42 shows Tripleseat Outcome - Venue A = 'Lead open' (expected 'Booked')",
    );
  });

  it('names the lost reason, a retried delivery and a venue that writes no outcome property', () => {
    // Assess
    expect(
      outcomeActivityLine(
        activity({
          action: 'lose',
          expectedOutcome: 'Lost: Over budget',
          attempts: 3,
          outcome: { label: 'Tripleseat Outcome - Venue A', value: 'Lost: Over budget' },
        }),
      ),
    ).toBe(
      '12:40 venue-a: lead 123 (Ada Lovelace) lost (Over budget) — contact 42 updated: Tripleseat Outcome - Venue A = Lost: Over budget (delivered on attempt 3)',
    );
    expect(outcomeActivityLine(activity({ venueId: 'venue-b', outcome: undefined }))).toBe(
      '12:40 venue-b: lead 123 (Ada Lovelace) booked — delivered; venue-b writes no outcome property (kept in the table)',
    );
  });

  it('tells a delivery in flight, dropped or given up apart from a lost write, and a later lead apart too', () => {
    // Assess
    expect(outcomeActivityLine(activity({ delivery: 'in flight', attempts: 2 }))).toMatch(
      /delivery in flight \(2 attempt\(s\) so far\)$/,
    );
    expect(outcomeActivityLine(activity({ delivery: 'dropped', attempts: 0 }))).toMatch(
      /dropped on the way; the nightly reconcile catches it up$/,
    );
    expect(outcomeActivityLine(activity({ delivery: 'gave up', attempts: 6 }))).toMatch(
      /Tripleseat gave up after 6 attempts/,
    );
    expect(
      outcomeActivityLine(
        activity({
          laterLeadId: 130,
          outcome: { label: 'Tripleseat Outcome - Venue A', value: 'Lead open' },
        }),
      ),
    ).toMatch(/contact 42 now shows its later lead 130: Tripleseat Outcome - Venue A = Lead open$/);
  });
});

describe('Live view: a lead becomes a booking', () => {
  const world = useWorld({ timeScale: 50, leadOutcomes: true });

  it('reads the booked outcome back from the contact in the simulated HubSpot and shows it in the frame', async () => {
    // Prepare: the real poller sends the lead; its creation delivery lands before the sales team acts.
    const w = world();
    const contactId = validContact(w);
    w.tick(contactId, 'venue-a');
    w.tripleseat.webhooks.pause();
    await tickPoller(w, 'venue-a');
    w.tripleseat.webhooks.resume();
    await w.tripleseat.webhooks.settled();
    const email = w.hubspot.getContact(contactId)?.properties['email'];
    const lead = w.tripleseat.leads('venue-a').find((candidate) => candidate.email_address === email);
    expect(lead).toBeDefined();
    const team = new SalesTeam({ seed: 0 });

    // Act: the salesperson books the lead; Tripleseat delivers; the view reads it back.
    const act = carryOut(
      w.tripleseat.webhooks,
      { venueId: 'venue-a', leadId: lead!.id, action: 'book', dueAt: w.clock.now() },
      w.clock.now(),
    );
    await w.tripleseat.webhooks.settled();
    const line = outcomeActivityLine(readOutcomeActivity(w, act));
    const runner = await SandboxRunner.start(w);
    let frame: string[];
    try {
      frame = renderFrame(w, runner.stats, {
        timeScale: 50,
        cycle: 1,
        nextPollAt: w.clock.now(),
        nextWebexAt: w.clock.now(),
        nextMarketerAt: w.clock.now(),
        realElapsedMs: 0,
        stopping: false,
        sales: { team, acts: [act] },
      });
    } finally {
      await runner.close();
    }

    // Assess
    expect(line).toMatch(
      new RegExp(
        `venue-a: lead ${lead!.id} \\(.+\\) booked — contact ${contactId} updated: Tripleseat Outcome - Venue A = Booked$`,
      ),
    );
    expect(frame.join('\n')).toContain(line);
    expect(frame.join('\n')).toMatch(
      /Venue A.*booked 1 · converted 0 · turned down 0 · lost 0 · deliveries 2 delivered/,
    );
  });
});
