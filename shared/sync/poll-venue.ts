/**
 * The venue poller (docs/design.md section 5): every flag-set event on a HubSpot contact becomes exactly
 * one lead in this venue's Tripleseat, is never lost, and never reaches another venue (the flag,
 * the Tripleseat client and the table partition all belong to this one venue).
 *
 * This module walks the flagged contacts and writes outcomes back; what happens to each request is
 * decided by the decision core (decide.ts) and carried out by the RequestRunner, which replay uses too.
 * The run holds the venue lease for at least as long as it can live, renews it at every page and stops
 * if it was lost, so two runs never work on one venue at once.
 */
import { z } from 'zod';
import type { VenueConfig } from '../config/app-config';
import { AuthError, DailyLimitError, isRunStopping } from '../rate-limit/errors';
import { keys, type LedgerEntry, type LedgerKey, type ReconciliationStore } from '../reconciliation';
import { silentLog, type DecisionLog } from './decision-log';
import type { Step } from './decide';
import { mapContactToLead } from './lead-mapper';
import { flagSetAtOf, outcomeUpdate, type Outcome } from './outcome';
import { forEachWithConcurrency } from './pool';
import type { ContactUpdate, FlaggedContact, HubSpotContactsPort, TripleseatPort } from './ports';
import { RequestRunner, type PollStep, type RequestRunnerDeps } from './request-runner';
import { resolveVenueSchema, type VenueSchema } from './venue-schema';

export type { PollStep } from './request-runner';

export type VenueRuntimeConfig = Pick<
  VenueConfig,
  'id' | 'syncFlagLabel' | 'fieldMap' | 'writeBack' | 'tripleseatLeadFormId' | 'tripleseatLocationId'
>;

export interface PollVenueOptions {
  /** HubSpot search page size (the API maximum). @default 200 */
  pageSize?: number;
  /** Claims of one request before it is quarantined. @default 5 */
  maxAttempts?: number;
  /**
   * Lease lifetime. By default the time this invocation has left plus a grace period, so the lease
   * outlives any run that could still be working (a Lambda is killed at its timeout).
   */
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
  /** The venue's lead destination: its Tripleseat account or another platform (shared/destinations). */
  tripleseat: TripleseatPort;
  store: ReconciliationStore;
  runId: string;
  now: () => number;
  /** Time left before the Lambda is stopped (context.getRemainingTimeInMillis). */
  remainingMs: () => number;
  /** The other venues' checkbox labels: a flag property one of them names is refused (never shared). */
  otherVenueFlagLabels?: readonly string[];
  log?: DecisionLog;
  onStep?: (step: PollStep, contactId: string) => void | Promise<void>;
  /** Every step the decision core decides, per request (dry-run parity, live view). */
  onDecision?: (key: LedgerKey, step: Step) => void;
  options?: PollVenueOptions;
  /** Where a recorded lead id is indexed for Tripleseat's outcome deliveries. @default - not indexed */
  leadIndex?: RequestRunnerDeps['leadIndex'];
}

export type PollStatus =
  'completed' | 'lease-held' | 'lease-lost' | 'stopped-for-time' | 'daily-limit' | 'tripleseat-unavailable';

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
  /** Newer ticks that arrived while an older request was in flight, whose flag the write-back restored. */
  reticksKept: number;
  /** HubSpot's count of flagged contacts at the start of the pass. */
  backlog: number;
  /** Seconds from tick to lead, one value per lead created this run. */
  tickToLeadSeconds: number[];
  /**
   * Age in seconds of the oldest request this run saw but left waiting (retried, held by another run, or
   * not reached before the run stopped); 0 when none. Requests on pages never read are not counted.
   */
  oldestWaitingSeconds: number;
  rejections: Array<{ contactId: string; reason: string }>;
}

const CheckpointSchema = z.object({ afterId: z.string() });

/** How much longer than the invocation the lease lives, for clock skew between the Lambda and DynamoDB. */
export const LEASE_GRACE_MS = 30_000;

/** The run no longer holds the venue lease: it stops before sending anything else. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

interface PendingFinish {
  key: LedgerKey;
  update: ContactUpdate;
  /** LEAD_CREATED entries become DONE once their flag is cleared. */
  markDone: boolean;
  entry: LedgerEntry;
  /** Created by this run: indexed (lead id -> request) in one batch before the write-back. */
  newLead: boolean;
}

