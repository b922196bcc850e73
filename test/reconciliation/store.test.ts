import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LOCAL_AWS } from '../../sandbox/local-dynamo';
import {
  IllegalTransitionError,
  LEDGER_STATES,
  LEGAL_TRANSITIONS,
  ReconciliationStore,
  keys,
  type LedgerKey,
  type LedgerState,
} from '../../shared/reconciliation';
import { useLocalDynamo } from '../helpers/dynamo';

const dynamo = useLocalDynamo();
let keySeq = 0;
const freshKey = (venueId = 'venue-a'): LedgerKey => ({
  venueId,
  contactId: String(1000 + ++keySeq),
  flagSetAt: '2026-11-23T12:00:00.000Z',
});

function storeAt(clock: { now: number }): ReconciliationStore {
  return new ReconciliationStore({
    client: dynamo().client,
    tableName: dynamo().tableName,
    now: () => clock.now,
  });
}

/** Drives a fresh entry into `state` through legal moves only. */
async function entryIn(store: ReconciliationStore, state: LedgerState): Promise<LedgerKey> {
  const key = freshKey();
  await store.claim(key, 'run-1', 60_000);
  if (state === 'SENDING' || state === 'LEAD_CREATED' || state === 'DONE') {
    await store.markSending(key, 'run-1', { email: 'ada@example.com' });
  }
  if (state === 'LEAD_CREATED' || state === 'DONE') await store.markLeadCreated(key, 'run-1', 'L1');
  if (state === 'DONE') await store.markDone(key);
  if (state === 'REJECTED') await store.reject(key, 'run-1', 'last name missing');
  if (state === 'QUARANTINED') await store.quarantineLedger(key, 'run-1', 'Tripleseat 503 x5');
  return key;
}

/** Attempts the move into `to` the way the engine would (as the claiming run). */
function move(store: ReconciliationStore, key: LedgerKey, to: LedgerState): Promise<unknown> {
  switch (to) {
    case 'CLAIMED':
      return store.releaseForRetry(key, 'run-1', 'timeout');
    case 'SENDING':
      return store.markSending(key, 'run-1', { email: 'ada@example.com' });
    case 'LEAD_CREATED':
      return store.markLeadCreated(key, 'run-1', 'L2');
    case 'DONE':
      return store.markDone(key);
    case 'REJECTED':
      return store.reject(key, 'run-1', 'bad');
    case 'QUARANTINED':
      return store.quarantineLedger(key, 'run-1', 'gave up');
  }
}

