/**
 * The reconciliation store: every "do it or not" decision is a single-item conditional write
 * (dynalite and DynamoDB agree on those; neither transactions nor TTL are relied on).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { keys } from './keys';
import { allowedSources, IN_FLIGHT_STATES, type LedgerState } from './ledger-states';
import {
  LeaseSchema,
  LedgerEntrySchema,
  PersonRecordSchema,
  QuarantineRecordSchema,
  type LedgerEntry,
  type PersonRecord,
  type QuarantineRecord,
} from './records';

export interface LedgerKey {
  venueId: string;
  contactId: string;
  flagSetAt: string;
}

/** What a create call carried, kept on the entry (SENDING) for the lookup after a lost answer. */
export type SentSnapshot = NonNullable<LedgerEntry['sent']>;

export type ClaimResult =
  { outcome: 'claimed'; entry: LedgerEntry; resumed: boolean } | { outcome: 'exists'; entry: LedgerEntry };

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly key: LedgerKey,
    readonly to: LedgerState,
    readonly current: LedgerState | undefined,
  ) {
    super(
      `ledger ${key.venueId}/${key.contactId}#${key.flagSetAt}: cannot move to ${to} from ${current ?? 'a missing entry'}` +
        ' (or the claim belongs to another run)',
    );
  }
}

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => number;
}

const PERSON_HISTORY_LIMIT = 10;

