/**
 * Crash safety under real SIGKILLs: the poller runs in a child process that is killed outright (no
 * `finally`, the lease stays behind, as when Lambda kills a function), then a fresh run takes over once
 * the dead run's lease has lapsed. Per kill point and per venue kind (with and without the OAuth lookup):
 * never a duplicate lead, never a lost request, never a blind re-send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../sandbox/world';
import { keys, ReconciliationStore } from '../../shared/reconciliation';
import { LEASE_GRACE_MS } from '../../shared/sync/poll-venue';
import { validContact } from '../helpers/world';
import { buildChild, startChild } from './kill/spawn';

const REMAINING_MS = 240_000;
/** A Tripleseat venue without OAuth: nothing can look up a lead whose create answer was lost. */
const NO_LOOKUP = 'venue-a';
/** Past the dead run's lease: it lives as long as the invocation could, plus the grace. */
const AFTER_LEASE_MS = REMAINING_MS + LEASE_GRACE_MS + 1_000;

let world: World;
let bundle: string;
beforeAll(async () => {
  [world, bundle] = await Promise.all([
    World.start({ timeScale: 1, venuesWithoutOauth: [NO_LOOKUP] }),
    buildChild(),
  ]);
});
afterAll(async () => {
  await world.close();
});

function store(): ReconciliationStore {
  return new ReconciliationStore({ client: world.dynamo.client, tableName: world.dynamo.tableName });
}

function leadsFor(venueId: string, contactId: string) {
  const email = world.hubspot.getContact(contactId)?.properties['email'];
  return world.tripleseat.leads(venueId).filter((lead) => lead.email_address === email);
}

async function entryOf(venueId: string, contactId: string) {
  return (await store().listLedger(venueId)).find((entry) => entry.contactId === contactId);
}

/** One run that is SIGKILLed at `step` for `contactId`, then (after the lease lapsed) one clean run. */
async function killThenRecover(venueId: string, step: string, contactId: string) {
  const killed = await startChild(bundle, world, venueId, { killAtStep: step, killContact: contactId }).done;
  world.clock.advance(AFTER_LEASE_MS);
  const recovered = await startChild(bundle, world, venueId).done;
  return { killed, recovered };
}

/** One whole run in which Tripleseat answers every create with 503: its requests are kept (CLAIMED). */
async function runWithCreatesTurnedAway(venueId: string) {
  world.tripleseat.faults.add({ match: /create\.js/, status: 503 });
  try {
    expect(await startChild(bundle, world, venueId).done).toMatchObject({
      kind: 'finished',
      report: { created: 0, quarantined: 0 },
    });
  } finally {
    world.tripleseat.faults.clear();
  }
}

describe('Engine: pollVenue under SIGKILL', () => {
  it.each([
    { venueId: 'venue-b', step: 'claimed', leads: 1, state: 'DONE' },
    { venueId: NO_LOOKUP, step: 'claimed', leads: 1, state: 'DONE' },
    { venueId: 'venue-b', step: 'sending', leads: 1, state: 'DONE' },
    { venueId: NO_LOOKUP, step: 'sending', leads: 0, state: 'QUARANTINED' },
    { venueId: 'venue-b', step: 'lead-created', leads: 1, state: 'DONE' },
    { venueId: NO_LOOKUP, step: 'lead-created', leads: 1, state: 'QUARANTINED' },
    { venueId: 'venue-b', step: 'lead-recorded', leads: 1, state: 'DONE' },
    { venueId: NO_LOOKUP, step: 'lead-recorded', leads: 1, state: 'DONE' },
  ])(
    '$venueId killed at "$step": $leads lead(s), $state, and nothing re-sent blindly',
    async ({ venueId, step, leads, state }) => {
      // Prepare
      const contactId = validContact(world);
      world.tick(contactId, venueId);
      // A new request is claimed with its intent to send in one write, so "claimed" (a claim without the
      // intent) is reached by a request claimed again: its first send was turned away.
      if (step === 'claimed') await runWithCreatesTurnedAway(venueId);

      // Act
      const { killed, recovered } = await killThenRecover(venueId, step, contactId);

      // Assess
      expect(killed.kind).toBe('killed');
      expect(recovered.kind).toBe('finished');
      expect(leadsFor(venueId, contactId)).toHaveLength(leads);
      const entry = await entryOf(venueId, contactId);
      expect(entry?.state).toBe(state);
      if (state === 'QUARANTINED') {
        // Claimed-never-sent is retried; maybe-sent without a lookup waits for a person, who is told why.
        expect(entry?.lastError).toMatch(/a lead may already exist: check Tripleseat/);
        const parked = await store().listQuarantine(keys.venueSource(venueId));
        expect(parked.find((record) => record.key.startsWith(`${contactId}#`))?.payload).toMatchObject({
          maybeSent: true,
        });
      }
      expect(world.hubspot.getContact(contactId)?.properties[world.flagProperty(venueId)]).toBe('false');
    },
  );

  it("the first run after a dead run's lease lapses finishes every request the dead run had in flight", async () => {
    // Prepare: four requests; the run dies while sending the third (others in flight around it)
    const contacts = [validContact(world), validContact(world), validContact(world), validContact(world)];
    for (const contact of contacts) world.tick(contact, 'venue-b');

    // Act: killed; a tick while its lease still stands skips; the first tick after it lapses recovers
    const killed = await startChild(bundle, world, 'venue-b', {
      killAtStep: 'sending',
      killContact: contacts[2],
    }).done;
    const whileLeaseStands = await startChild(bundle, world, 'venue-b').done;
    world.clock.advance(AFTER_LEASE_MS);
    const recovered = await startChild(bundle, world, 'venue-b').done;

    // Assess: one run recovers everything; no request waits for a later tick
    expect(killed.kind).toBe('killed');
    expect(whileLeaseStands).toMatchObject({ kind: 'finished', report: { status: 'lease-held' } });
    expect(recovered).toMatchObject({ kind: 'finished', report: { status: 'completed', retried: 0 } });
    for (const contact of contacts) {
      expect(leadsFor('venue-b', contact)).toHaveLength(1);
      expect(world.hubspot.getContact(contact)?.properties[world.flagProperty('venue-b')]).toBe('false');
      expect((await entryOf('venue-b', contact))?.state).toBe('DONE');
    }
  });
});
