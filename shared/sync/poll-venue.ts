/**
 * The venue poller (DESIGN.md section 5): every flag-set event on a HubSpot contact becomes exactly
 * one lead in this venue's Tripleseat, is never lost, and never reaches another venue (the flag,
 * the Tripleseat client and the table partition all belong to this one venue).
 *
 * Crash safety comes from the ledger: a request is claimed before anything is sent, the lead id is
 * recorded before HubSpot is touched again, and DONE is marked only after the flag is cleared. A run
 * that dies anywhere leaves an entry the next run finishes instead of repeating.
 */
import { z } from 'zod';
import type { VenueConfig } from '../config/app-config';
import {
  AmbiguousOutcomeError,
  AuthError,
  DailyLimitError,
  PermanentApiError,
  TransientApiError,
  isRunStopping,
} from '../rate-limit/errors';
import { keys, type LedgerEntry, type LedgerKey, type ReconciliationStore } from '../reconciliation';
import { silentLog, type DecisionLog } from './decision-log';
import { mapContactToLead } from './lead-mapper';
import { QUARANTINED_REASON, decidedOutcome, flagSetAtOf, outcomeUpdate, type Outcome } from './outcome';
import { forEachWithConcurrency } from './pool';
import type { ContactUpdate, FlaggedContact, HubSpotContactsPort, TripleseatPort } from './ports';
import { resolveVenueSchema, type VenueSchema } from './venue-schema';

export type VenueRuntimeConfig = Pick<
  VenueConfig,
  'id' | 'syncFlagLabel' | 'fieldMap' | 'writeBack' | 'tripleseatLeadFormId' | 'tripleseatLocationId'
>;

/** Step boundaries, observable for logs and for crash-injection tests. */
export type PollStep = 'claimed' | 'lead-created' | 'lead-recorded' | 'flags-cleared';

export interface PollVenueOptions {
  /** HubSpot search page size (the API maximum). @default 200 */
  pageSize?: number;
  /** Claims of one request before it is quarantined. @default 5 */
  maxAttempts?: number;
  /** Lease and claim lifetime; at least the Lambda timeout. @default 300000 */
  leaseTtlMs?: number;
  /** Stop starting new work when less than this remains. @default 30000 */
  stopMarginMs?: number;
  /** Requests processed in parallel within a page (the limiter still paces Tripleseat). @default 4 */
  concurrency?: number;
  /** Consecutive temporary Tripleseat failures after which the run stops (it is down). @default 5 */
  circuitBreakerThreshold?: number;
}

export interface PollVenueDeps {
  venue: VenueRuntimeConfig;
  hubspot: HubSpotContactsPort;
  tripleseat: TripleseatPort;
  store: ReconciliationStore;
  runId: string;
  now: () => number;
  /** Time left before the Lambda is stopped (context.getRemainingTimeInMillis). */
  remainingMs: () => number;
  log?: DecisionLog;
  onStep?: (step: PollStep, contactId: string) => void | Promise<void>;
  options?: PollVenueOptions;
}

export type PollStatus =
  'completed' | 'lease-held' | 'stopped-for-time' | 'daily-limit' | 'tripleseat-unavailable';

export interface PollReport {
  venueId: string;
  status: PollStatus;
  /** Flag-set events seen this run (each counted once). */
  flagged: number;
  created: number;
  rejected: number;
  /** Temporary failures left for a later tick. */
  retried: number;
  quarantined: number;
  /** Requests an earlier run had already decided; this run only finished them. */
  resumed: number;
  flagsCleared: number;
  /** HubSpot's count of flagged contacts at the start of the pass. */
  backlog: number;
  rejections: Array<{ contactId: string; reason: string }>;
}

const CheckpointSchema = z.object({ afterId: z.string() });

interface PendingFinish {
  key: LedgerKey;
  update: ContactUpdate;
  /** LEAD_CREATED entries become DONE once their flag is cleared. */
  markDone: boolean;
}