describe('Class: ReconciliationStore', () => {
  describe('Method: acquireLease', () => {
    it('takes a free lease, refuses it while held, and lets another runner take it after expiry', async () => {
      // Prepare
      const clock = { now: 1_000_000 };
      const store = storeAt(clock);
      const partition = keys.venue('lease-venue');

      // Act / Assess
      expect(await store.acquireLease(partition, 'run-1', 60_000)).toBe(true);
      expect(await store.acquireLease(partition, 'run-2', 60_000)).toBe(false);
      expect(await store.acquireLease(partition, 'run-1', 60_000)).toBe(true); // renewal by the holder
      clock.now += 60_001;
      expect(await store.acquireLease(partition, 'run-2', 60_000)).toBe(true);
      expect((await store.getLease(partition))?.owner).toBe('run-2');
    });

    it('release by a non-owner changes nothing; release by the owner frees it', async () => {
      const clock = { now: 5_000_000 };
      const store = storeAt(clock);
      const partition = keys.venue('release-venue');
      await store.acquireLease(partition, 'run-1', 60_000);

      await store.releaseLease(partition, 'run-2');
      expect(await store.acquireLease(partition, 'run-3', 60_000)).toBe(false);
      await store.releaseLease(partition, 'run-1');
      expect(await store.acquireLease(partition, 'run-3', 60_000)).toBe(true);
    });

    it('lets exactly one of many truly concurrent runners (separate clients) take the lease', async () => {
      const partition = keys.venue('race-venue');
      const stores = Array.from(
        { length: 12 },
        () =>
          new ReconciliationStore({
            client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo().endpoint }),
            tableName: dynamo().tableName,
          }),
      );

      const results = await Promise.all(
        stores.map((store, i) => store.acquireLease(partition, `run-${i}`, 60_000)),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('Method: claim', () => {
    it('leaves a request to the run that claimed it when that run claims it again', async () => {
      const clock = { now: 2_000_000 };
      const store = storeAt(clock);
      const key = freshKey();

      const first = await store.claim(key, 'run-1', 60_000);
      const again = await store.claim(key, 'run-1', 60_000);

      expect(first).toMatchObject({
        outcome: 'claimed',
        resumed: false,
        entry: { state: 'CLAIMED', attempts: 1 },
      });
      expect(again).toMatchObject({ outcome: 'exists', entry: { state: 'CLAIMED', claimedBy: 'run-1' } });
    });

    it('takes over at once an in-flight entry of another run (claims live only as long as the lease), counting the attempt', async () => {
      const clock = { now: 3_000_000 };
      const store = storeAt(clock);
      const key = freshKey();
      await store.claim(key, 'run-1', 600_000);

      // The caller holds the venue lease, so run-1 is dead or fenced out: no waiting for its claim to expire.
      const resumed = await store.claim(key, 'run-2', 60_000);

      expect(resumed).toMatchObject({
        outcome: 'claimed',
        resumed: true,
        entry: { claimedBy: 'run-2', attempts: 2 },
      });
      // The dead runner can no longer move the entry.
      await expect(store.markLeadCreated(key, 'run-1', 'L9')).rejects.toBeInstanceOf(IllegalTransitionError);
    });

    it('never resumes an entry that already has a lead', async () => {
      const clock = { now: 4_000_000 };
      const store = storeAt(clock);
      const key = await entryIn(store, 'LEAD_CREATED');
      clock.now += 600_000;

      const result = await store.claim(key, 'run-2', 60_000);

      expect(result).toMatchObject({ outcome: 'exists', entry: { state: 'LEAD_CREATED', leadId: 'L1' } });
    });

    it('keeps SENDING when taking over a request that may have been sent', async () => {
      const store = storeAt({ now: 3_500_000 });
      const key = freshKey();
      await store.claim(key, 'run-1', 60_000);
      await store.markSending(key, 'run-1', { email: 'ada@example.com', lastName: 'Lovelace' });

      const taken = await store.claim(key, 'run-2', 60_000);

      expect(taken).toMatchObject({
        outcome: 'claimed',
        entry: { state: 'SENDING', sent: { email: 'ada@example.com', lastName: 'Lovelace' }, attempts: 2 },
      });
    });

    it('forgets the intent when the answer proved nothing was created', async () => {
      const store = storeAt({ now: 3_600_000 });
      const key = freshKey();
      await store.claim(key, 'run-1', 60_000);
      await store.markSending(key, 'run-1', { email: 'ada@example.com' });

      const released = await store.releaseForRetry(key, 'run-1', '503 turned away');

      expect(released.state).toBe('CLAIMED');
      expect(released.sendingAt).toBeUndefined();
    });

    it('lets exactly one of many concurrent first claimers create the entry', async () => {
      const key = freshKey('race-claims');
      const stores = Array.from(
        { length: 12 },
        () =>
          new ReconciliationStore({
            client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo().endpoint }),
            tableName: dynamo().tableName,
          }),
      );

      const results = await Promise.all(stores.map((store, i) => store.claim(key, `run-${i}`, 60_000)));

      expect(results.filter((r) => r.outcome === 'claimed' && !r.resumed)).toHaveLength(1);
    });

    it('creates a new request SENDING with the intent, in the one write; an existing one ignores the intent', async () => {
      const store = storeAt({ now: 5_000 });
      const key = freshKey();
      const intent = { email: 'ada@example.com', firstName: 'Ada' };

      const first = await store.claim(key, 'run-1', 60_000, { intent });
      await store.releaseForRetry(key, 'run-1', '503', { maybeSent: false });
      const again = await store.claim(key, 'run-2', 60_000, { intent });

      expect(first).toMatchObject({ outcome: 'claimed', resumed: false, intentWritten: true });
      expect(first.entry).toMatchObject({ state: 'SENDING', sendingAt: 5_000, sent: intent, attempts: 1 });
      expect(again).toMatchObject({ outcome: 'claimed', resumed: true, intentWritten: false });
      expect(again.entry).toMatchObject({ state: 'CLAIMED', attempts: 2 });
      expect(again.entry.sendingAt).toBeUndefined();
    });
  });

  describe('Method: markDoneMany', () => {
    it('marks LEAD_CREATED entries DONE in batches, keeping every field and the contact index', async () => {
      const clock = { now: 7_000 };
      const store = storeAt(clock);
      const created = [];
      for (let i = 0; i < 30; i++) {
        const key = await entryIn(store, 'LEAD_CREATED');
        created.push((await store.getLedger(key))!);
      }
      clock.now = 8_000;

      await store.markDoneMany(created);

      for (const before of created) {
        const after = await store.getLedger(before);
        expect(after).toEqual({ ...before, state: 'DONE', updatedAt: 8_000 });
        const forContact = await store.recordsForContact(before.contactId);
        expect(forContact.map((record) => record['state'])).toEqual(['DONE']);
      }
    });

    it('refuses an entry that is not LEAD_CREATED, writing nothing', async () => {
      const store = storeAt({ now: 9_000 });
      const done = await entryIn(store, 'LEAD_CREATED');
      const sending = await entryIn(store, 'SENDING');
      const entries = [(await store.getLedger(done))!, (await store.getLedger(sending))!];

      await expect(store.markDoneMany(entries)).rejects.toBeInstanceOf(IllegalTransitionError);
      expect((await store.getLedger(done))?.state).toBe('LEAD_CREATED');
      expect((await store.getLedger(sending))?.state).toBe('SENDING');
    });
  });

  describe('Method: transitions', () => {
    const cases = LEDGER_STATES.flatMap((from) =>
      LEDGER_STATES.map((to) => ({ from, to, legal: LEGAL_TRANSITIONS[from].includes(to) })),
    ).filter(({ from, to }) => !(from === 'QUARANTINED' && (to === 'CLAIMED' || to === 'SENDING'))); // replay, tested below

    it.each(cases)('$from -> $to is legal: $legal', async ({ from, to, legal }) => {
      const store = storeAt({ now: 10_000_000 });
      const key = await entryIn(store, from);

      const attempt = move(store, key, to);

      if (legal) {
        await expect(attempt).resolves.toMatchObject({ state: to });
      } else {
        await expect(attempt).rejects.toBeInstanceOf(IllegalTransitionError);
        expect((await store.getLedger(key))?.state).toBe(from);
      }
    });

    it('replays a quarantined entry: claimable again, quarantine record removed', async () => {
      const clock = { now: 11_000_000 };
      const store = storeAt(clock);
      const key = await entryIn(store, 'QUARANTINED');
      expect(await store.listQuarantine(keys.venueSource(key.venueId))).toContainEqual(
        expect.objectContaining({ key: `${key.contactId}#${key.flagSetAt}`, reason: 'Tripleseat 503 x5' }),
      );

      await store.replayLedger(key);
      const claim = await store.claim(key, 'run-9', 60_000);

      expect(claim).toMatchObject({ outcome: 'claimed', resumed: true, entry: { attempts: 1 } });
      expect(
        (await store.listQuarantine(keys.venueSource(key.venueId))).some(
          (q) => q.key === `${key.contactId}#${key.flagSetAt}`,
        ),
      ).toBe(false);
    });

    it('replays a request that may have been sent as SENDING (looked up first), unless a person confirmed none exists', async () => {
      const store = storeAt({ now: 11_500_000 });
      const maybe = freshKey();
      await store.claim(maybe, 'run-1', 60_000);
      await store.markSending(maybe, 'run-1', { email: 'ada@example.com' });
      await store.quarantineLedger(maybe, 'run-1', 'answer lost', { maybeSent: true });
      const confirmed = freshKey();
      await store.claim(confirmed, 'run-1', 60_000);
      await store.markSending(confirmed, 'run-1', { email: 'bob@example.com' });
      await store.quarantineLedger(confirmed, 'run-1', 'answer lost', { maybeSent: true });

      const replayed = await store.replayLedger(maybe);
      const replayedConfirmed = await store.replayLedger(confirmed, { confirmedNotSent: true });

      expect(replayed).toMatchObject({ state: 'SENDING', attempts: 0 });
      expect(replayedConfirmed).toMatchObject({ state: 'CLAIMED', attempts: 0 });
      expect(replayedConfirmed.sendingAt).toBeUndefined();
    });

    it('refuses replay of an entry that is not quarantined', async () => {
      const store = storeAt({ now: 12_000_000 });
      const key = await entryIn(store, 'DONE');

      await expect(store.replayLedger(key)).rejects.toBeInstanceOf(IllegalTransitionError);
    });
  });

  describe('Method: renewLease', () => {
    it('renews a lease still ours (even lapsed, when nobody took it) and refuses one another run took', async () => {
      const clock = { now: 20_000_000 };
      const store = storeAt(clock);
      const partition = keys.venue('renew-venue');
      await store.acquireLease(partition, 'run-1', 60_000);

      clock.now += 90_000;
      const lapsedButOurs = await store.renewLease(partition, 'run-1', 60_000);
      clock.now += 60_001;
      await store.acquireLease(partition, 'run-2', 60_000);
      const takenOver = await store.renewLease(partition, 'run-1', 60_000);

      expect(lapsedButOurs).toBe(true);
      expect(takenOver).toBe(false);
      expect((await store.getLease(partition))?.owner).toBe('run-2');
    });
  });

  describe('Method: saveCheckpoint / loadCheckpoint', () => {
    it('round-trips a checkpoint and ignores one of an unknown shape', async () => {
      const store = storeAt({ now: 1 });
      const partition = keys.venue('checkpoint-venue');
      const schema = z.object({ afterId: z.string(), pages: z.number() });

      await store.saveCheckpoint(partition, { afterId: '12345', pages: 3 });
      const loaded = await store.loadCheckpoint(partition, schema);
      await store.saveCheckpoint(partition, { cursor: 'WzJd' });
      const mismatched = await store.loadCheckpoint(partition, schema);
      await store.clearCheckpoint(partition);

      expect(loaded).toEqual({ afterId: '12345', pages: 3 });
      expect(mismatched).toBeUndefined();
      expect(await store.loadCheckpoint(partition, schema)).toBeUndefined();
    });
  });

  describe('Method: putPeople / getPeople', () => {
    it('stores people by normalized email and reads a page of them back in one call', async () => {
      const store = storeAt({ now: 1 });
      const people = Array.from({ length: 130 }, (_, i) => ({
        eventId: '7',
        email: `person${i}@example.com`,
        hubspotContactId: String(500 + i),
        webexId: i,
        previousWebexIds: [],
        syncedHash: `h${i}`,
      }));

      await store.putPeople(people);
      const found = await store.getPeople('7', [...people.map((p) => p.email), 'missing@example.com']);

      expect(found.size).toBe(130);
      expect(found.get('person42@example.com')).toMatchObject({ hubspotContactId: '542', syncedHash: 'h42' });
      expect(await store.recordsForContact('542')).toHaveLength(1);
    });
  });
});
