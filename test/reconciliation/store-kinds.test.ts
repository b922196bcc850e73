/**
 * What the split store adds over the store tests: a failed ledger condition explains itself without a
 * second read where DynamoDB sends the entry (ReturnValuesOnConditionCheckFailure: 'ALL_OLD'), with a
 * read where the engine does not (dynalite); unprocessed batch items are resent with backoff.
 *
 * dynalite accepts ALL_OLD but sends no item. To exercise the DynamoDB path the "as DynamoDB" client
 * adds, on a failed conditional UpdateItem that asked for ALL_OLD, the item as it stood (read from the
 * same dynalite table by another client) — what DynamoDB documents
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html). Everything else
 * is the real engine.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_AWS } from '../../sandbox/local-dynamo';
import { IllegalTransitionError, ReconciliationStore, type LedgerKey } from '../../shared/reconciliation';
import {
  UnprocessedItemsError,
  backoffDelayMs,
  sendUntilProcessed,
} from '../../shared/reconciliation/unprocessed-retry';
import { useLocalDynamo } from '../helpers/dynamo';

const dynamo = useLocalDynamo();
let keySeq = 0;
const freshKey = (): LedgerKey => ({
  venueId: 'venue-kinds',
  contactId: String(5000 + ++keySeq),
  flagSetAt: '2026-11-23T12:00:00.000Z',
});

/** A client over the test's dynalite that counts the store's GetItem calls; optionally acts as DynamoDB. */
function countingClient(options: { returnsOldItem: boolean }): {
  client: DynamoDBClient;
  gets: () => number;
} {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo().endpoint });
  const reader = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo().endpoint });
  let gets = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetItemCommand') gets += 1;
      try {
        return await next(args);
      } catch (error) {
        const input = args.input as {
          ReturnValuesOnConditionCheckFailure?: string;
          Key?: Record<string, AttributeValue>;
          TableName?: string;
        };
        if (
          !options.returnsOldItem ||
          !(error instanceof ConditionalCheckFailedException) ||
          context.commandName !== 'UpdateItemCommand' ||
          input.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD'
        ) {
          throw error;
        }
        const old = await reader.send(
          new GetItemCommand({ TableName: input.TableName, Key: input.Key, ConsistentRead: true }),
        );
        if (old.Item) error.Item = old.Item;
        throw error;
      }
    },
    { step: 'serialize', name: 'countAndActAsDynamoDB' },
  );
  return { client, gets: () => gets };
}

describe('Class: ReconciliationStore (split by record kind)', () => {
  describe('Method: markLeadCreated on an entry that cannot move', () => {
    it('names the current state from the failed condition itself, without a read, where the item is returned', async () => {
      // Prepare
      const { client, gets } = countingClient({ returnsOldItem: true });
      const store = new ReconciliationStore({ client, tableName: dynamo().tableName });
      const key = freshKey();
      await store.claim(key, 'run-1', 60_000);
      await store.reject(key, 'run-1', 'last name missing');
      const readsBefore = gets();

      // Act
      const error: unknown = await store
        .markLeadCreated(key, 'run-1', 'L1')
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toMatchObject({ name: 'IllegalTransitionError', current: 'REJECTED' });
      expect(gets() - readsBefore).toBe(0);
    });

    it('falls back to one read where the engine returns no item (dynalite)', async () => {
      // Prepare
      const { client, gets } = countingClient({ returnsOldItem: false });
      const store = new ReconciliationStore({ client, tableName: dynamo().tableName });
      const key = freshKey();
      await store.claim(key, 'run-1', 60_000);
      await store.reject(key, 'run-1', 'last name missing');
      const readsBefore = gets();

      // Act
      const error: unknown = await store
        .markLeadCreated(key, 'run-1', 'L1')
        .catch((thrown: unknown) => thrown);

      // Assess
      expect(error).toMatchObject({ name: 'IllegalTransitionError', current: 'REJECTED' });
      expect(gets() - readsBefore).toBe(1);
    });
  });

  describe('Method: claim of an entry that is already finished', () => {
    it('returns the entry as it stands without a read where the item is returned', async () => {
      // Prepare
      const { client, gets } = countingClient({ returnsOldItem: true });
      const store = new ReconciliationStore({ client, tableName: dynamo().tableName });
      const key = freshKey();
      await store.claim(key, 'run-1', 60_000);
      await store.reject(key, 'run-1', 'last name missing');
      const readsBefore = gets();

      // Act
      const result = await store.claim(key, 'run-2', 60_000);

      // Assess
      expect(result).toMatchObject({
        outcome: 'exists',
        entry: { state: 'REJECTED', reason: 'last name missing' },
      });
      expect(gets() - readsBefore).toBe(0);
    });
  });
});

describe('Function: sendUntilProcessed', () => {
  it('resends only the unprocessed items, waiting a growing backoff between calls', async () => {
    // Prepare
    const sent: string[][] = [];
    const waits: number[] = [];
    const answers: string[][] = [['b', 'c'], ['c'], []];

    // Act
    await sendUntilProcessed(
      ['a', 'b', 'c'],
      async (items) => {
        sent.push([...items]);
        return answers.shift();
      },
      'writing 3 people',
      { sleep: async (ms) => void waits.push(ms), random: () => 0.999, baseMs: 50 },
    );

    // Assess
    expect(sent).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(waits).toEqual([49, 99]);
  });

  it('gives up after maxAttempts with an error that says what was left and what happens next', async () => {
    // Prepare
    let calls = 0;

    // Act
    const error: unknown = await sendUntilProcessed(
      ['a'],
      async (items) => {
        calls += 1;
        return items;
      },
      'reading 1 Webex people of event 42',
      { sleep: async () => undefined, maxAttempts: 3 },
    ).catch((thrown: unknown) => thrown);

    // Assess
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect(String(error)).toContain(
      'reading 1 Webex people of event 42: 1 item(s) still unprocessed after 3 attempts',
    );
  });

  it('caps the delay ceiling (full jitter under min(cap, base x 2^(retry-1)))', () => {
    expect(backoffDelayMs(1, { random: () => 0.5, baseMs: 100 })).toBe(50);
    expect(backoffDelayMs(4, { random: () => 0.5, baseMs: 100 })).toBe(400);
    expect(backoffDelayMs(20, { random: () => 0.5, baseMs: 100, capMs: 2_000 })).toBe(1_000);
  });
});
