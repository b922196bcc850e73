/**
 * `venue-sync replay` at a Tripleseat venue without OAuth: nothing can look up a lead whose create answer
 * was lost, so replay re-sends such a request only after a person confirmed Tripleseat has none.
 */
import { describe, expect, it } from 'vitest';
import { ReconciliationStore } from '../../shared/reconciliation';
import { useWorld, validContact } from '../helpers/world';
import { cli } from './helpers';

const VENUE = 'venue-a';
const world = useWorld({ venuesWithoutOauth: [VENUE] });
const storeOf = () =>
  new ReconciliationStore({ client: world().dynamo.client, tableName: world().dynamo.tableName });

describe('Command: replay without a lookup', () => {
  it('re-sends only the requests a person confirmed by contact id', async () => {
    // Prepare: two maybe-sent requests at a venue without a lookup; the person found no lead for the first only
    const w = world();
    const store = storeOf();
    const [first, second] = [validContact(w), validContact(w)];
    for (const contactId of [first, second]) {
      w.tick(contactId, VENUE);
      const flagSetAt = new Date(
        w.hubspot.history(contactId, w.flagProperty(VENUE))[0]?.timestamp ?? 0,
      ).toISOString();
      const key = { venueId: VENUE, contactId, flagSetAt };
      await store.claim(key, 'run-1', 60_000);
      await store.markSending(key, 'run-1', {
        email: w.hubspot.getContact(contactId)?.properties.email ?? '',
      });
      await store.quarantineLedger(key, 'run-1', 'answer lost', { maybeSent: true });
    }

    // Act
    const replayed = await cli(w, ['replay', VENUE, '--yes', '--checked-tripleseat', first ?? '', '--json'], {
      venue: VENUE,
    });

    // Assess
    const items = JSON.parse(replayed.stdout).items as Array<{ contactId: string; outcome: string }>;
    expect(items.find((item) => item.contactId === first)?.outcome).toBe('created');
    expect(items.find((item) => item.contactId === second)?.outcome).toBe('skipped');
  });

  it('will not re-send a request that may have a lead at a venue without OAuth until a person confirmed', async () => {
    // Prepare: a venue without OAuth with a request whose create answer was lost
    const w = world();
    const store = storeOf();
    const contactId = validContact(w);
    w.tick(contactId, VENUE);
    const flagSetAt = new Date(
      w.hubspot.history(contactId, w.flagProperty(VENUE))[0]?.timestamp ?? 0,
    ).toISOString();
    const key = { venueId: VENUE, contactId, flagSetAt };
    const email = w.hubspot.getContact(contactId)?.properties.email ?? '';
    await store.claim(key, 'run-1', 60_000);
    await store.markSending(key, 'run-1', { email });
    await store.quarantineLedger(key, 'run-1', 'answer lost', { maybeSent: true });

    // Act
    const unconfirmed = await cli(w, ['replay', VENUE, '--yes', '--json'], { venue: VENUE });
    const confirmed = await cli(w, ['replay', VENUE, '--yes', '--checked-tripleseat', '--json'], {
      venue: VENUE,
    });

    // Assess (other cases in this file may leave their own requests quarantined: look at ours)
    const ours = (run: { stdout: string }) =>
      (JSON.parse(run.stdout).items as Array<{ contactId: string }>).filter(
        (item) => item.contactId === contactId,
      );
    expect(ours(unconfirmed)).toEqual([
      expect.objectContaining({
        outcome: 'skipped',
        detail: expect.stringMatching(/a lead may already exist/),
      }),
    ]);
    expect(ours(confirmed)).toEqual([expect.objectContaining({ outcome: 'created' })]);
    expect(w.tripleseat.leads(VENUE).filter((lead) => lead.email_address === email)).toHaveLength(1);
  });
});
