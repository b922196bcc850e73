/**
 * Tripleseat lead id -> the ledger request that created it, and the outcome last written back for each
 * lead. All items live in the venue's own partition (`VENUE#<id>`), so a venue's webhook receiver and
 * reconcile reach them with the same IAM leading-key grant as its poller, and never another venue's.
 *
 *   LEADID#<leadId>       -> { contactId, flagSetAt }       written when a lead id is recorded
 *   OUTCOME#<leadId>      -> the last applied outcome, with the delivery time it came from (order-safe)
 *   UNKNOWNLEAD#<leadId>  -> a delivery about a lead venue-sync did not create (ops only)
 *   UNREADABLE#<digest>   -> a signed delivery the receiver could not read, kept whole for replay
 *   LEAD_RECONCILE        -> where the nightly reconcile resumes
 *
 * Every "newer or not" decision is a single conditional write, like the ledger's.
 */
import { createHash } from 'node:crypto';
import { BatchWriteCommand, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from './keys';
import type { LedgerKey } from './store';
import { TableAccess, type StoreOptions } from './table-access';
import { BATCH_WRITE_LIMIT, chunks, sendUntilProcessed } from './unprocessed-retry';

/** Every item here lives in a venue's partition; all but the kept deliveries are about one lead. */
const VenueItemSchema = z.object({ pk: z.string(), sk: z.string(), venueId: z.string() });
const LeadItemSchema = VenueItemSchema.extend({ leadId: z.string() });

export const LeadIndexRecordSchema = LeadItemSchema.extend({
  contactId: z.string(),
  flagSetAt: z.string(),
  indexedAt: z.number(),
});
export type LeadIndexRecord = z.infer<typeof LeadIndexRecordSchema>;

export const LeadOutcomeRecordSchema = LeadItemSchema.extend({
  contactId: z.string(),
  /** The ledger request's flag-set time (the tick), for tick -> lead figures. */
  flagSetAt: z.string(),
  /** The lead's stage (outcome-map.ts LEAD_STAGES) as last applied. */
  stage: z.string().optional(),
  outcomeText: z.string().optional(),
  eventDate: z.string().optional(),
  lostReason: z.string().optional(),
  bookingLink: z.string().optional(),
  /** When the last applied change happened at Tripleseat (ms): older deliveries change nothing. */
  appliedAtMs: z.number(),
  /** Tie-break between deliveries with the same time (outcome-map.ts stageRank). */
  appliedRank: z.number(),
  appliedTrigger: z.string(),
  /** When the event's details (date, link) last changed (ms); ordered apart from the stage. */
  detailsAtMs: z.number().optional(),
  /** Bumped on every write: a write based on an outdated read is refused (compare-and-set). */
  version: z.number().int().default(0),
  /** First time each stage was reached (ms, Tripleseat's time), for status and the dashboard. */
  leadCreatedAtMs: z.number().optional(),
  convertedAtMs: z.number().optional(),
  bookedAtMs: z.number().optional(),
  turnedDownAtMs: z.number().optional(),
  lostAtMs: z.number().optional(),
  updatedAt: z.number(),
});
export type LeadOutcomeRecord = z.infer<typeof LeadOutcomeRecordSchema>;

export const UnknownLeadRecordSchema = LeadItemSchema.extend({
  lastTrigger: z.string(),
  deliveries: z.number().int(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});
export type UnknownLeadRecord = z.infer<typeof UnknownLeadRecordSchema>;

export const UnreadableDeliveryRecordSchema = VenueItemSchema.extend({
  /** The delivery exactly as received (signature checked), so a fixed reader can apply it later. */
  body: z.string(),
  /** Why it could not be read: the reader's reason and the fields it could not read (never values). */
  reason: z.string(),
  detail: z.string(),
  deliveries: z.number().int(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});
export type UnreadableDeliveryRecord = z.infer<typeof UnreadableDeliveryRecordSchema>;

/** A DynamoDB item holds 400 KB; a delivery this long is not one of Tripleseat's and is not kept whole. */
const MAX_KEPT_BODY_CHARS = 300_000;

const ReconcileMarkSchema = z.object({ lastRunStartedAt: z.number() });

/** A lead id the index can hold: the ledger writes 'unknown' when a create answered without one. */
export function isRealLeadId(leadId: string | undefined): leadId is string {
  return leadId !== undefined && leadId !== 'unknown' && leadId !== '';
}

/** The index record of `leadId` (lead id -> the request that created it). */
export function leadIndexItem(key: LedgerKey, leadId: string, now: number): LeadIndexRecord {
  return {
    pk: keys.venue(key.venueId),
    sk: keys.leadIndex(leadId),
    venueId: key.venueId,
    leadId,
    contactId: key.contactId,
    flagSetAt: key.flagSetAt,
    indexedAt: now,
  };
}

export class LeadIndexConflictError extends Error {
  override readonly name = 'LeadIndexConflictError';
  constructor(venueId: string, leadId: string, contactId: string, existing: string) {
    super(
      `venue ${venueId}: lead ${leadId} is already indexed to contact ${existing}, not ${contactId}; ` +
        'two ledger requests claim one Tripleseat lead. Check both with `venue-sync status contact <id>`',
    );
  }
}

export type LeadIndexOptions = StoreOptions;

export class LeadIndex {
  private readonly access: TableAccess;

  constructor(options: LeadIndexOptions) {
    this.access = new TableAccess(options);
  }

  /**
   * Records which request created a lead. Idempotent for the same request; a different contact for the
   * same lead id is refused (it would route one lead's outcome to two people).
   */
  async recordLead(key: LedgerKey, leadId: string): Promise<void> {
    if (!isRealLeadId(leadId)) return;
    const record = leadIndexItem(key, leadId, this.access.now());
    const ok = await this.access.ifConditionHolds(() =>
      this.access.doc.send(
        new PutCommand({
          TableName: this.access.table,
          Item: record,
          ConditionExpression:
            'attribute_not_exists(pk) OR (contactId = :contactId AND flagSetAt = :flagSetAt)',
          ExpressionAttributeValues: { ':contactId': key.contactId, ':flagSetAt': key.flagSetAt },
        }),
      ),
    );
    if (!ok) {
      const existing = await this.findLead(key.venueId, leadId);
      throw new LeadIndexConflictError(key.venueId, leadId, key.contactId, existing?.contactId ?? '?');
    }
  }

  /**
   * Indexes leads the caller has just created, 25 a call. A lead id the destination has just issued
   * belongs to no other request, so recordLead's condition could not fail for these and none is sent.
   */
  async recordNewLeads(leads: ReadonlyArray<{ key: LedgerKey; leadId: string }>): Promise<void> {
    const now = this.access.now();
    const requests = leads
      .filter(({ leadId }) => isRealLeadId(leadId))
      .map(({ key, leadId }) => ({ PutRequest: { Item: leadIndexItem(key, leadId, now) } }));
    for (const chunk of chunks(requests, BATCH_WRITE_LIMIT)) {
      await sendUntilProcessed(
        chunk,
        async (batch) => {
          // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
          const result = await this.access.doc.send(
            new BatchWriteCommand({ RequestItems: { [this.access.table]: [...batch] } }),
          );
          return result.UnprocessedItems?.[this.access.table] as typeof batch | undefined;
        },
        `indexing ${chunk.length} new lead(s)`,
        this.access.backoff,
      );
    }
  }

  /** The request that created `leadId` in this venue, or undefined when venue-sync did not create it. */
  async findLead(venueId: string, leadId: string): Promise<LedgerKey | undefined> {
    const item = await this.get(keys.venue(venueId), keys.leadIndex(leadId));
    if (!item) return undefined;
    const record = LeadIndexRecordSchema.parse(item);
    return { venueId: record.venueId, contactId: record.contactId, flagSetAt: record.flagSetAt };
  }

  async getOutcome(venueId: string, leadId: string): Promise<LeadOutcomeRecord | undefined> {
    const item = await this.get(keys.venue(venueId), keys.leadOutcome(leadId));
    return item ? LeadOutcomeRecordSchema.parse(item) : undefined;
  }

  /**
   * Stores the next outcome only if the stored one is still the one it was decided from (`basedOn`, its
   * version; undefined: none stored yet). False when another delivery wrote first: re-read and decide again.
   */
  async putOutcome(
    record: Omit<LeadOutcomeRecord, 'pk' | 'sk' | 'updatedAt' | 'version'>,
    basedOn: number | undefined,
  ): Promise<boolean> {
    const item: LeadOutcomeRecord = {
      ...record,
      pk: keys.venue(record.venueId),
      sk: keys.leadOutcome(record.leadId),
      version: (basedOn ?? 0) + 1,
      updatedAt: this.access.now(),
    };
    return this.access.ifConditionHolds(() =>
      this.access.doc.send(
        new PutCommand({
          TableName: this.access.table,
          Item: item,
          ...(basedOn === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': basedOn },
              }),
        }),
      ),
    );
  }

  async listOutcomes(venueId: string): Promise<LeadOutcomeRecord[]> {
    const items = await this.queryPrefix(venueId, keys.leadOutcomePrefix);
    return items.map((item) => LeadOutcomeRecordSchema.parse(item));
  }

  /** Counts a delivery about a lead venue-sync did not create, for ops (`venue-sync status`). */
  async recordUnknownLead(venueId: string, leadId: string, trigger: string): Promise<void> {
    const now = this.access.now();
    const existing = await this.get(keys.venue(venueId), keys.unknownLead(leadId));
    const previous = existing ? UnknownLeadRecordSchema.safeParse(existing) : undefined;
    const record: UnknownLeadRecord = {
      pk: keys.venue(venueId),
      sk: keys.unknownLead(leadId),
      venueId,
      leadId,
      lastTrigger: trigger,
      deliveries: (previous?.success ? previous.data.deliveries : 0) + 1,
      firstSeenAt: previous?.success ? previous.data.firstSeenAt : now,
      lastSeenAt: now,
    };
    await this.access.doc.send(new PutCommand({ TableName: this.access.table, Item: record }));
  }

  /**
   * Keeps a signed delivery the receiver could not read, once per distinct body (Tripleseat's resends of
   * it are counted), for `venue-sync status` and `venue-sync replay --deliveries`.
   */
  async keepUnreadableDelivery(
    venueId: string,
    body: string,
    why: { reason: string; detail: string },
  ): Promise<void> {
    const now = this.access.now();
    const sk = keys.unreadableDelivery(createHash('sha256').update(body).digest('hex').slice(0, 32));
    const existing = await this.get(keys.venue(venueId), sk);
    const previous = existing ? UnreadableDeliveryRecordSchema.safeParse(existing) : undefined;
    const cut = body.length > MAX_KEPT_BODY_CHARS;
    const record: UnreadableDeliveryRecord = {
      pk: keys.venue(venueId),
      sk,
      venueId,
      body: cut ? body.slice(0, MAX_KEPT_BODY_CHARS) : body,
      reason: why.reason,
      detail: cut ? `${why.detail} (body cut at ${MAX_KEPT_BODY_CHARS} characters)` : why.detail,
      deliveries: (previous?.success ? previous.data.deliveries : 0) + 1,
      firstSeenAt: previous?.success ? previous.data.firstSeenAt : now,
      lastSeenAt: now,
    };
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    await this.access.doc.send(new PutCommand({ TableName: this.access.table, Item: record }));
  }

  async listUnreadableDeliveries(venueId: string): Promise<UnreadableDeliveryRecord[]> {
    const items = await this.queryPrefix(venueId, keys.unreadableDeliveryPrefix);
    return items.map((item) => UnreadableDeliveryRecordSchema.parse(item));
  }

  async removeUnreadableDelivery(venueId: string, sk: string): Promise<void> {
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
    await this.access.doc.send(
      new DeleteCommand({ TableName: this.access.table, Key: { pk: keys.venue(venueId), sk } }),
    );
  }

  async listUnknownLeads(venueId: string): Promise<UnknownLeadRecord[]> {
    const items = await this.queryPrefix(venueId, keys.unknownLeadPrefix);
    return items.map((item) => UnknownLeadRecordSchema.parse(item));
  }

  /** When the last reconcile run started (ms), or undefined before the first. */
  async lastReconcile(venueId: string): Promise<number | undefined> {
    const item = await this.get(keys.venue(venueId), keys.leadReconcile);
    const parsed = ReconcileMarkSchema.safeParse(item);
    return parsed.success ? parsed.data.lastRunStartedAt : undefined;
  }

  async markReconciled(venueId: string, runStartedAt: number): Promise<void> {
    await this.access.doc.send(
      new PutCommand({
        TableName: this.access.table,
        Item: { pk: keys.venue(venueId), sk: keys.leadReconcile, lastRunStartedAt: runStartedAt },
      }),
    );
  }

  private get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    return this.access.get(pk, sk);
  }

  /** Every item of the venue's partition whose sort key starts with `prefix`. */
  private queryPrefix(venueId: string, prefix: string): Promise<Record<string, unknown>[]> {
    return this.access.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.venue(venueId), ':prefix': prefix },
    });
  }
}