export async function pollVenue(deps: PollVenueDeps): Promise<PollReport> {
  const { venue, store, runId } = deps;
  const options = withDefaults(deps.options);
  const log = deps.log ?? silentLog;
  const partition = keys.venue(venue.id);
  const report = emptyReport(venue.id);

  if (!(await store.acquireLease(partition, runId, options.leaseTtlMs))) {
    log.info('another run holds the lease; skipping this tick', { venueId: venue.id });
    return { ...report, status: 'lease-held' };
  }
  try {
    const schema = resolveVenueSchema(venue, await deps.hubspot.listProperties());
    const run = new VenueRun(deps, options, log, schema, report);
    await run.drain();
    return report;
  } catch (error) {
    if (error instanceof DailyLimitError) {
      log.warn('HubSpot daily limit reached; stopping until it resets', { venueId: venue.id });
      return { ...report, status: 'daily-limit' };
    }
    throw error;
  } finally {
    await store.releaseLease(partition, runId);
  }
}

class VenueRun {
  private readonly touched = new Set<string>();
  private consecutiveTransientFailures = 0;
  private stopError: unknown;

  constructor(
    private readonly deps: PollVenueDeps,
    private readonly options: Required<PollVenueOptions>,
    private readonly log: DecisionLog,
    private readonly schema: VenueSchema,
    private readonly report: PollReport,
  ) {}

  /** Search windowed by contact id; a pass resumed from a checkpoint wraps around once to id 0. */
  async drain(): Promise<void> {
    const { store, hubspot, venue } = this.deps;
    const partition = keys.venue(venue.id);
    let afterId = (await store.loadCheckpoint(partition, CheckpointSchema))?.afterId ?? '0';
    let coveredFromStart = afterId === '0';
    let firstPage = true;

    for (;;) {
      if (this.timeIsShort()) {
        await store.saveCheckpoint(partition, { afterId });
        this.report.status = 'stopped-for-time';
        return;
      }
      const page = await hubspot.searchFlagged(this.schema.flag.name, afterId, this.options.pageSize);
      if (firstPage) this.report.backlog = page.total;
      firstPage = false;
      if (page.ids.length === 0) {
        if (!coveredFromStart) {
          afterId = '0';
          coveredFromStart = true;
          continue;
        }
        await store.clearCheckpoint(partition);
        return;
      }
      const wholePage = await this.processPage(page.ids.filter((id) => !this.touched.has(id)));
      if (this.stopError) throw this.stopError;
      if (!wholePage) {
        // Stopped inside the page (time, or Tripleseat down): the next tick re-reads it from here.
        await store.saveCheckpoint(partition, { afterId });
        if (this.report.status === 'completed') this.report.status = 'stopped-for-time';
        return;
      }
      afterId = page.ids[page.ids.length - 1] as string;
      await store.saveCheckpoint(partition, { afterId });
    }
  }

  /** Handles one page of flagged contacts; false when the run had to stop before all of them. */
  private async processPage(ids: string[]): Promise<boolean> {
    if (ids.length === 0) return true;
    const contacts = await this.deps.hubspot.readFlagged(ids, this.schema.flag.name, [
      ...this.schema.readProperties,
      'lastmodifieddate',
    ]);
    const pending: PendingFinish[] = [];
    await forEachWithConcurrency(
      contacts,
      this.options.concurrency,
      async (contact) => {
        this.touched.add(contact.id);
        try {
          const finish = await this.handleContact(contact);
          if (finish) pending.push(finish);
        } catch (error) {
          if (!isRunStopping(error) && !(error instanceof AuthError)) throw error;
          this.stopError ??= error;
        }
      },
      () =>
        this.stopError !== undefined || this.report.status === 'tripleseat-unavailable' || this.timeIsShort(),
    );
    // Even when the run must stop, the leads already created get their flags cleared now.
    await this.finish(pending);
    return contacts.every((contact) => this.touched.has(contact.id));
  }