export class ReconciliationStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => number;

  constructor(options: StoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.table = options.tableName;
    this.now = options.now ?? Date.now;
  }

  // ---- lease: one runner per partition (overlapping schedule ticks, webhook-triggered polls) ----

  /** Takes the lease if free, expired, or already ours. Returns false while another runner holds it. */
  async acquireLease(partition: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    return this.ifConditionHolds(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: partition, sk: keys.lease, owner, leaseExpiresAt: now + ttlMs, acquiredAt: now },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseExpiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now, ':owner': owner },
        }),
      ),
    );
  }

  /**
   * Extends the lease we hold; false when it is no longer ours (it lapsed and another run took it). A
   * lapsed lease nobody took is still ours: no other run can have taken over our claims. A run that
   * cannot renew must stop before it sends anything else.
   */
  async renewLease(partition: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    return this.ifConditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: partition, sk: keys.lease },
          UpdateExpression: 'SET leaseExpiresAt = :until',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ttlMs },
        }),
      ),
    );
  }

  async releaseLease(partition: string, owner: string): Promise<void> {
    await this.ifConditionHolds(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: partition, sk: keys.lease },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  async getLease(partition: string) {
    const item = await this.get(partition, keys.lease);
    return item ? LeaseSchema.parse(item) : undefined;
  }

  // ---- checkpoint ----

  async saveCheckpoint(partition: string, data: Record<string, unknown>): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: partition, sk: keys.checkpoint, data, savedAt: this.now() },
      }),
    );
  }

  async loadCheckpoint<T>(partition: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const item = await this.get(partition, keys.checkpoint);
    if (!item) return undefined;
    const parsed = schema.safeParse(item.data);
    // A checkpoint from an older version is not worth crashing over: start the window afresh.
    return parsed.success ? parsed.data : undefined;
  }

  async clearCheckpoint(partition: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: partition, sk: keys.checkpoint } }),
    );
  }

  // ---- ledger: one entry per flag-set event ----

  /**
   * Claims a request. The caller must hold the venue lease. A new key is created CLAIMED. An entry still
   * in flight (CLAIMED or SENDING) under another run's claim is taken over at once: a claim is valid only
   * while its run holds the venue lease, and we hold it now, so that run is dead, stopped or fenced out.
   * Anything else is returned as it stands so the caller can finish or skip it.
   */
  async claim(key: LedgerKey, runId: string, claimTtlMs: number): Promise<ClaimResult> {
    const now = this.now();
    const entry: LedgerEntry = {
      pk: keys.venue(key.venueId),
      sk: keys.ledger(key.contactId, key.flagSetAt),
      venueId: key.venueId,
      contactId: key.contactId,
      flagSetAt: key.flagSetAt,
      state: 'CLAIMED',
      attempts: 1,
      claimedBy: runId,
      claimExpiresAt: now + claimTtlMs,
      createdAt: now,
      updatedAt: now,
    };
    const created = await this.ifConditionHolds(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...entry, gsi1pk: keys.contactIndex(key.contactId), gsi1sk: `${entry.pk}#${entry.sk}` },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { outcome: 'claimed', entry, resumed: false };

    const resumed = await this.update(key, {
      condition: '#state IN (:inFlight0, :inFlight1) AND claimedBy <> :runId',
      set: { claimedBy: runId, claimExpiresAt: now + claimTtlMs },
      add: { attempts: 1 },
      values: { ':inFlight0': IN_FLIGHT_STATES[0], ':inFlight1': IN_FLIGHT_STATES[1], ':runId': runId },
    });
    if (resumed) return { outcome: 'claimed', entry: resumed, resumed: true };

    const existing = await this.getLedger(key);
    if (!existing) throw new Error(`ledger ${key.contactId}#${key.flagSetAt} vanished while being claimed`);
    return { outcome: 'exists', entry: existing };
  }

  /**
   * The intent, written just before the create call: from here on the destination may have the lead, so
   * a run that finds this entry later looks it up (or quarantines it) instead of sending again.
   */
  markSending(key: LedgerKey, runId: string, sent: SentSnapshot): Promise<LedgerEntry> {
    return this.transition(key, 'SENDING', {
      runId,
      from: ['CLAIMED', 'SENDING'],
      set: { sendingAt: this.now(), sent },
    });
  }

  /** The lead exists at the destination: recorded before HubSpot is touched again (docs/design.md step 6). */
  markLeadCreated(key: LedgerKey, runId: string, leadId: string): Promise<LedgerEntry> {
    return this.transition(key, 'LEAD_CREATED', { runId, set: { leadId } });
  }

  markDone(key: LedgerKey): Promise<LedgerEntry> {
    return this.transition(key, 'DONE', {});
  }

  reject(key: LedgerKey, runId: string, reason: string): Promise<LedgerEntry> {
    return this.transition(key, 'REJECTED', { runId, set: { reason } });
  }

  /**
   * A temporary failure: keep the request, release the claim so the next tick retries it. `maybeSent`
   * keeps a SENDING request SENDING (the next claim looks the lead up first); otherwise the answer proved
   * nothing was created and the request goes back to CLAIMED, to be sent again.
   */
  releaseForRetry(
    key: LedgerKey,
    runId: string,
    error: string,
    options: { maybeSent?: boolean } = {},
  ): Promise<LedgerEntry> {
    const set = { lastError: error, claimExpiresAt: 0 };
    return options.maybeSent
      ? this.transition(key, 'SENDING', { runId, from: ['SENDING'], set })
      : this.transition(key, 'CLAIMED', { runId, from: ['CLAIMED', 'SENDING'], set, remove: ['sendingAt'] });
  }

  /**
   * Park the request where `venue-sync replay` finds it. `maybeSent` says the destination may already
   * have the lead (the entry keeps its `sendingAt`), which replay and ops must check before re-sending.
   */
  async quarantineLedger(
    key: LedgerKey,
    runId: string,
    error: string,
    options: { maybeSent?: boolean } = {},
  ): Promise<LedgerEntry> {
    // The quarantine record first: if we crash between the two writes, replay still sees it.
    await this.putQuarantine(keys.venueSource(key.venueId), `${key.contactId}#${key.flagSetAt}`, error, {
      ...key,
      maybeSent: options.maybeSent === true,
    });
    return this.transition(key, 'QUARANTINED', {
      runId,
      set: { lastError: error, claimExpiresAt: 0 },
      ...(options.maybeSent ? {} : { remove: ['sendingAt'] }),
    });
  }

  /**
   * Replay: a quarantined request becomes claimable again with a fresh attempt budget. One that may have
   * been sent goes back to SENDING (its next claim looks the lead up first) unless a person confirmed
   * that the destination has no lead for it (`confirmedNotSent`).
   */
  async replayLedger(key: LedgerKey, options: { confirmedNotSent?: boolean } = {}): Promise<LedgerEntry> {
    const current = await this.getLedger(key);
    const maybeSent = current?.sendingAt !== undefined && !options.confirmedNotSent;
    const entry = await this.transition(key, maybeSent ? 'SENDING' : 'CLAIMED', {
      from: ['QUARANTINED'],
      set: { attempts: 0, claimExpiresAt: 0, claimedBy: 'replay' },
      ...(maybeSent ? {} : { remove: ['sendingAt'] }),
    });
    await this.removeQuarantine(keys.venueSource(key.venueId), `${key.contactId}#${key.flagSetAt}`);
    return entry;
  }

  async getLedger(key: LedgerKey): Promise<LedgerEntry | undefined> {
    const item = await this.get(keys.venue(key.venueId), keys.ledger(key.contactId, key.flagSetAt));
    return item ? LedgerEntrySchema.parse(item) : undefined;
  }

  async listLedger(venueId: string): Promise<LedgerEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.venue(venueId), ':prefix': keys.ledgerPrefix },
    });
    return items.map((item) => LedgerEntrySchema.parse(item));
  }

  /** Every record about one HubSpot contact across venues and Webex (gsi1). */
  async recordsForContact(contactId: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.contactIndex(contactId) },
    });
  }

  private async transition(
    key: LedgerKey,
    to: LedgerState,
    options: { runId?: string; from?: LedgerState[]; set?: Record<string, unknown>; remove?: string[] },
  ): Promise<LedgerEntry> {
    // `from` narrows (never widens) the legal sources, e.g. replay starts only from QUARANTINED.
    const sources = allowedSources(to).filter((state) => !options.from || options.from.includes(state));
    const values: Record<string, unknown> = {};
    sources.forEach((state, index) => (values[`:from${index}`] = state));
    let condition = `#state IN (${sources.map((_, index) => `:from${index}`).join(', ')})`;
    if (options.runId !== undefined) {
      condition += ' AND claimedBy = :runId';
      values[':runId'] = options.runId;
    }
    const updated = await this.update(key, {
      condition,
      set: { ...options.set, state: to },
      ...(options.remove ? { remove: options.remove } : {}),
      values,
    });
    if (updated) return updated;
    throw new IllegalTransitionError(key, to, (await this.getLedger(key))?.state);
  }

  private async update(
    key: LedgerKey,
    spec: {
      condition: string;
      set: Record<string, unknown>;
      add?: Record<string, number>;
      remove?: string[];
      values: Record<string, unknown>;
    },
  ): Promise<LedgerEntry | undefined> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ...spec.values, ':updatedAt': this.now() };
    const sets = ['updatedAt = :updatedAt'];
    for (const [field, value] of Object.entries(spec.set)) {
      names[`#${field}`] = field;
      values[`:set_${field}`] = value;
      sets.push(`#${field} = :set_${field}`);
    }
    let expression = `SET ${sets.join(', ')}`;
    if (spec.remove && spec.remove.length > 0) {
      for (const field of spec.remove) names[`#${field}`] = field;
      expression += ` REMOVE ${spec.remove.map((field) => `#${field}`).join(', ')}`;
    }
    const adds = Object.entries(spec.add ?? {});
    if (adds.length > 0) {
      expression += ` ADD ${adds.map(([field]) => `#${field} :add_${field}`).join(', ')}`;
      for (const [field, amount] of adds) {
        names[`#${field}`] = field;
        values[`:add_${field}`] = amount;
      }
    }
    let attributes: Record<string, unknown> | undefined;
    const ok = await this.ifConditionHolds(async () => {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.venue(key.venueId), sk: keys.ledger(key.contactId, key.flagSetAt) },
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND ${spec.condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      attributes = result.Attributes;
    });
    return ok && attributes ? LedgerEntrySchema.parse(attributes) : undefined;
  }

  // ---- Webex person map: stable key (normalized email) -> HubSpot contact, rolling Webex ids ----

  /** Reads the people of one page at once (BatchGet, 100 keys a call). */
  async getPeople(eventId: string, emails: readonly string[]): Promise<Map<string, PersonRecord>> {
    const found = new Map<string, PersonRecord>();
    const unique = [...new Set(emails)];
    for (let start = 0; start < unique.length; start += 100) {
      let requested: Record<string, unknown>[] | undefined = unique
        .slice(start, start + 100)
        .map((email) => ({ pk: keys.webexEvent(eventId), sk: keys.person(email) }));
      // BatchGet may leave keys unprocessed under load; ask again for just those.
      while (requested && requested.length > 0) {
        const result: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: requested } } }),
        );
        for (const item of result.Responses?.[this.table] ?? []) {
          const person = PersonRecordSchema.parse(item);
          found.set(person.email, person);
        }
        requested = result.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  /** Writes people after a successful HubSpot upsert (BatchWrite, 25 a call, unprocessed retried). */
  async putPeople(people: readonly Omit<PersonRecord, 'pk' | 'sk' | 'updatedAt'>[]): Promise<void> {
    const now = this.now();
    const requests = people.map((person) => ({
      PutRequest: {
        Item: {
          ...person,
          previousWebexIds: person.previousWebexIds.slice(0, PERSON_HISTORY_LIMIT),
          pk: keys.webexEvent(person.eventId),
          sk: keys.person(person.email),
          updatedAt: now,
          ...(person.hubspotContactId
            ? {
                gsi1pk: keys.contactIndex(person.hubspotContactId),
                gsi1sk: `${keys.webexEvent(person.eventId)}#${keys.person(person.email)}`,
              }
            : {}),
        },
      },
    }));
    for (let start = 0; start < requests.length; start += 25) {
      let batch: (typeof requests)[number][] | undefined = requests.slice(start, start + 25);
      while (batch && batch.length > 0) {
        const result: BatchWriteCommandOutput = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: batch } }),
        );
        batch = result.UnprocessedItems?.[this.table] as typeof batch;
      }
    }
  }

  async listPeople(eventId: string): Promise<PersonRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.webexEvent(eventId), ':prefix': keys.personPrefix },
    });
    return items.map((item) => PersonRecordSchema.parse(item));
  }

  // ---- quarantine: what cannot be synced, visible to ops and replayable ----

  async putQuarantine(
    source: string,
    key: string,
    reason: string,
    payload?: Record<string, unknown>,
  ): Promise<void> {
    const record: QuarantineRecord = {
      pk: keys.quarantine(source),
      sk: key,
      source,
      key,
      reason,
      quarantinedAt: this.now(),
      ...(payload ? { payload } : {}),
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: record }));
  }

  async listQuarantine(source: string): Promise<QuarantineRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.quarantine(source) },
    });
    return items.map((item) => QuarantineRecordSchema.parse(item));
  }

  async removeQuarantine(source: string, key: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: keys.quarantine(source), sk: key } }),
    );
  }

  // ---- plumbing ----

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }),
    );
    return result.Item;
  }

  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Runs a conditional write; false when its condition did not hold (someone else decided first). */
  private async ifConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
