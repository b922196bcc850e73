/**
 * Tripleseat lead outcomes end to end: the real poller creates leads in the simulated Tripleseat, which
 * sends signed deliveries over HTTP to each venue's real receiver (a local Function URL); HubSpot and
 * DynamoDB (dynalite) are real stand-ins too. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import { keys, ReconciliationStore, type LedgerKey } from '../../shared/reconciliation';
import { signTripleseatBody } from '../../shared/tripleseat/webhook/signature';
import { tripleseatKeys } from '../../sandbox/world';
import { tickPoller, validContact } from '../helpers/world';
import {
  OUTCOME_LABELS,
  contactValue,
  sendLead as sendLeadIn,
  useOutcomeWorld,
  webhookSecret,
} from './helpers';

const A = OUTCOME_LABELS['venue-a'];
const B = OUTCOME_LABELS['venue-b'];

describe('Tripleseat lead outcomes', () => {
  const ctx = useOutcomeWorld();

  const sendLead = (venueId: string) => sendLeadIn(ctx().world, venueId);

  async function settle(): Promise<void> {
    await ctx().world.tripleseat.webhooks.settled();
  }

  async function post(venueId: string, body: string, signature?: string): Promise<number> {
    const response = await fetch(ctx().receivers[venueId]?.url ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) },
      body,
    });
    await response.text();
    return response.status;
  }

  /** A delivery body as the simulator would send it, for a change at `updatedAt`. */
  function body(trigger: string, leadId: number, updatedAt: string, event?: Record<string, unknown>): string {
    return JSON.stringify({
      webhook_trigger_type: trigger,
      lead: { id: leadId, updated_at: updatedAt },
      ...(event ? { event: { id: 77, lead_id: leadId, updated_at: updatedAt, ...event } } : {}),
    });
  }

  describe('each trigger updates the right contact in the right venue only', () => {
    it('CREATE_LEAD of a lead venue-sync sent: Lead open, on that contact, in that venue only', async () => {
      const { world } = ctx();
      const { contactId } = await sendLead('venue-a');
      expect(contactValue(world, contactId, A.outcome)).toBe('Lead open');
      expect(contactValue(world, contactId, A.outcomeUpdatedAt)).toBeDefined();
      expect(contactValue(world, contactId, B.outcome)).toBeUndefined();
    });

    it.each([
      [
        'CONVERT_LEAD',
        (v: string, id: number) => ctx().world.tripleseat.webhooks.convertLead(v, id),
        'Converted',
      ],
      [
        'CONVERT_LEAD_TO_BOOKING',
        (v: string, id: number) => ctx().world.tripleseat.webhooks.convertLead(v, id, { toBooking: true }),
        'Booked',
      ],
      [
        'LEAD_TURNED_DOWN',
        (v: string, id: number) => ctx().world.tripleseat.webhooks.turnDownLead(v, id),
        'Turned down',
      ],
      [
        'STATUS_CHANGE_EVENT Tentative',
        (v: string, id: number) => ctx().world.tripleseat.webhooks.changeEventStatus(v, id, 'Tentative'),
        'Event: Tentative',
      ],
      [
        'STATUS_CHANGE_EVENT Lost',
        (v: string, id: number) =>
          ctx().world.tripleseat.webhooks.changeEventStatus(v, id, 'Lost', 'Chose another venue'),
        'Lost: Chose another venue',
      ],
    ] as const)('%s', async (_name, change, expected) => {
      const { world } = ctx();
      const a = await sendLead('venue-a');
      const b = await sendLead('venue-b');

      change('venue-a', a.leadId);
      await settle();

      expect(contactValue(world, a.contactId, A.outcome)).toBe(expected);
      expect(contactValue(world, b.contactId, B.outcome)).toBe('Lead open');
      expect(contactValue(world, a.contactId, B.outcome)).toBeUndefined();
    });

    it('a booking carries the event link; a lost event its reason; an event date change its date', async () => {
      const { world } = ctx();
      const a = await sendLead('venue-a');
      world.tripleseat.webhooks.convertLead('venue-a', a.leadId, { toBooking: true });
      world.tripleseat.webhooks.changeEventDate('venue-a', a.leadId, '2027-09-12');
      await settle();
      expect(contactValue(world, a.contactId, A.bookingLink)).toMatch(
        /^https:\/\/app\.tripleseat\.com\/events\/\d+$/,
      );
      expect(contactValue(world, a.contactId, A.eventDate)).toBe('2027-09-12');
      expect(contactValue(world, a.contactId, A.outcome)).toBe('Booked');

      world.tripleseat.webhooks.changeEventStatus('venue-a', a.leadId, 'Lost', 'Budget');
      await settle();
      expect(contactValue(world, a.contactId, A.outcome)).toBe('Lost: Budget');
      expect(contactValue(world, a.contactId, A.lostReason)).toBe('Budget');
    });
  });

  describe('forged, wrong-venue and stale deliveries change nothing', () => {
    it('a bad or missing signature is answered 401 and writes nothing', async () => {
      const { world } = ctx();
      const a = await sendLead('venue-a');
      const text = body('CONVERT_LEAD', a.leadId, new Date(world.clock.now() + 60_000).toISOString());

      expect(await post('venue-a', text, signTripleseatBody(text, 'not-the-secret'))).toBe(401);
      expect(await post('venue-a', text)).toBe(401);
      // Venue B's secret does not open venue A's receiver.
      expect(await post('venue-a', text, signTripleseatBody(text, webhookSecret('venue-b')))).toBe(401);
      expect(contactValue(world, a.contactId, A.outcome)).toBe('Lead open');
    });

    it("a delivery about venue B's lead, signed for venue A, reaches no contact", async () => {
      const { world, index } = ctx();
      const b = await sendLead('venue-b');
      const text = body('CONVERT_LEAD', b.leadId, new Date(world.clock.now() + 60_000).toISOString());

      expect(await post('venue-a', text, signTripleseatBody(text, webhookSecret('venue-a')))).toBe(200);

      expect(contactValue(world, b.contactId, B.outcome)).toBe('Lead open');
      expect(contactValue(world, b.contactId, A.outcome)).toBeUndefined();
      expect((await index.listUnknownLeads('venue-a')).map((r) => r.leadId)).toContain(String(b.leadId));
    });

    it('an older status never overwrites a newer one, whatever the arrival order', async () => {
      const { world } = ctx();
      const a = await sendLead('venue-a');
      const later = new Date(world.clock.now() + 120_000).toISOString();
      const earlier = new Date(world.clock.now() + 60_000).toISOString();
      const booked = body('CONVERT_LEAD_TO_BOOKING', a.leadId, later, { status: 'Definite' });
      const converted = body('CONVERT_LEAD', a.leadId, earlier);
      const sign = (text: string) => signTripleseatBody(text, webhookSecret('venue-a'));

      expect(await post('venue-a', booked, sign(booked))).toBe(200);
      expect(await post('venue-a', converted, sign(converted))).toBe(200);

      expect(contactValue(world, a.contactId, A.outcome)).toBe('Booked');
    });

    it('a repeated delivery changes nothing (answered 200, nothing written)', async () => {
      const { world, index } = ctx();
      const a = await sendLead('venue-a');
      const text = body('LEAD_TURNED_DOWN', a.leadId, new Date(world.clock.now() + 60_000).toISOString());
      const signature = signTripleseatBody(text, webhookSecret('venue-a'));
      expect(await post('venue-a', text, signature)).toBe(200);
      const first = await index.getOutcome('venue-a', String(a.leadId));

      expect(await post('venue-a', text, signature)).toBe(200);

      const second = await index.getOutcome('venue-a', String(a.leadId));
      expect(second?.updatedAt).toBe(first?.updatedAt);
      expect(contactValue(world, a.contactId, A.outcome)).toBe('Turned down');
    });
  });

  it('a lead venue-sync did not create is recorded for ops, answered 200, HubSpot untouched', async () => {
    const { world, index } = ctx();
    const email = `walk-in.${Date.now()}@example.com`;
    // Someone fills the venue's own web form: Tripleseat creates the lead and announces it.
    const url = new URL('/v1/leads/create.js', world.tripleseat.url);
    url.searchParams.set('public_key', tripleseatKeys('venue-a').publicKey);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lead: { first_name: 'Walk', last_name: 'In', email_address: email, phone_number: '555' },
      }),
    });
    const { lead_id: leadId } = (await response.json()) as { lead_id: number };
    await settle();

    const delivery = world.tripleseat.webhooks.deliveries.find((d) => d.leadId === leadId);
    expect(delivery?.attempts).toEqual([200]);
    expect((await index.listUnknownLeads('venue-a')).map((r) => r.leadId)).toContain(String(leadId));
    expect(await index.getOutcome('venue-a', String(leadId))).toBeUndefined();
  });

  it('CREATE_LEAD settles a request quarantined because its create answer was lost; nothing is re-sent', async () => {
    const { world, index } = ctx();
    const store = new ReconciliationStore({ client: world.dynamo.client, tableName: world.dynamo.tableName });
    const contactId = validContact(world);
    const contact = world.hubspot.getContact(contactId)?.properties ?? {};
    const email = contact['email'] ?? '';
    const key: LedgerKey = {
      venueId: 'venue-a',
      contactId,
      flagSetAt: new Date(world.clock.now()).toISOString(),
    };
    // What a run leaves when the create call reached Tripleseat but its answer never came back.
    await store.claim(key, 'lost-run', 60_000);
    await store.markSending(key, 'lost-run', {
      email,
      firstName: contact['firstname'],
      lastName: contact['lastname'],
    });
    await store.quarantineLedger(key, 'lost-run', 'answer lost', { maybeSent: true });
    world.tripleseat.webhooks.pause();
    const url = new URL('/v1/leads/create.js', world.tripleseat.url);
    url.searchParams.set('public_key', tripleseatKeys('venue-a').publicKey);
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lead: {
          first_name: contact['firstname'],
          last_name: contact['lastname'],
          email_address: email,
          phone_number: '555',
        },
      }),
    });
    const leadId = world.tripleseat.leads('venue-a').find((lead) => lead.email_address === email)?.id;

    world.tripleseat.webhooks.resume();
    await settle();

    const entry = await store.getLedger(key);
    expect(entry?.state).toBe('DONE');
    expect(entry?.leadId).toBe(String(leadId));
    expect((await store.listQuarantine(keys.venueSource('venue-a'))).map((r) => r.key)).not.toContain(
      `${contactId}#${key.flagSetAt}`,
    );
    expect(await index.findLead('venue-a', String(leadId))).toEqual(key);
    expect(world.hubspot.getContact(contactId)?.properties['tripleseat_status_venue_a']).toBe(
      `Sent to Tripleseat (lead ${leadId})`,
    );
    expect(contactValue(world, contactId, A.outcome)).toBe('Lead open');
    // Never re-sent: still exactly one lead for that email, and a poll does not send another.
    await tickPoller(world, 'venue-a');
    expect(world.tripleseat.leads('venue-a').filter((lead) => lead.email_address === email)).toHaveLength(1);
  });

  it('the nightly reconcile catches a dropped delivery, and a second run changes nothing', async () => {
    const { world } = ctx();
    const a = await sendLead('venue-a');
    world.tripleseat.webhooks.dropDeliveries('venue-a', 1);
    world.tripleseat.webhooks.convertLead('venue-a', a.leadId, { toBooking: true });
    await settle();
    expect(contactValue(world, a.contactId, A.outcome)).toBe('Lead open');

    const first = await ctx().reconcile('venue-a');
    expect(contactValue(world, a.contactId, A.outcome)).toBe('Booked');
    expect(first.applied).toBeGreaterThanOrEqual(1);

    const second = await ctx().reconcile('venue-a');
    expect(second.applied).toBe(0);
  });
});