  private async handleContact(contact: FlaggedContact): Promise<PendingFinish | undefined> {
    const { store, runId, venue } = this.deps;
    // Search lags behind writes: the batch read is authoritative for the flag's current value.
    if (contact.properties[this.schema.flag.name] !== 'true') return undefined;
    const key: LedgerKey = {
      venueId: venue.id,
      contactId: contact.id,
      flagSetAt: requestTimeOf(contact, this.log),
    };
    this.report.flagged += 1;

    const claim = await store.claim(key, runId, this.options.leaseTtlMs);
    if (claim.outcome === 'exists') return this.finishDecided(key, claim.entry);
    await this.deps.onStep?.('claimed', contact.id);
    if (claim.entry.attempts > this.options.maxAttempts) {
      return this.quarantine(
        key,
        `gave up after ${claim.entry.attempts - 1} attempts (${claim.entry.lastError ?? 'unknown error'})`,
      );
    }

    const mapped = mapContactToLead(contact.properties, this.schema.fields, {
      locationId: venue.tripleseatLocationId,
      leadFormId: venue.tripleseatLeadFormId,
    });
    if (!mapped.ok) return this.reject(key, mapped.reason);

    let leadId: string | undefined;
    let lookingUp = false;
    try {
      lookingUp = claim.entry.attempts > 1;
      const existing = lookingUp ? await this.findEarlierLead(key, mapped.lead.email_address) : undefined;
      lookingUp = false;
      if (existing) {
        leadId = existing;
        this.log.info('lead already in Tripleseat from an earlier attempt; not creating another', {
          venueId: venue.id,
          contactId: key.contactId,
          leadId,
        });
      } else {
        leadId = (await this.deps.tripleseat.createLead(mapped.lead)).leadId;
      }
      this.consecutiveTransientFailures = 0;
    } catch (error) {
      // A lookup that Tripleseat refuses says nothing about this record: retry it later (bounded by
      // the attempts, then quarantine) instead of rejecting it.
      const failure =
        lookingUp && error instanceof PermanentApiError
          ? new TransientApiError('tripleseat', `lead lookup before re-sending failed: ${error.message}`, {
              cause: error,
            })
          : error;
      return this.createFailed(key, claim.entry, failure);
    }
    await this.deps.onStep?.('lead-created', contact.id);
    await store.markLeadCreated(key, runId, leadId ?? 'unknown');
    await this.deps.onStep?.('lead-recorded', contact.id);
    this.report.created += 1;
    this.log.info('lead created', {
      venueId: venue.id,
      contactId: key.contactId,
      flagSetAt: key.flagSetAt,
      leadId,
    });
    return { key, update: this.update(key.contactId, { kind: 'sent', leadId }), markDone: true };
  }

  /** An earlier run decided this request; finish what it could not (clear the flag, write back). */
  private finishDecided(key: LedgerKey, entry: LedgerEntry): PendingFinish | undefined {
    const fields = { venueId: key.venueId, contactId: key.contactId, state: entry.state };
    switch (entry.state) {
      case 'CLAIMED':
        this.log.info('request is being worked on by another run; leaving it', fields);
        return undefined;
      default:
        this.report.resumed += 1;
        this.log.info('request already decided; finishing it', { ...fields, leadId: entry.leadId });
        return {
          key,
          update: this.update(key.contactId, decidedOutcome(entry)),
          markDone: entry.state === 'LEAD_CREATED',
        };
    }
  }

  /** Closes the "lead created, answer lost" window where the venue has OAuth (DESIGN.md section 5). */
  private async findEarlierLead(key: LedgerKey, email: string): Promise<string | undefined> {
    const find = this.deps.tripleseat.findLeadsByEmail?.bind(this.deps.tripleseat);
    if (!find) return undefined;
    const setAt = Date.parse(key.flagSetAt);
    const leads = await find(email);
    // Only a lead created after this flag was set can be this request's lead.
    return leads.find((lead) => lead.createdAt !== undefined && Date.parse(lead.createdAt) >= setAt)?.id;
  }

