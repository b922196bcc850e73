/** The decision core's rules, one by one: pure functions, no I/O. */
import { describe, expect, it } from 'vitest';
import {
  AmbiguousOutcomeError,
  AuthError,
  PermanentApiError,
  TransientApiError,
} from '../../shared/rate-limit/errors';
import type { LedgerEntry } from '../../shared/reconciliation';
import {
  decideAfterLookUp,
  decideClaimed,
  decideExisting,
  decideLookUpFailed,
  decideSendFailed,
  matchEarlierLead,
} from '../../shared/sync/decide';
import type { LeadMapResult } from '../../shared/sync/lead-mapper';

const lead = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email_address: 'ada@example.com',
  phone_number: '+1 617 555 0100',
};
const valid: LeadMapResult = { ok: true, lead };
const invalid: LeadMapResult = { ok: false, reason: 'last name missing', field: 'last_name' };
const withLookup = { maxAttempts: 5, canLookUp: true };
const withoutLookup = { maxAttempts: 5, canLookUp: false };

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    pk: 'VENUE#venue-a',
    sk: 'LEAD#1#2026-11-28T10:00:00.000Z',
    venueId: 'venue-a',
    contactId: '1',
    flagSetAt: '2026-11-28T10:00:00.000Z',
    state: 'CLAIMED',
    attempts: 1,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

describe('Function: decideClaimed', () => {
  it('sends a new request that maps to a lead, rejects one that does not', () => {
    expect(decideClaimed(entry(), valid, withLookup)).toEqual({ do: 'send', lead });
    expect(decideClaimed(entry(), invalid, withLookup)).toEqual({
      do: 'reject',
      reason: 'last name missing',
    });
  });

  it('looks a maybe-sent request up by what was sent, or quarantines it without a lookup', () => {
    const sending = entry({
      state: 'SENDING',
      attempts: 2,
      sendingAt: 1,
      sent: { email: 'old@example.com' },
    });
    expect(decideClaimed(sending, valid, withLookup)).toEqual({
      do: 'look-up',
      sent: { email: 'old@example.com' },
    });
    expect(decideClaimed(sending, valid, withoutLookup)).toMatchObject({
      do: 'quarantine',
      maybeSent: true,
      reason: expect.stringMatching(/a lead may already exist/),
    });
  });

  it('quarantines a request out of attempts, saying whether a lead may exist', () => {
    expect(decideClaimed(entry({ attempts: 6, lastError: '503' }), valid, withLookup)).toMatchObject({
      do: 'quarantine',
      maybeSent: false,
      reason: expect.stringMatching(/gave up after 5 attempts \(503\); no lead was created/),
    });
  });
});

describe('Function: decideSendFailed', () => {
  it('rejects on a refusal, retries a turned-away request, stops on credentials', () => {
    const refused = new PermanentApiError('tripleseat', 'Tripleseat rejected the lead: phone invalid');
    expect(decideSendFailed(refused, entry(), withLookup)).toEqual({
      do: 'reject',
      reason: 'Tripleseat: phone invalid',
    });
    expect(decideSendFailed(new TransientApiError('tripleseat', '503'), entry(), withLookup)).toEqual({
      do: 'retry',
      error: '503',
      maybeSent: false,
    });
    expect(decideSendFailed(new AuthError('tripleseat', '401'), entry(), withLookup)).toMatchObject({
      do: 'stop',
      maybeSent: false,
    });
  });

  it('never re-sends blindly after a lost answer: look it up next tick, or quarantine it', () => {
    const lost = new AmbiguousOutcomeError('tripleseat', 'socket hang up');
    expect(decideSendFailed(lost, entry(), withLookup)).toMatchObject({ do: 'retry', maybeSent: true });
    expect(decideSendFailed(lost, entry(), withoutLookup)).toMatchObject({
      do: 'quarantine',
      maybeSent: true,
    });
    // An error that is not the destination's (a bug after the call went out) counts as lost too.
    expect(decideSendFailed(new Error('boom'), entry(), withoutLookup)).toMatchObject({
      do: 'quarantine',
      maybeSent: true,
    });
  });
});

describe('Function: decideLookUpFailed', () => {
  it('keeps the request maybe-sent (retry, then quarantine); never rejects it', () => {
    const refused = new PermanentApiError('tripleseat', '404');
    expect(decideLookUpFailed(refused, entry({ attempts: 2 }), withLookup)).toMatchObject({
      do: 'retry',
      maybeSent: true,
    });
    expect(decideLookUpFailed(refused, entry({ attempts: 5 }), withLookup)).toMatchObject({
      do: 'quarantine',
      maybeSent: true,
    });
  });
});

describe('Function: decideAfterLookUp / decideExisting', () => {
  it('records a found lead, sends when none was found', () => {
    expect(decideAfterLookUp('L1', valid)).toEqual({ do: 'record', leadId: 'L1' });
    expect(decideAfterLookUp(undefined, valid)).toEqual({ do: 'send', lead });
  });

  it('leaves an in-flight request to its run and finishes a decided one', () => {
    expect(decideExisting(entry({ claimedBy: 'run-1' }))).toMatchObject({ do: 'leave' });
    expect(decideExisting(entry({ state: 'LEAD_CREATED', leadId: 'L1' }))).toEqual({
      do: 'finish',
      outcome: { kind: 'sent', leadId: 'L1' },
      markDone: true,
    });
  });
});

describe('Function: matchEarlierLead', () => {
  const tick = Date.parse('2026-11-28T10:00:00.000Z');
  const at = (iso: string, widen = 0) => ({
    earliestMs: Date.parse(iso) - widen,
    latestMs: Date.parse(iso) + widen,
  });
  const sent = { email: 'ada@example.com', lastName: 'Lovelace', phone: '+1 617 555 0100' };

  it('takes the lead created after the tick with the email sent, not an earlier one of the same day', () => {
    const leads = [
      { id: 'before', email: 'ADA@example.com', createdAt: '', createdWindow: at('2026-11-28T09:00:00Z') },
      { id: 'ours', email: 'ada@example.com', createdAt: '', createdWindow: at('2026-11-28T10:00:03Z') },
    ];
    expect(matchEarlierLead(leads, sent, tick, new Set())).toBe('ours');
  });

  it("widens the window for a zone-less time, and never takes another request's lead", () => {
    const zoneless = {
      id: 'z',
      email: 'ada@example.com',
      createdAt: '',
      createdWindow: at('2026-11-28T05:00:00Z', 14 * 3_600_000),
    };
    expect(matchEarlierLead([zoneless], sent, tick, new Set())).toBe('z');
    expect(matchEarlierLead([zoneless], sent, tick, new Set(['z']))).toBeUndefined();
  });

  it('refuses a lead whose name or phone disagrees with what was sent', () => {
    const other = {
      id: 'x',
      email: 'ada@example.com',
      createdAt: '',
      createdWindow: at('2026-11-28T10:00:03Z'),
      lastName: 'Byron',
    };
    expect(matchEarlierLead([other], sent, tick, new Set())).toBeUndefined();
  });
});
