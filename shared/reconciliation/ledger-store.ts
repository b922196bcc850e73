/**
 * The ledger: one entry per flag-set event, moved through the state machine of ledger-states.ts by
 * single-item conditional writes (dynalite and DynamoDB agree on those; neither transactions nor TTL
 * are relied on). The one move written without a condition is LEAD_CREATED -> DONE, in batches
 * (markDoneMany): it is the only move out of LEAD_CREATED, so every writer of such an entry writes the
 * same DONE and no condition could refuse it.
 */
import { BatchWriteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { allowedSources, IN_FLIGHT_STATES, type LedgerState } from './ledger-states';
import type { QuarantineStore } from './quarantine-store';
import { LedgerEntrySchema, type LedgerEntry } from './records';
import type { TableAccess } from './table-access';
import { BATCH_WRITE_LIMIT, chunks, sendUntilProcessed } from './unprocessed-retry';

export interface LedgerKey {
  venueId: string;
  contactId: string;
  flagSetAt: string;
}

/** What a create call carried, kept on the entry (SENDING) for the lookup after a lost answer. */
export type SentSnapshot = NonNullable<LedgerEntry['sent']>;

export type ClaimResult =
  | {
      outcome: 'claimed';
      entry: LedgerEntry;
      /** False when the claim created the entry: the request is new. */
      resumed: boolean;
      /** The claim also recorded the intent to send (a new request claimed with `intent`: SENDING). */
      intentWritten: boolean;
    }
  | { outcome: 'exists'; entry: LedgerEntry };

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

/**
 * A conditional ledger update: the entry after it, or — when the condition failed — how to learn the
 * entry as it stands: from the failure itself on DynamoDB, by a read where the engine sent nothing.
 */
type LedgerUpdate =
  { ok: true; entry: LedgerEntry } | { ok: false; current: () => Promise<LedgerEntry | undefined> };

interface UpdateSpec {
  condition: string;
  set: Record<string, unknown>;
  add?: Record<string, number>;
  remove?: string[];
  values: Record<string, unknown>;
}

export class LedgerStore {
  constructor(
    private readonly access: TableAccess,
    private readonly quarantine: QuarantineStore,
  ) {}

  /**
   * Claims a request. The caller must hold the venue lease. A new key is created CLAIMED. An entry still
   * in flight (CLAIMED or SENDING) under another run's claim is taken over at once: a claim is valid only
   * while its run holds the venue lease, and we hold it now, so that run is dead, stopped or fenced out.
   * Anything else is returned as it stands so the caller can finish or skip it.
   *
   * `intent` is what the caller will send if the request is new: a new entry is then created SENDING
   * with it, the claim and the intent in one write (markSending's meaning, one write fewer per lead).
   * Nothing runs between the two writes that a crash could fall into, so no outcome changes.
   */
  async claim(
    key: LedgerKey,
    runId: string,
    claimTtlMs: number,
    options: { intent?: SentSnapshot } = {},
  ): Promise<ClaimResult> {
    const now = this.access.now();
    const entry: LedgerEntry = {
      pk: keys.venue(key.venueId),
      sk: keys.ledger(key.contactId, key.flagSetAt),
      venueId: key.venueId,
      contactId: key.contactId,
      flagSetAt: key.flagSetAt,
      state: options.intent ? 'SENDING' : 'CLAIMED',
      attempts: 1,
      claimedBy: runId,
      claimExpiresAt: now + claimTtlMs,
      ...(options.intent ? { sendingAt: now, sent: options.intent } : {}),
      createdAt: now,
      updatedAt: now,
    };
    const created = await this.access.ifConditionHolds(() =>
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
      this.access.doc.send(
        new PutCommand({
          TableName: this.access.table,
          Item: ledgerItem(entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { outcome: 'claimed', entry, resumed: false, intentWritten: !!options.intent };

    const resumed = await this.update(key, {
      condition: '#state IN (:inFlight0, :inFlight1) AND claimedBy <> :runId',
      set: { claimedBy: runId, claimExpiresAt: now + claimTtlMs },
      add: { attempts: 1 },
      values: { ':inFlight0': IN_FLIGHT_STATES[0], ':inFlight1': IN_FLIGHT_STATES[1], ':runId': runId },
    });
    if (resumed.ok) return { outcome: 'claimed', entry: resumed.entry, resumed: true, intentWritten: false };

    const existing = await resumed.current();
    if (!existing) {
      throw new Error(
        `ledger ${key.venueId}/${key.contactId}#${key.flagSetAt} vanished while being claimed ` +
          '(deleted by hand?); the next tick claims it afresh',
      );
    }
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
      set: { sendingAt: this.access.now(), sent },
    });
  }

  /** The lead exists at the destination: recorded before HubSpot is touched again (docs/design.md step 6). */
  markLeadCreated(key: LedgerKey, runId: string, leadId: string): Promise<LedgerEntry> {
    return this.transition(key, 'LEAD_CREATED', { runId, set: { leadId } });
  }

  markDone(key: LedgerKey): Promise<LedgerEntry> {
    return this.transition(key, 'DONE', {});
  }

  /**
   * DONE for many LEAD_CREATED entries, 25 writes a call instead of one conditional write each. Each entry
   * must be as last read or written (a LEAD_CREATED entry changes only by becoming DONE, so it is still
   * exact): the item is written whole, with the GSI keys the claim gave it.
   */
  async markDoneMany(entries: readonly LedgerEntry[]): Promise<void> {
    const now = this.access.now();
    const requests = entries.map((entry) => {
      if (entry.state !== 'LEAD_CREATED') {
        throw new IllegalTransitionError(entry, 'DONE', entry.state);
      }
      return { PutRequest: { Item: ledgerItem({ ...entry, state: 'DONE', updatedAt: now }) } };
    });
    const table = this.access.table;
    for (const chunk of chunks(requests, BATCH_WRITE_LIMIT)) {
      await sendUntilProcessed(
        chunk,
        async (batch) => {
          // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
          const result = await this.access.doc.send(
            new BatchWriteCommand({ RequestItems: { [table]: [...batch] } }),
          );
          return result.UnprocessedItems?.[table] as typeof batch | undefined;
        },
        `marking ${chunk.length} ledger request(s) DONE`,
        this.access.backoff,
      );
    }
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
    await this.quarantine.putQuarantine(keys.venueSource(key.venueId), quarantineKey(key), error, {
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
    await this.quarantine.removeQuarantine(keys.venueSource(key.venueId), quarantineKey(key));
    return entry;
  }

  async getLedger(key: LedgerKey): Promise<LedgerEntry | undefined> {
    const item = await this.access.get(keys.venue(key.venueId), keys.ledger(key.contactId, key.flagSetAt));
    return item ? LedgerEntrySchema.parse(item) : undefined;
  }

  async listLedger(venueId: string): Promise<LedgerEntry[]> {
    const items = await this.access.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.venue(venueId), ':prefix': keys.ledgerPrefix },
    });
    return items.map((item) => LedgerEntrySchema.parse(item));
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
    if (updated.ok) return updated.entry;
    throw new IllegalTransitionError(key, to, (await updated.current())?.state);
  }

  private async update(key: LedgerKey, spec: UpdateSpec): Promise<LedgerUpdate> {
    const { expression, names, values } = updateExpression(spec, this.access.now());
    const outcome = await this.access.conditional(() =>
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
      this.access.doc.send(
        new UpdateCommand({
          TableName: this.access.table,
          Key: { pk: keys.venue(key.venueId), sk: keys.ledger(key.contactId, key.flagSetAt) },
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND ${spec.condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          // The entry as it stood when the condition failed, so the caller needs no second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if (outcome.held) {
      const attributes = outcome.result.Attributes;
      if (!attributes)
        throw new Error(`ledger ${quarantineKey(key)}: DynamoDB returned no attributes (ALL_NEW)`);
      return { ok: true, entry: LedgerEntrySchema.parse(attributes) };
    }
    const old = outcome.old;
    // Not sent when the entry is missing, nor by engines without the option (dynalite): read it then.
    return old
      ? { ok: false, current: () => Promise.resolve(LedgerEntrySchema.parse(old)) }
      : { ok: false, current: () => this.getLedger(key) };
  }
}

/** A ledger entry as stored: with the contact index's keys (GSI1), so ops find a contact's requests. */
function ledgerItem(entry: LedgerEntry): Record<string, unknown> {
  return { ...entry, gsi1pk: keys.contactIndex(entry.contactId), gsi1sk: `${entry.pk}#${entry.sk}` };
}

function quarantineKey(key: LedgerKey): string {
  return `${key.contactId}#${key.flagSetAt}`;
}

/** The UpdateExpression of a spec: SET (always updatedAt), REMOVE, ADD, with their names and values. */
function updateExpression(
  spec: UpdateSpec,
  now: number,
): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const names: Record<string, string> = { '#state': 'state' };
  const values: Record<string, unknown> = { ...spec.values, ':updatedAt': now };
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
  return { expression, names, values };
}
