/**
 * The exactly-once guarantees, run against both kinds of destination through the real poller handler:
 * Tripleseat (venue-b, with its OAuth lookup) and the http destination (the marina on its platform,
 * with the configured lookup). Crash at every step boundary, lost answers with and without a lookup,
 * two runs at once, and contacts ticked for other venues: one lead per request, none misrouted, none lost.
 */
import { describe, expect, it } from 'vitest';
import { keys, ReconciliationStore } from '../../shared/reconciliation';
import type { PollStep } from '../../shared/sync/poll-venue';
import type { World } from '../../sandbox/world';
import { SimulatedCrash, crashingTick, tickPoller, useWorld, validContact } from '../helpers/world';

const world = useWorld();
const CLAIM_TTL_MS = 300_000;

interface DestinationUnderTest {
  kind: string;
  venueId: string;
  /** Leads at this venue's destination with this email. */
  leads(w: World, email: string): unknown[];
  /** Every email the destination holds for this venue. */
  emails(w: World): string[];
  /** The next create is stored, then its answer is lost. */
  loseNextAnswer(w: World): void;
  /** Every create is answered 503 (nothing stored) until `clearFaults`. */
  turnCreatesAway(w: World): void;
  clearFaults(w: World): void;
  /** Env that takes the lookup away. */
  withoutLookUp(w: World): Record<string, string>;
}

const DESTINATIONS: DestinationUnderTest[] = [
  {
    kind: 'tripleseat',
    venueId: 'venue-b',
    leads: (w, email) => w.tripleseat.leads('venue-b').filter((lead) => lead.email_address === email),
    emails: (w) => w.tripleseat.leads('venue-b').map((lead) => lead.email_address),
    loseNextAnswer: (w) =>
      w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 }),
    turnCreatesAway: (w) => w.tripleseat.faults.add({ match: /create\.js/, status: 503 }),
    clearFaults: (w) => w.tripleseat.faults.clear(),
    withoutLookUp: () => ({ TRIPLESEAT_OAUTH_TOKEN: '' }),
  },
  {
    kind: 'http',
    venueId: 'marina',
    leads: (w, email) => w.marinaPlatform.enquiries().filter((enquiry) => enquiry.email === email),
    emails: (w) => w.marinaPlatform.enquiries().map((enquiry) => enquiry.email),
    loseNextAnswer: (w) =>
      w.marinaPlatform.faults.add({
        match: /POST \/api\/v2\/enquiries/,
        dropAnswerAfterWrite: true,
        times: 1,
      }),
    turnCreatesAway: (w) => w.marinaPlatform.faults.add({ match: /POST \/api\/v2\/enquiries/, status: 503 }),
    clearFaults: (w) => w.marinaPlatform.faults.clear(),
    withoutLookUp: (w) => {
      const venue = w.venue('marina');
      if (venue.destination?.type !== 'http') throw new Error('marina has no http destination');
      return { DESTINATION: JSON.stringify({ ...venue.destination, lookup: undefined }) };
    },
  },
];

const emailOf = (w: World, contactId: string) => w.hubspot.getContact(contactId)?.properties['email'] ?? '';