export async function pollVenue(deps: PollVenueDeps): Promise<PollReport> {
  const { venue, store, runId } = deps;
  const options = withDefaults(deps.options);
  const log = deps.log ?? silentLog;
  const partition = keys.venue(venue.id);
  const report = emptyReport(venue.id);

  const leaseTtlMs = () => options.leaseTtlMs ?? deps.remainingMs() + LEASE_GRACE_MS;
  if (!(await store.acquireLease(partition, runId, leaseTtlMs()))) {
    log.info('another run holds the lease; skipping this tick', { venueId: venue.id });
    return { ...report, status: 'lease-held' };
  }
  try {
    const schema = resolveVenueSchema(venue, await deps.hubspot.listProperties(), {
      otherVenueFlagLabels: deps.otherVenueFlagLabels ?? [],
    });
    const run = new VenueRun(deps, options, log, schema, report, leaseTtlMs);
    await run.drain();
    return report;
  } catch (error) {
    if (error instanceof LeaseLostError) {
      log.error('the venue lease was lost; stopped before sending anything else', { venueId: venue.id });
      return { ...report, status: 'lease-lost' };
    }
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
  private readonly requests: RequestRunner;
  private consecutiveTransientFailures = 0;
  private stopError: unknown;

  constructor(
    private readonly deps: PollVenueDeps,
    private readonly options: Required<Omit<PollVenueOptions, 'leaseTtlMs'>>,
    private readonly log: DecisionLog,
    private readonly schema: VenueSchema,
    private readonly report: PollReport,
    private readonly leaseTtlMs: () => number,
  ) {
    this.requests = new RequestRunner({
      store: deps.store,
      destination: deps.tripleseat,
      runId: deps.runId,
      claimTtlMs: leaseTtlMs(),
      decisions: {
        maxAttempts: options.maxAttempts,
        canLookUp: deps.tripleseat.findLeadsByEmail !== undefined,
        ...(deps.tripleseat.name ? { destinationName: deps.tripleseat.name } : {}),
        ...(deps.tripleseat.noLookUpReason ? { noLookUpReason: deps.tripleseat.noLookUpReason } : {}),
      },
      log,
      ...(deps.leadIndex ? { leadIndex: deps.leadIndex, newLeadsIndexedByCaller: true } : {}),
      onStep: deps.onStep,
      onDecision: deps.onDecision,
    });
  }

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
      await this.renewLease();
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

  /** Fences this run: a lease that is no longer ours means another run may be working; stop at once. */
  private async renewLease(): Promise<void> {
    const partition = keys.venue(this.deps.venue.id);
    if (!(await this.deps.store.renewLease(partition, this.deps.runId, this.leaseTtlMs()))) {
      throw new LeaseLostError(`run ${this.deps.runId} no longer holds the lease of '${this.deps.venue.id}'`);
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
    for (const contact of contacts) {
      if (!this.touched.has(contact.id) && contact.properties[this.schema.flag.name] === 'true') {
        this.waiting(requestTimeOf(contact, silentLog));
      }
    }
    // Even when the run must stop, the leads already created get their flags cleared now.
    await this.finish(pending);
    return contacts.every((contact) => this.touched.has(contact.id));
  }

  private async handleContact(contact: FlaggedContact): Promise<PendingFinish | undefined> {
    const { venue } = this.deps;
    // Search lags behind writes: the batch read is authoritative for the flag's current value.
    if (contact.properties[this.schema.flag.name] !== 'true') return undefined;
    const key: LedgerKey = {
      venueId: venue.id,
      contactId: contact.id,
      flagSetAt: requestTimeOf(contact, this.log),
    };
    this.report.flagged += 1;
    const mapped = mapContactToLead(contact.properties, this.schema.fields, {
      locationId: venue.tripleseatLocationId,
      leadFormId: venue.tripleseatLeadFormId,
    });
    const result = await this.requests.run(key, mapped);
    switch (result.kind) {
      case 'left':
        this.waiting(key.flagSetAt);
        return undefined;
      case 'retry':
        this.waiting(key.flagSetAt);
        this.report.retried += 1;
        this.consecutiveTransientFailures += 1;
        if (this.consecutiveTransientFailures >= this.options.circuitBreakerThreshold) {
          this.report.status = 'tripleseat-unavailable';
        }
        return undefined;
      case 'finished':
        this.count(key, result.outcome, result.resumed);
        if (result.created) {
          this.consecutiveTransientFailures = 0;
          this.report.tickToLeadSeconds.push(secondsSince(key.flagSetAt, this.deps.now()));
        }
        return {
          key,
          update: this.update(key.contactId, result.outcome),
          markDone: result.markDone,
          entry: result.entry,
          newLead: result.newLead,
        };
    }
  }

  private count(key: LedgerKey, outcome: Outcome, resumed: boolean): void {
    if (resumed) {
      this.report.resumed += 1;
      return;
    }
    if (outcome.kind === 'sent') this.report.created += 1;
    if (outcome.kind === 'quarantined') this.report.quarantined += 1;
    if (outcome.kind === 'rejected') {
      this.report.rejected += 1;
      this.report.rejections.push({ contactId: key.contactId, reason: outcome.reason });
    }
  }

  /**
   * Indexes the leads this run created (25 a call), clears the flags of a page in batches, sets again any
   * flag ticked anew meanwhile, then marks the created leads DONE (25 a call). A marketer may have ticked
   * the box again while the older request was in flight: clearing would wipe that newer request, so the
   * flags just cleared are read back and any with a newer tick are set again (one call per 50 contacts).
   */
  private async finish(pending: PendingFinish[]): Promise<void> {
    if (pending.length === 0) return;
    // The leads this run created are indexed before HubSpot is touched (RequestRunnerDeps.newLeadsIndexedByCaller).
    await this.deps.leadIndex?.recordNewLeads(
      pending.flatMap(({ key, entry, newLead }) =>
        newLead && entry.leadId ? [{ key, leadId: entry.leadId }] : [],
      ),
    );
    const { failed } = await this.deps.hubspot.updateContacts(pending.map((item) => item.update));
    const failedIds = new Map(failed.map((failure) => [failure.id, failure.reason]));
    const cleared: PendingFinish[] = [];
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
      cleared.push(item);
      this.report.flagsCleared += 1;
      await this.deps.onStep?.('flags-cleared', item.key.contactId);
    }
    // A newer tick wiped by the clear is set again first: losing it would lose a request, while a DONE
    // not written leaves a finished request LEAD_CREATED.
    await this.keepNewerTicks(cleared);
    await this.deps.store.markDoneMany(cleared.filter((item) => item.markDone).map((item) => item.entry));
  }

  private async keepNewerTicks(cleared: PendingFinish[]): Promise<void> {
    if (cleared.length === 0) return;
    const flag = this.schema.flag.name;
    const requestTime = new Map(cleared.map((item) => [item.key.contactId, Date.parse(item.key.flagSetAt)]));
    const now = await this.deps.hubspot.readFlagged([...requestTime.keys()], flag, []);
    const restore = now.filter((contact) => {
      const handled = requestTime.get(contact.id);
      const newest = contact.flagSetAt === undefined ? Number.NaN : Date.parse(contact.flagSetAt);
      return contact.properties[flag] !== 'true' && handled !== undefined && newest > handled;
    });
    if (restore.length === 0) return;
    const { failed } = await this.deps.hubspot.updateContacts(
      restore.map((contact) => ({ id: contact.id, properties: { [flag]: 'true' } })),
    );
    const failedIds = new Set(failed.map((failure) => failure.id));
    for (const contact of restore) {
      if (failedIds.has(contact.id)) {
        this.log.error(
          'a newer tick arrived while the older request was in flight and could not be restored',
          {
            venueId: this.deps.venue.id,
            contactId: contact.id,
            tickedAt: contact.flagSetAt,
          },
        );
        continue;
      }
      this.report.reticksKept += 1;
      this.log.info('kept a newer tick that arrived while the older request was in flight', {
        venueId: this.deps.venue.id,
        contactId: contact.id,
        tickedAt: contact.flagSetAt,
      });
    }
  }

  private waiting(flagSetAt: string): void {
    this.report.oldestWaitingSeconds = Math.max(
      this.report.oldestWaitingSeconds,
      secondsSince(flagSetAt, this.deps.now()),
    );
  }

  private update(contactId: string, outcome: Outcome): ContactUpdate {
    return outcomeUpdate(this.schema, contactId, outcome, this.deps.now(), this.deps.tripleseat.name);
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

function secondsSince(iso: string, nowMs: number): number {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.max(0, Math.round((nowMs - at) / 1000)) : 0;
}

function withDefaults(
  options: PollVenueOptions = {},
): Required<Omit<PollVenueOptions, 'leaseTtlMs'>> & Pick<PollVenueOptions, 'leaseTtlMs'> {
  return {
    pageSize: options.pageSize ?? 200,
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
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
    reticksKept: 0,
    backlog: 0,
    tickToLeadSeconds: [],
    oldestWaitingSeconds: 0,
    rejections: [],
  };
}