  private async createFailed(
    key: LedgerKey,
    entry: LedgerEntry,
    error: unknown,
  ): Promise<PendingFinish | undefined> {
    const { store, runId } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentApiError) {
      return this.reject(key, message.replace(/^Tripleseat rejected the lead: /, 'Tripleseat: '));
    }
    if (error instanceof AuthError || isRunStopping(error)) {
      // Not this record's fault: keep it for the next run, and stop this one with the explanation.
      await store.releaseForRetry(key, runId, message);
      throw error;
    }
    if (error instanceof AmbiguousOutcomeError && !this.deps.tripleseat.findLeadsByEmail) {
      // Without OAuth nobody can tell whether the lead exists: a person must look before a replay.
      return this.quarantine(
        key,
        `Tripleseat's answer was lost and this venue has no OAuth token to check; look for a lead for contact ` +
          `${key.contactId} in Tripleseat before replaying`,
      );
    }
    if (entry.attempts >= this.options.maxAttempts) {
      return this.quarantine(key, `Tripleseat failed ${entry.attempts} times (${message})`);
    }
    await store.releaseForRetry(key, runId, message);
    this.report.retried += 1;
    this.log.warn('temporary failure; will retry next tick', {
      venueId: key.venueId,
      contactId: key.contactId,
      attempt: entry.attempts,
      error: message,
    });
    this.consecutiveTransientFailures += 1;
    if (this.consecutiveTransientFailures >= this.options.circuitBreakerThreshold) {
      this.report.status = 'tripleseat-unavailable';
    }
    return undefined;
  }

  private async reject(key: LedgerKey, reason: string): Promise<PendingFinish> {
    await this.deps.store.reject(key, this.deps.runId, reason);
    this.report.rejected += 1;
    this.report.rejections.push({ contactId: key.contactId, reason });
    this.log.info('request rejected', { venueId: key.venueId, contactId: key.contactId, reason });
    return { key, update: this.update(key.contactId, { kind: 'rejected', reason }), markDone: false };
  }

  private async quarantine(key: LedgerKey, reason: string): Promise<PendingFinish> {
    await this.deps.store.quarantineLedger(key, this.deps.runId, reason);
    this.report.quarantined += 1;
    this.log.error('request quarantined for replay', {
      venueId: key.venueId,
      contactId: key.contactId,
      reason,
    });
    return {
      key,
      update: this.update(key.contactId, { kind: 'quarantined', reason: QUARANTINED_REASON }),
      markDone: false,
    };
  }

  /** Clears the flags of a page in batches, then marks the created leads DONE. */
  private async finish(pending: PendingFinish[]): Promise<void> {
    if (pending.length === 0) return;
    const { failed } = await this.deps.hubspot.updateContacts(pending.map((item) => item.update));
    const failedIds = new Map(failed.map((failure) => [failure.id, failure.reason]));
    for (const item of pending) {
      const failure = failedIds.get(item.key.contactId);
      if (failure) {
        // The ledger keeps its state; the next tick sees the flag and finishes it.
        this.log.warn('could not clear the flag; will finish next tick', {
          venueId: item.key.venueId,
          contactId: item.key.contactId,
          error: failure,
        });
        continue;
      }
      this.report.flagsCleared += 1;
      await this.deps.onStep?.('flags-cleared', item.key.contactId);
      if (item.markDone) await this.deps.store.markDone(item.key);
    }
  }

  private update(contactId: string, outcome: Outcome): ContactUpdate {
    return outcomeUpdate(this.schema, contactId, outcome, this.deps.now());
  }

  private timeIsShort(): boolean {
    return this.deps.remainingMs() < this.options.stopMarginMs;
  }
}

/** The request's time from the flag's history; the lastmodifieddate fallback is logged. */
function requestTimeOf(contact: FlaggedContact, log: DecisionLog): string {
  const { flagSetAt, fromHistory } = flagSetAtOf(contact);
  if (!fromHistory) {
    log.warn('flag history missing; keying the request by lastmodifieddate', { contactId: contact.id });
  }
  return flagSetAt;
}

function withDefaults(options: PollVenueOptions = {}): Required<PollVenueOptions> {
  return {
    pageSize: options.pageSize ?? 200,
    maxAttempts: options.maxAttempts ?? 5,
    leaseTtlMs: options.leaseTtlMs ?? 300_000,
    stopMarginMs: options.stopMarginMs ?? 30_000,
    concurrency: options.concurrency ?? 4,
    circuitBreakerThreshold: options.circuitBreakerThreshold ?? 5,
  };
}

function emptyReport(venueId: string): PollReport {
  return {
    venueId,
    status: 'completed',
    flagged: 0,
    created: 0,
    rejected: 0,
    retried: 0,
    quarantined: 0,
    resumed: 0,
    flagsCleared: 0,
    backlog: 0,
    rejections: [],
  };
}
