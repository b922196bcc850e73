/** The pure outcome decision: ordering by Tripleseat's time, stage and details apart, duplicates, the lost-answer rule. */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/reconciliation';
import type { LeadOutcomeRecord } from '../../shared/reconciliation/lead-index';
import { decideLeadOutcome, matchLostAnswer, type NextOutcome } from '../../shared/sync/lead-outcomes';
import { toOutcomeDelivery } from '../../shared/tripleseat/webhook/outcome-map';
import { parseTripleseatDelivery } from '../../shared/tripleseat/webhook/payload';

const ledger: LedgerEntry = {
  pk: 'VENUE#venue-a',
  sk: 'LEAD#c1#2026-01-01T00:00:00.000Z',
  venueId: 'venue-a',
  contactId: 'c1',
  flagSetAt: '2026-01-01T00:00:00.000Z',
  state: 'DONE',
  attempts: 1,
  leadId: '123',
  sendingAt: 1000,
  sent: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  createdAt: 0,
  updatedAt: 0,
};

function delivery(json: Record<string, unknown>) {
  const parsed = parseTripleseatDelivery(JSON.stringify(json));
  if (!parsed.ok) throw new Error(parsed.detail);
  return toOutcomeDelivery(parsed.delivery);
}

function decide(json: Record<string, unknown>, stored?: LeadOutcomeRecord, entry: LedgerEntry = ledger) {
  return decideLeadOutcome({
    venueId: 'venue-a',
    delivery: delivery(json),
    ledger: entry,
    stored,
    receivedAtMs: 0,
  });
}

function stored(next: NextOutcome): LeadOutcomeRecord {
  return { ...next, pk: 'p', sk: 's', updatedAt: 0, version: 1 };
}

const at = (minute: number) => `2026-05-01T12:${String(minute).padStart(2, '0')}:00Z`;

describe('decideLeadOutcome', () => {
  it('an event date change that arrived first does not block the older booking', () => {
    const dateChange = decide({
      webhook_trigger_type: 'CHANGE_EVENT_DATETIME',
      lead: { id: 123 },
      event: { id: 9, lead_id: 123, event_date: '2027-09-12', updated_at: at(2) },
    });
    if (dateChange.do !== 'write') throw new Error(dateChange.do);
    const booked = decide(
      { webhook_trigger_type: 'CONVERT_LEAD_TO_BOOKING', lead: { id: 123, updated_at: at(1) } },
      stored(dateChange.next),
    );
    if (booked.do !== 'write') throw new Error(booked.do);
    expect(booked.next.outcomeText).toBe('Booked');
    expect(booked.next.eventDate).toBe('2027-09-12');
  });

  it('the same delivery twice is a duplicate; an older stage is stale', () => {
    const turnedDown = { webhook_trigger_type: 'LEAD_TURNED_DOWN', lead: { id: 123, updated_at: at(5) } };
    const first = decide(turnedDown);
    if (first.do !== 'write') throw new Error(first.do);
    expect(decide(turnedDown, stored(first.next))).toEqual({ do: 'nothing', why: 'duplicate' });
    expect(
      decide(
        { webhook_trigger_type: 'CONVERT_LEAD', lead: { id: 123, updated_at: at(4) } },
        stored(first.next),
      ),
    ).toEqual({ do: 'nothing', why: 'stale' });
  });

  it("a lead the ledger entry does not hold, or another venue's entry, is unknown", () => {
    const convert = { webhook_trigger_type: 'CONVERT_LEAD', lead: { id: 999, updated_at: at(1) } };
    expect(decide(convert).do).toBe('unknown-lead');
    expect(decide({ ...convert, lead: { id: 123 } }, undefined, { ...ledger, venueId: 'venue-b' }).do).toBe(
      'unknown-lead',
    );
  });
});

describe('matchLostAnswer', () => {
  const quarantined: LedgerEntry = { ...ledger, state: 'QUARANTINED', leadId: undefined };
  const create = (email: string, createdAt = at(1)) =>
    delivery({
      webhook_trigger_type: 'CREATE_LEAD',
      lead: { id: 5, email_address: email, created_at: createdAt },
    });

  it('matches the one quarantined lost-answer request whose sent email it carries', () => {
    expect(matchLostAnswer(create('ADA@example.com'), 'venue-a', [quarantined])).toEqual({
      match: 'one',
      entry: quarantined,
    });
  });

  it('never guesses: another email, a request never sent, or two candidates', () => {
    expect(matchLostAnswer(create('bob@example.com'), 'venue-a', [quarantined]).match).toBe('none');
    const { sendingAt: _sent, ...neverSent } = quarantined;
    expect(matchLostAnswer(create('ada@example.com'), 'venue-a', [neverSent]).match).toBe('none');
    expect(
      matchLostAnswer(create('ada@example.com'), 'venue-a', [
        quarantined,
        { ...quarantined, contactId: 'c2' },
      ]),
    ).toEqual({ match: 'ambiguous', count: 2 });
  });
});
