/**
 * The http destination against the simulated marina platform over real HTTP: one test per
 * classification rule, the idempotency key, the rendered body and the lookup. The ApiCaller is a
 * pass-through (no retries), so each answer reaches the classification as the platform gave it.
 */
import { describe, expect, it } from 'vitest';
import {
  AmbiguousOutcomeError,
  AuthError,
  PermanentApiError,
  TransientApiError,
} from '../../shared/rate-limit/errors';
import { idempotencyKeyOf } from '../../shared/destinations';
import { MAX_VESSEL_MAKE } from '../../sandbox/marina-platform';
import { lead, marinaDestination, usePlatform } from './helpers';

const platform = usePlatform();
const key = (contactId: string, flagSetAt = '2026-11-23T12:00:00.000Z') => ({
  venueId: 'marina',
  contactId,
  flagSetAt,
});

describe('HttpDestination: classification', () => {
  it('created: a 201 stores one enquiry and the id is read from its JSON path', async () => {
    const p = platform();
    const sent = lead();

    const created = await marinaDestination(p).createLead(sent, { key: key('c-created') });

    const stored = p.enquiries().filter((e) => e.email === sent.email_address);
    expect(stored).toHaveLength(1);
    expect(created.leadId).toBe(stored[0]?.id);
    expect(stored[0]?.body).toEqual({
      customer: {
        firstName: 'Grace',
        lastName: sent.last_name,
        email: sent.email_address,
        phone: '+16175550100',
      },
      vessel: { make: 'Boston Whaler' },
      event: { date: '2027-06-12', guests: 12 },
      notes: sent.additional_information,
      source: 'hubspot',
    });
  });

  it('rejected: a 422 is a PermanentApiError with the reason from its JSON path', async () => {
    const p = platform();
    const destination = marinaDestination(p, {
      body: { customer: { firstName: { $field: 'first_name' } } },
    });

    const error = await destination.createLead(lead(), { key: key('c-422') }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentApiError);
    expect((error as Error).message).toBe('Marina platform rejected the lead: customer email is required');
  });

  it("rejected: an error behind a 200 (the platform's odd shape) is rejected too, with its message", async () => {
    const p = platform();
    const sent = lead({
      additional_information: `Boat Brand: ${'X'.repeat(MAX_VESSEL_MAKE + 1)}`,
    });

    const error = await marinaDestination(p)
      .createLead(sent, { key: key('c-200-error') })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentApiError);
    expect((error as Error).message).toContain(`vessel make must be at most ${MAX_VESSEL_MAKE} characters`);
    expect(p.enquiries().some((e) => e.email === sent.email_address)).toBe(false);
  });

  it('retryable: a 429 or 503 is a TransientApiError and nothing is stored', async () => {
    const p = platform();
    p.faults.add({ match: /POST \/api\/v2\/enquiries/, status: 503, times: 1 });
    const sent = lead();

    const error = await marinaDestination(p)
      .createLead(sent, { key: key('c-503') })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientApiError);
    expect(error).not.toBeInstanceOf(AmbiguousOutcomeError);
    expect(p.enquiries().some((e) => e.email === sent.email_address)).toBe(false);
  });

  it('ambiguous: a 502 after the platform stored the enquiry is never taken as turned away', async () => {
    const p = platform();
    p.storeThenBadGateway = 1;
    const sent = lead();

    const error = await marinaDestination(p)
      .createLead(sent, { key: key('c-502') })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
    expect(p.enquiries().filter((e) => e.email === sent.email_address)).toHaveLength(1);
  });

  it('ambiguous: an answer lost after the write (connection dropped)', async () => {
    const p = platform();
    p.faults.add({ match: /POST \/api\/v2\/enquiries/, dropAnswerAfterWrite: true, times: 1 });

    const error = await marinaDestination(p)
      .createLead(lead(), { key: key('c-drop') })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AmbiguousOutcomeError);
  });

  it('credentials refused: an AuthError that names the secret keys, never the key itself', async () => {
    const p = platform();

    const error = await marinaDestination(p, {}, 'wrong-key-123')
      .createLead(lead(), { key: key('c-401') })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('"destination" keys');
    expect((error as Error).message).not.toContain('wrong-key-123');
  });
});

describe('HttpDestination: Idempotency-Key', () => {
  it('is identical across attempts of one request and different for a re-tick', async () => {
    const p = platform();
    const sent = lead();
    const first = key('c-idem', '2026-11-23T12:00:00.000Z');
    const retick = key('c-idem', '2026-11-23T12:30:00.000Z');
    p.storeThenBadGateway = 1;
    const destination = marinaDestination(p);

    await destination.createLead(sent, { key: first }).catch(() => undefined); // stored, answer 502
    const again = await destination.createLead(sent, { key: first }); // same request, second attempt
    const next = await destination.createLead(sent, { key: retick }); // the contact ticked again

    const stored = p.enquiries().filter((e) => e.email === sent.email_address);
    expect(stored.map((e) => e.idempotencyKey)).toEqual([idempotencyKeyOf(first), idempotencyKeyOf(retick)]);
    expect(again.leadId).toBe(stored[0]?.id);
    expect(next.leadId).toBe(stored[1]?.id);
    expect(idempotencyKeyOf(first)).toBe(idempotencyKeyOf({ ...first }));
    expect(idempotencyKeyOf(first)).not.toBe(idempotencyKeyOf(retick));
    expect(idempotencyKeyOf(first)).not.toContain('c-idem');
  });
});

describe('HttpDestination: lookup and preview', () => {
  it('finds the stored enquiry by email with id, created time, name and phone', async () => {
    const p = platform();
    const sent = lead();
    const destination = marinaDestination(p);
    const { leadId } = await destination.createLead(sent, { key: key('c-lookup') });

    const found = await destination.findLeadsByEmail?.(sent.email_address.toUpperCase());

    expect(found).toEqual([
      expect.objectContaining({
        id: leadId,
        email: sent.email_address,
        firstName: 'Grace',
        lastName: sent.last_name,
        phone: '+16175550100',
        createdWindow: expect.objectContaining({ earliestMs: expect.any(Number) }),
      }),
    ]);
  });

  it('without a lookup configured there is none, and the reason says so', () => {
    const destination = marinaDestination(platform(), { lookup: undefined });

    expect(destination.findLeadsByEmail).toBeUndefined();
    expect(destination.noLookUpReason).toBe('Marina platform has no lookup configured for this venue');
  });

  it('preview shows the body a create would send, without credentials', () => {
    const preview = marinaDestination(platform()).preview(lead({ guest_count: 80 }));

    expect(preview).toMatchObject({ method: 'POST', body: { event: { guests: 80 }, source: 'hubspot' } });
    expect(JSON.stringify(preview)).not.toContain('mp-key');
  });
});
