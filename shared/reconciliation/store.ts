/**
 * The reconciliation store: one facade over the table's record kinds, each kept by its own module
 * (lease-store, checkpoint-store, ledger-store, people-store, quarantine-store) on shared plumbing
 * (table-access). Every "do it or not" decision is a single-item conditional write (dynalite and
 * DynamoDB agree on those; neither transactions nor TTL are relied on).
 */
import type { z } from 'zod';
import { CheckpointStore } from './checkpoint-store';
import { keys } from './keys';
import { LeaseStore } from './lease-store';
import { LedgerStore, type ClaimResult, type LedgerKey, type SentSnapshot } from './ledger-store';
import { PeopleStore, type PersonInput } from './people-store';
import { QuarantineStore } from './quarantine-store';
import type { Lease, LedgerEntry, PersonRecord, QuarantineRecord } from './records';
import { TableAccess, type StoreOptions } from './table-access';

export { IllegalTransitionError, type ClaimResult, type LedgerKey, type SentSnapshot } from './ledger-store';
export type { StoreOptions } from './table-access';
export { UnprocessedItemsError } from './unprocessed-retry';

export class ReconciliationStore {
  private readonly access: TableAccess;
  private readonly leases: LeaseStore;
  private readonly checkpoints: CheckpointStore;
  private readonly ledger: LedgerStore;
  private readonly people: PeopleStore;
  private readonly quarantine: QuarantineStore;

  constructor(options: StoreOptions) {
    this.access = new TableAccess(options);
    this.leases = new LeaseStore(this.access);
    this.checkpoints = new CheckpointStore(this.access);
    this.quarantine = new QuarantineStore(this.access);
    this.ledger = new LedgerStore(this.access, this.quarantine);
    this.people = new PeopleStore(this.access);
  }

  // ---- lease: one runner per partition (overlapping schedule ticks, webhook-triggered polls) ----

  /** Takes the lease if free, expired, or already ours. Returns false while another runner holds it. */
  acquireLease(partition: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.leases.acquireLease(partition, owner, ttlMs);
  }

  /** Extends the lease we hold; false when it is no longer ours (see LeaseStore.renewLease). */
  renewLease(partition: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.leases.renewLease(partition, owner, ttlMs);
  }

  releaseLease(partition: string, owner: string): Promise<void> {
    return this.leases.releaseLease(partition, owner);
  }

  getLease(partition: string): Promise<Lease | undefined> {
    return this.leases.getLease(partition);
  }

  // ---- checkpoint ----

  saveCheckpoint(partition: string, data: Record<string, unknown>): Promise<void> {
    return this.checkpoints.saveCheckpoint(partition, data);
  }

  loadCheckpoint<T>(partition: string, schema: z.ZodType<T>): Promise<T | undefined> {
    return this.checkpoints.loadCheckpoint(partition, schema);
  }

  clearCheckpoint(partition: string): Promise<void> {
    return this.checkpoints.clearCheckpoint(partition);
  }

  // ---- ledger: one entry per flag-set event (see LedgerStore for each move's meaning) ----

  claim(
    key: LedgerKey,
    runId: string,
    claimTtlMs: number,
    options: { intent?: SentSnapshot } = {},
  ): Promise<ClaimResult> {
    return this.ledger.claim(key, runId, claimTtlMs, options);
  }

  markSending(key: LedgerKey, runId: string, sent: SentSnapshot): Promise<LedgerEntry> {
    return this.ledger.markSending(key, runId, sent);
  }

  markLeadCreated(key: LedgerKey, runId: string, leadId: string): Promise<LedgerEntry> {
    return this.ledger.markLeadCreated(key, runId, leadId);
  }

  markDone(key: LedgerKey): Promise<LedgerEntry> {
    return this.ledger.markDone(key);
  }

  markDoneMany(entries: readonly LedgerEntry[]): Promise<void> {
    return this.ledger.markDoneMany(entries);
  }

  reject(key: LedgerKey, runId: string, reason: string): Promise<LedgerEntry> {
    return this.ledger.reject(key, runId, reason);
  }

  releaseForRetry(
    key: LedgerKey,
    runId: string,
    error: string,
    options: { maybeSent?: boolean } = {},
  ): Promise<LedgerEntry> {
    return this.ledger.releaseForRetry(key, runId, error, options);
  }

  quarantineLedger(
    key: LedgerKey,
    runId: string,
    error: string,
    options: { maybeSent?: boolean } = {},
  ): Promise<LedgerEntry> {
    return this.ledger.quarantineLedger(key, runId, error, options);
  }

  replayLedger(key: LedgerKey, options: { confirmedNotSent?: boolean } = {}): Promise<LedgerEntry> {
    return this.ledger.replayLedger(key, options);
  }

  getLedger(key: LedgerKey): Promise<LedgerEntry | undefined> {
    return this.ledger.getLedger(key);
  }

  listLedger(venueId: string): Promise<LedgerEntry[]> {
    return this.ledger.listLedger(venueId);
  }

  /** Every record about one HubSpot contact across venues and Webex (gsi1). */
  recordsForContact(contactId: string): Promise<Record<string, unknown>[]> {
    return this.access.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.contactIndex(contactId) },
    });
  }

  // ---- Webex person map ----

  getPeople(eventId: string, emails: readonly string[]): Promise<Map<string, PersonRecord>> {
    return this.people.getPeople(eventId, emails);
  }

  putPeople(people: readonly PersonInput[]): Promise<void> {
    return this.people.putPeople(people);
  }

  listPeople(eventId: string): Promise<PersonRecord[]> {
    return this.people.listPeople(eventId);
  }

  // ---- quarantine ----

  putQuarantine(
    source: string,
    key: string,
    reason: string,
    payload?: Record<string, unknown>,
  ): Promise<void> {
    return this.quarantine.putQuarantine(source, key, reason, payload);
  }

  listQuarantine(source: string): Promise<QuarantineRecord[]> {
    return this.quarantine.listQuarantine(source);
  }

  removeQuarantine(source: string, key: string): Promise<void> {
    return this.quarantine.removeQuarantine(source, key);
  }
}
