/**
 * The dry run and the real run ask one decision core (shared/sync/decide.ts). This matrix proves the
 * dry run predicts what the run then does: for every ledger state x contact state x destination answer
 * x OAuth or not, the first step the run decides for each request is the step the plan named, and where
 * the plan names the written-back status, the contact carries it after the run.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../lambdas/venue-poller/handler';
import { World } from '../../sandbox/world';
import { newestTrueAt } from '../../shared/hubspot/contacts';
import { ReconciliationStore, type LedgerKey } from '../../shared/reconciliation';
import type { Step } from '../../shared/sync/decide';
import { snakeCaseLabel } from '../../shared/schema';
import { cli } from '../cli/helpers';
import { capturingObservability, validContact } from '../helpers/world';

const LEDGER_STATES = [
  'none',
  'claimed-by-dead-run',
  'sending-by-dead-run',
  'attempts-exhausted',
  'lead-created',
  'rejected',
  'quarantined',
] as const;
const CONTACT_STATES = ['valid', 'no-last-name'] as const;
const ANSWERS = ['accepted', 'rejected', 'turned-away', 'lost'] as const;
const VENUES = [
  { venueId: 'venue-b', oauth: true },
  { venueId: 'venue-a', oauth: false },
] as const;

type LedgerSeed = (typeof LEDGER_STATES)[number];
type Answer = (typeof ANSWERS)[number];

let world: World;
beforeAll(async () => {
  world = await World.start({ timeScale: 50, venuesWithoutOauth: ['venue-a'] });
});
afterAll(async () => {
  await world.close();
});

function storeOf(w: World): ReconciliationStore {
  return new ReconciliationStore({
    client: w.dynamo.client,
    tableName: w.dynamo.tableName,
    now: () => w.clock.now(),
  });
}

async function seedLedger(w: World, key: LedgerKey, seed: LedgerSeed, email: string): Promise<void> {
  const store = storeOf(w);
  switch (seed) {
    case 'none':
      return;
    case 'claimed-by-dead-run':
      await store.claim(key, 'dead-run', 60_000);
      return;
    case 'sending-by-dead-run':
      await store.claim(key, 'dead-run', 60_000);
      await store.markSending(key, 'dead-run', { email });
      return;
    case 'attempts-exhausted':
      for (let attempt = 1; attempt <= 5; attempt += 1) await store.claim(key, `dead-run-${attempt}`, 60_000);
      return;
    case 'lead-created':
      await store.claim(key, 'dead-run', 60_000);
      await store.markSending(key, 'dead-run', { email });
      await store.markLeadCreated(key, 'dead-run', `L-earlier-${key.contactId}`);
      return;
    case 'rejected':
      await store.claim(key, 'dead-run', 60_000);
      await store.reject(key, 'dead-run', 'phone number invalid');
      return;
    case 'quarantined':
      await store.claim(key, 'dead-run', 60_000);
      await store.quarantineLedger(key, 'dead-run', 'Tripleseat failed 5 times (503)');
      return;
  }
}

function injectAnswer(w: World, answer: Answer): void {
  w.tripleseat.faults.clear();
  const create = /create\.js/;
  if (answer === 'rejected') w.tripleseat.faults.add({ match: create, status: 422, times: 1_000 });
  if (answer === 'turned-away') w.tripleseat.faults.add({ match: create, status: 503, times: 1_000 });
  if (answer === 'lost') w.tripleseat.faults.add({ match: create, dropAnswerAfterWrite: true, times: 1_000 });
}

describe('Engine: dry run vs real run parity', () => {
  const groups = VENUES.flatMap((venue) => ANSWERS.map((answer) => ({ ...venue, answer })));

  it.each(groups)(
    '$venueId (OAuth $oauth), destination answer "$answer": every request as predicted',
    async ({ venueId, answer }) => {
      // Prepare: one flagged contact per ledger state x contact state, and the destination's answer.
      const w = world;
      const flag = snakeCaseLabel(w.venue(venueId).syncFlagLabel);
      const statusProperty = snakeCaseLabel(w.venue(venueId).writeBack?.status ?? '');
      const cases: Array<{ contactId: string; seed: LedgerSeed; contact: string }> = [];
      for (const seed of LEDGER_STATES) {
        for (const contact of CONTACT_STATES) {
          const contactId = validContact(w, contact === 'no-last-name' ? { lastname: '' } : {});
          w.tick(contactId, venueId);
          const email = w.hubspot.getContact(contactId)?.properties['email'] ?? '';
          const flagSetAt = newestTrueAt(w.hubspot.history(contactId, flag)) ?? '';
          await seedLedger(w, { venueId, contactId, flagSetAt }, seed, email);
          cases.push({ contactId, seed, contact });
        }
      }
      injectAnswer(w, answer);

      // Act: the dry run through the CLI, then one real tick of the handler.
      const planned = await cli(w, ['run', venueId, '--dry-run', '--json'], { venue: venueId });
      const plan = JSON.parse(planned.stdout) as {
        requests: Array<{ contactId: string; next: Step['do'] }>;
        flagsToClear: Array<{ contactId: string; statusText: string }>;
      };
      const firstDecided = new Map<string, Step['do']>();
      const handler = createHandler(w.pollerEnv(venueId), {
        observability: capturingObservability(),
        now: () => w.clock.now(),
        onDecision: (key, step) => {
          if (!firstDecided.has(key.contactId)) firstDecided.set(key.contactId, step.do);
        },
      });
      const report = await handler(
        {},
        { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 240_000 },
      );
      w.tripleseat.faults.clear();

      // Assess
      for (const { contactId, seed, contact } of cases) {
        const predicted = plan.requests.find((request) => request.contactId === contactId)?.next;
        // The circuit breaker may stop a run after repeated failures: a request it never reached was
        // not decided, and the next tick starts from it (the plan predicts what happens when reached).
        if (!firstDecided.has(contactId) && report.status === 'tripleseat-unavailable') continue;
        expect({ seed, contact, step: firstDecided.get(contactId) }).toEqual({
          seed,
          contact,
          step: predicted,
        });
        const status = w.hubspot.getContact(contactId)?.properties[statusProperty];
        const predictedStatus = plan.flagsToClear.find((clear) => clear.contactId === contactId)?.statusText;
        if (predicted === 'send' || predicted === 'look-up') {
          // The answer (and a lookup's finding) decides the outcome; a lead sent and accepted is written back.
          if (answer === 'accepted' && predicted === 'send') expect(status).toMatch(/^Sent to Tripleseat/);
        } else if (predictedStatus !== undefined) {
          expect({ seed, contact, status }).toEqual({ seed, contact, status: predictedStatus });
        }
      }
      expect(cases).toHaveLength(LEDGER_STATES.length * CONTACT_STATES.length);
    },
  );
});
