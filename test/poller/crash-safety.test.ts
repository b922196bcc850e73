/**
 * Crash injection at every step boundary of the poller (docs/design.md section 5), each followed by a fresh
 * run: zero duplicate leads, zero lost requests. A crash is an exception thrown out of the engine at
 * that boundary; the dead run's claim stays until it expires, as it would after a real crash.
 */
import { describe, expect, it } from 'vitest';
import { keys, ReconciliationStore } from '../../shared/reconciliation';
import { LeadIndex } from '../../shared/reconciliation/lead-index';
import type { PollStep } from '../../shared/sync/poll-venue';
import type { World } from '../../sandbox/world';
import {
  SimulatedCrash,
  crashingTick,
  ledgerOf,
  tickPoller,
  tripleseatLeadsOf as leadsFor,
  useWorld,
  validContact,
} from '../helpers/world';

const world = useWorld();
const CLAIM_TTL_MS = 300_000;

/** One run in which Tripleseat answers every create with 503: the requests are kept (CLAIMED) for later. */
async function tickWithCreatesTurnedAway(w: World, venueId: string): Promise<void> {
  w.tripleseat.faults.add({ match: /create\.js/, status: 503 });
  try {
    expect(await tickPoller(w, venueId)).toMatchObject({ created: 0, quarantined: 0 });
  } finally {
    w.tripleseat.faults.clear();
  }
}

describe('Engine: pollVenue crash safety', () => {
  it.each<PollStep>(['claimed', 'lead-created', 'lead-recorded', 'flags-cleared'])(
    'a crash at "%s" followed by fresh runs gives exactly one lead and a cleared flag',
    async (step) => {
      // Prepare
      const w = world();
      const contact = validContact(w);
      const bystander = validContact(w);
      w.tick(contact, 'venue-a');
      w.tick(bystander, 'venue-a');

      // A new request is claimed with its intent to send in one write, so "claimed" (a claim without the
      // intent) is reached by a request claimed again: its first send was turned away.
      if (step === 'claimed') await tickWithCreatesTurnedAway(w, 'venue-a');

      // Act: the crashing run, then a run while the dead claim is live, then one after it expired.
      const crash = await crashingTick(w, 'venue-a', step, contact);
      await tickPoller(w, 'venue-a');
      w.clock.advance(CLAIM_TTL_MS + 1_000);
      await tickPoller(w, 'venue-a');

      // Assess
      expect(crash).toBeInstanceOf(SimulatedCrash);
      expect(leadsFor(w, 'venue-a', contact)).toHaveLength(1);
      expect(leadsFor(w, 'venue-a', bystander)).toHaveLength(1);
      expect(w.hubspot.getContact(contact)?.properties[w.flagProperty('venue-a')]).toBe('false');
      const entry = (await ledgerOf(w, 'venue-a')).find((e) => e.contactId === contact);
      expect(entry?.leadId).toBe(String(leadsFor(w, 'venue-a', contact)[0]?.id));
      // After "flags-cleared" the flag is gone, so no later run revisits it: the lead id is the record.
      expect(entry?.state).toBe(step === 'flags-cleared' ? 'LEAD_CREATED' : 'DONE');
      // Whichever run finished it, the lead is indexed to its request (outcome deliveries find it).
      const index = new LeadIndex({ client: w.dynamo.client, tableName: w.dynamo.tableName });
      expect(await index.findLead('venue-a', entry?.leadId ?? '')).toEqual({
        venueId: 'venue-a',
        contactId: contact,
        flagSetAt: entry?.flagSetAt,
      });
    },
  );

  it('lead created but the answer lost: the OAuth lookup finds it, no second lead', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });

    const first = await tickPoller(w, 'venue-b');
    const second = await tickPoller(w, 'venue-b');

    expect(first).toMatchObject({ retried: 1, created: 0 });
    expect(second).toMatchObject({ created: 1 });
    expect(leadsFor(w, 'venue-b', contact)).toHaveLength(1);
    expect(w.hubspot.getContact(contact)?.properties[w.flagProperty('venue-b')]).toBe('false');
  });

  it('a refused lead lookup is retried later, not taken as the record being bad', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });
    w.tripleseat.faults.add({ match: /search\.json/, status: 404, times: 1 });

    const first = await tickPoller(w, 'venue-b'); // answer lost
    const second = await tickPoller(w, 'venue-b'); // lookup refused
    const third = await tickPoller(w, 'venue-b'); // lookup finds the lead

    expect([first.retried, second.retried, second.rejected]).toEqual([1, 1, 0]);
    expect(third).toMatchObject({ created: 1, rejected: 0 });
    expect(leadsFor(w, 'venue-b', contact)).toHaveLength(1);
  });

  it('lead created but the answer lost at a venue without OAuth: quarantined for a person, never re-sent', async () => {
    // The marina (once the Tripleseat venue without OAuth) is on its own platform now: venue-a without
    // its OAuth token plays that venue (test/destinations/both-destinations.test.ts covers the marina).
    const w = world();
    const contact = validContact(w);
    const env = { TRIPLESEAT_OAUTH_TOKEN: '' };
    w.tick(contact, 'venue-a');
    w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });

    const first = await tickPoller(w, 'venue-a', { env });
    await tickPoller(w, 'venue-a', { env });

    expect(first).toMatchObject({ quarantined: 1 });
    expect(leadsFor(w, 'venue-a', contact)).toHaveLength(1);
    const store = new ReconciliationStore({ client: w.dynamo.client, tableName: w.dynamo.tableName });
    const quarantined = await store.listQuarantine(keys.venueSource('venue-a'));
    expect(quarantined.find((q) => q.key.startsWith(`${contact}#`))?.reason).toMatch(
      /no OAuth token .*a lead may already exist: check Tripleseat/,
    );
  });

  it('two runs at the same time: one works, one skips, zero duplicates', async () => {
    const w = world();
    const contacts = Array.from({ length: 30 }, () => validContact(w));
    for (const id of contacts) w.tick(id, 'venue-a');

    const reports = await Promise.all([tickPoller(w, 'venue-a'), tickPoller(w, 'venue-a')]);

    expect(reports.map((r) => r.status).sort()).toEqual(['completed', 'lease-held']);
    for (const id of contacts) expect(leadsFor(w, 'venue-a', id)).toHaveLength(1);
  });
});
