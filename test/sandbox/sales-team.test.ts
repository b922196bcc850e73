/**
 * The sandbox's simulated sales team: which leads it changes, how, and when (pure, seeded), and that a
 * change goes through the real Tripleseat simulator (over HTTP for the lead, in process for the change).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LOST_REASONS,
  SalesTeam,
  carryOut,
  expectedOutcomeOf,
  planFor,
  type SeenLead,
} from '../../sandbox/sales-team';
import { SimClock } from '../../sandbox/sim-kit';
import { TripleseatSimulator } from '../../sandbox/tripleseat';

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const MINUTE = 60_000;

function leads(count: number): SeenLead[] {
  return Array.from({ length: count }, (_, i) => ({
    venueId: i % 2 === 0 ? 'venue-a' : 'venue-b',
    leadId: 100 + i,
    createdAtMs: T0 + i * MINUTE,
  }));
}

describe('Function: planFor', () => {
  it('is the same plan for the same seed, lead and place, and acts within the delay window', () => {
    // Prepare
    const options = { seed: 3, minDelayMs: 10 * MINUTE, maxDelayMs: 40 * MINUTE };
    const lead = { venueId: 'venue-a', leadId: 42, createdAtMs: T0 };

    // Act
    const first = planFor(options, lead, 0);
    const again = planFor(options, lead, 0);

    // Assess
    expect(first).toEqual(again);
    expect(first?.dueAt).toBeGreaterThanOrEqual(T0 + 10 * MINUTE);
    expect(first?.dueAt).toBeLessThan(T0 + 40 * MINUTE);
  });

  it('gives a lost lead one of the lost reasons, and no other action a reason', () => {
    // Act
    const plans = leads(12)
      .map((lead, i) => planFor({ seed: 0 }, lead, i))
      .filter((plan) => plan !== undefined);

    // Assess
    for (const plan of plans) {
      if (plan.action === 'lose') expect(LOST_REASONS).toContain(plan.lostReason);
      else expect(plan.lostReason).toBeUndefined();
    }
  });
});

describe('Class: SalesTeam', () => {
  it('shows every kind of outcome within six leads, and leaves some open', () => {
    // Prepare
    const team = new SalesTeam({ seed: 7 });

    // Act
    team.notice(leads(6));
    const plans = team.due(Number.MAX_SAFE_INTEGER);

    // Assess
    expect(new Set(plans.map((plan) => plan.action))).toEqual(
      new Set(['book', 'convert', 'turn-down', 'lose']),
    );
    expect(team.leftOpen).toBe(1);
    expect(plans).toHaveLength(5);
  });

  it('plans the same leads the same way whatever order they are noticed in', () => {
    // Prepare
    const a = new SalesTeam({ seed: 11 });
    const b = new SalesTeam({ seed: 11 });

    // Act
    a.notice(leads(9));
    b.notice([...leads(9)].reverse());

    // Assess
    expect(b.due(Number.MAX_SAFE_INTEGER)).toEqual(a.due(Number.MAX_SAFE_INTEGER));
  });

  it('hands out each plan once, only when due, earliest first; a lead noticed again is not planned twice', () => {
    // Prepare
    const team = new SalesTeam({ seed: 1, minDelayMs: 10 * MINUTE, maxDelayMs: 20 * MINUTE });
    team.notice(leads(6));
    team.notice(leads(6));
    const total = team.pendingCount;

    // Act
    const early = team.due(T0 + 5 * MINUTE);
    const middle = team.due(T0 + 17 * MINUTE);
    const rest = team.due(Number.MAX_SAFE_INTEGER);
    const after = team.due(Number.MAX_SAFE_INTEGER);

    // Assess
    expect(early).toEqual([]);
    expect(middle.length + rest.length).toBe(total);
    expect(total).toBe(5);
    for (const plan of middle) expect(plan.dueAt).toBeLessThanOrEqual(T0 + 17 * MINUTE);
    const dueTimes = rest.map((plan) => plan.dueAt);
    expect(dueTimes).toEqual([...dueTimes].sort((x, y) => x - y));
    expect(after).toEqual([]);
    expect(team.lastDueAt).toBeUndefined();
  });
});

describe('Function: expectedOutcomeOf', () => {
  it('names the outcome the receiver writes for each action', () => {
    // Assess
    expect(expectedOutcomeOf({ action: 'book' })).toBe('Booked');
    expect(expectedOutcomeOf({ action: 'convert' })).toBe('Converted');
    expect(expectedOutcomeOf({ action: 'turn-down' })).toBe('Turned down');
    expect(expectedOutcomeOf({ action: 'lose', lostReason: 'Over budget' })).toBe('Lost: Over budget');
  });
});

describe('Function: carryOut', () => {
  let sim: TripleseatSimulator;
  const clock = SimClock.manual();

  beforeEach(async () => {
    sim = new TripleseatSimulator({
      clock,
      accounts: [{ venueId: 'venue-a', publicKey: 'pk_venue_a', oauthToken: 'oauth_venue_a' }],
      seed: 7,
    });
    await sim.start();
  });

  afterEach(async () => {
    await sim.close();
  });

  async function createLead(): Promise<number> {
    const response = await fetch(`${sim.url}/v1/leads/create.js?public_key=pk_venue_a`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lead: {
          first_name: 'Ada',
          last_name: 'Lovelace',
          email_address: 'ada@example.com',
          phone_number: '+1 555 010 2345',
        },
      }),
    });
    const body = (await response.json()) as { lead_id: number };
    return body.lead_id;
  }

  it.each([
    ['book', 'CONVERT_LEAD_TO_BOOKING', 'booked'],
    ['convert', 'CONVERT_LEAD', 'converted'],
    ['turn-down', 'LEAD_TURNED_DOWN', 'turned_down'],
  ] as const)(
    '%s changes the lead in Tripleseat and records its %s delivery',
    async (action, trigger, status) => {
      // Prepare
      const leadId = await createLead();

      // Act
      const act = carryOut(
        sim.webhooks,
        { venueId: 'venue-a', leadId, action, dueAt: clock.now() },
        clock.now(),
      );

      // Assess
      expect(sim.leads('venue-a').find((lead) => lead.id === leadId)?.status).toBe(status);
      expect(act.delivery).toMatchObject({ venueId: 'venue-a', leadId, trigger });
    },
  );

  it("lose marks the lead's event Lost with the reason", async () => {
    // Prepare
    const leadId = await createLead();

    // Act
    const act = carryOut(
      sim.webhooks,
      { venueId: 'venue-a', leadId, action: 'lose', lostReason: 'Date unavailable', dueAt: clock.now() },
      clock.now(),
    );

    // Assess
    const lead = sim.leads('venue-a').find((candidate) => candidate.id === leadId);
    expect(lead).toMatchObject({ event_status: 'Lost', lost_reason: 'Date unavailable' });
    expect(act.delivery?.trigger).toBe('STATUS_CHANGE_EVENT');
    expect(act.expectedOutcome).toBe('Lost: Date unavailable');
  });
});