describe.each(DESTINATIONS)('Both destinations: $kind ($venueId)', (destination) => {
  const { venueId } = destination;

  it.each<PollStep>(['claimed', 'sending', 'lead-created', 'lead-recorded', 'flags-cleared'])(
    'a crash at "%s", then fresh runs: exactly one lead and a cleared flag',
    async (step) => {
      const w = world();
      const contact = validContact(w, { boat_brand: 'Hinckley' });
      const bystander = validContact(w, { boat_brand: 'Grady-White' });
      w.tick(contact, venueId);
      w.tick(bystander, venueId);
      // A new request is claimed with its intent to send in one write, so "claimed" (a claim without the
      // intent) is reached by a request claimed again: its first send was turned away.
      if (step === 'claimed') {
        destination.turnCreatesAway(w);
        try {
          expect(await tickPoller(w, venueId)).toMatchObject({ created: 0, quarantined: 0 });
        } finally {
          destination.clearFaults(w);
        }
      }

      const crash = await crashingTick(w, venueId, step, contact);
      await tickPoller(w, venueId);
      w.clock.advance(CLAIM_TTL_MS + 1_000);
      await tickPoller(w, venueId);

      expect(crash).toBeInstanceOf(SimulatedCrash);
      expect(destination.leads(w, emailOf(w, contact))).toHaveLength(1);
      expect(destination.leads(w, emailOf(w, bystander))).toHaveLength(1);
      expect(w.hubspot.getContact(contact)?.properties[w.flagProperty(venueId)]).toBe('false');
    },
  );

  it('the answer to the create is lost: the lookup finds the lead, no second one', async () => {
    const w = world();
    const contact = validContact(w, { boat_brand: 'Sea Ray' });
    w.tick(contact, venueId);
    destination.loseNextAnswer(w);

    const first = await tickPoller(w, venueId);
    const second = await tickPoller(w, venueId);

    expect(first).toMatchObject({ retried: 1, created: 0 });
    expect(second).toMatchObject({ created: 1 });
    expect(destination.leads(w, emailOf(w, contact))).toHaveLength(1);
    expect(w.hubspot.getContact(contact)?.properties[w.flagProperty(venueId)]).toBe('false');
  });

  it('the answer is lost and there is no lookup: quarantined, naming the destination, never re-sent', async () => {
    const w = world();
    const contact = validContact(w, { boat_brand: 'Boston Whaler' });
    w.tick(contact, venueId);
    destination.loseNextAnswer(w);
    const env = destination.withoutLookUp(w);

    const first = await tickPoller(w, venueId, { env });
    await tickPoller(w, venueId, { env });

    expect(first).toMatchObject({ quarantined: 1 });
    expect(destination.leads(w, emailOf(w, contact))).toHaveLength(1);
    const store = new ReconciliationStore({ client: w.dynamo.client, tableName: w.dynamo.tableName });
    const reason = (await store.listQuarantine(keys.venueSource(venueId))).find((q) =>
      q.key.startsWith(`${contact}#`),
    )?.reason;
    const name = destination.kind === 'http' ? 'Marina platform' : 'Tripleseat';
    expect(reason).toContain(`a lead may already exist: check ${name} for contact ${contact}`);
  });

  it('two runs at the same time: one works, one skips, one lead per request', async () => {
    const w = world();
    const contacts = Array.from({ length: 12 }, () => validContact(w, { boat_brand: 'Catalina' }));
    for (const id of contacts) w.tick(id, venueId);

    const reports = await Promise.all([tickPoller(w, venueId), tickPoller(w, venueId)]);

    expect(reports.map((r) => r.status).sort()).toEqual(['completed', 'lease-held']);
    for (const id of contacts) expect(destination.leads(w, emailOf(w, id))).toHaveLength(1);
  });

  it('contacts ticked for other venues never reach this destination, and its own reach no other', async () => {
    const w = world();
    const own = validContact(w, { boat_brand: 'Beneteau' });
    const others = [validContact(w), validContact(w)];
    w.tick(own, venueId);
    for (const [i, other] of ['venue-a', venueId === 'marina' ? 'venue-b' : 'marina'].entries()) {
      w.tick(others[i] as string, other);
    }

    await tickPoller(w, venueId);

    const held = new Set(destination.emails(w));
    expect(held.has(emailOf(w, own))).toBe(true);
    for (const other of others) expect(held.has(emailOf(w, other))).toBe(false);
    for (const other of DESTINATIONS.filter((d) => d !== destination)) {
      expect(other.leads(w, emailOf(w, own))).toHaveLength(0);
    }
    expect(w.tripleseat.leads('venue-a').some((lead) => lead.email_address === emailOf(w, own))).toBe(false);
  });
});

describe('The marina platform gateway: a 502 after storing', () => {
  it('is ambiguous: the lookup finds the stored enquiry on the next tick, one lead', async () => {
    const w = world();
    const contact = validContact(w, { boat_brand: 'Parker' });
    w.tick(contact, 'marina');
    w.marinaPlatform.storeThenBadGateway = 1;

    const first = await tickPoller(w, 'marina');
    const second = await tickPoller(w, 'marina');

    expect([first.created, first.retried, second.created]).toEqual([0, 1, 1]);
    expect(w.marinaPlatform.enquiries().filter((e) => e.email === emailOf(w, contact))).toHaveLength(1);
  });
});
