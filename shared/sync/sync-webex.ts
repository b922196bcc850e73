/**
 * Webex Events -> HubSpot (DESIGN.md section 6). Pages each event's attendees from its checkpoint,
 * keys people by normalized email, maps them through the label-based field map, skips people whose
 * mapped properties did not change since the last confirmed push, and upserts the rest by email,
 * 100 a call. Rolling Webex ids are followed in the person map instead of creating new contacts.
 *
 * Decisions (see the issue note for the trade-offs):
 * - Lease per event partition (`WEBEX#<eventId>` / LEASE), next to that event's checkpoint and person
 *   records: the function's IAM scope is `WEBEX#*` already, an overlapping tick can still work on an
 *   event the first run has not reached, and a crashed run blocks one event for at most the TTL.
 * - Checkpoint = the Relay cursor after the last finished page, saved after every page. When an
 *   event's pages are exhausted the checkpoint is cleared, so the next run re-scans from the start:
 *   Webex has no "changed since" filter ([U] api-facts 4), so a full pass is how changes are seen, and
 *   the hash makes an unchanged person cost a DynamoDB read, no HubSpot call. Cursors are positions in
 *   the list: people added mid-pass behind the cursor are seen on the next pass; were Webex to remove
 *   people, a cursor could skip over others until the next pass.
 * - Changed people are buffered across the pages of an event and upserted 100 a call (a 10 % change
 *   costs ~1 call per 1,000 people instead of one per page). The cursor is saved after every page
 *   whose changes are all confirmed; with changes still buffered it stays at the last confirmed page.
 * - Per-record HubSpot failures (207): kept for retry by NOT updating the person's hash, so the next
 *   pass sends them again (one input slot in a shared batch, no extra call). They are logged and
 *   counted (`failed`); only people who can never be upserted (no usable email) are quarantined.
 * - Duplicates: one page's attendees are merged by email before the upsert (HubSpot refuses a batch
 *   that repeats an email). Across events a contact holds one value per property, so each event's
 *   person record keeps its own hash; within a run a second event whose mapped properties are
 *   identical to what this run already wrote for that email costs no upsert.
 * - A DailyLimitError (Webex or HubSpot) ends the run cleanly, cursor saved, status 'daily-limit'.
 */
import { z } from 'zod';
import { DailyLimitError, PermanentApiError } from '../rate-limit/errors';
import { keys, type PersonRecord, type ReconciliationStore } from '../reconciliation';
import { resolveLabels } from '../schema';
import type { AttendeesPage, WebexAttendee, WebexEvent } from '../webex/client';
import type { WebexFieldMap } from '../webex/fields';
import { silentLog, type DecisionLog } from './decision-log';
import type { HubSpotUpsertPort } from './ports';
import { mapWebexAttendee, propertiesHash, type ResolvedWebexField } from './webex-mapper';

/** What the engine needs from Webex (WebexClient implements it). */
export interface WebexSourcePort {
  listEvents(): Promise<WebexEvent[]>;
  attendeesPage(eventId: number, after: string | undefined, first: number): Promise<AttendeesPage>;
}

export interface SyncWebexOptions {
  /** Attendees per page (halved on a 413 QUERY_TOO_COMPLEX). @default 100 */
  pageSize?: number;
  /** Stop starting new pages when less than this remains. @default 30000 */
  stopMarginMs?: number;
  /** Lease lifetime; at least the Lambda timeout. @default 900000 */
  leaseTtlMs?: number;
}

export interface SyncWebexDeps {
  webex: WebexSourcePort;
  hubspot: HubSpotUpsertPort;
  store: ReconciliationStore;
  /** HubSpot label -> Webex field (validated by parseWebexFieldMap). */
  fieldMap: WebexFieldMap;
  /** Events to sync; empty = every event the token can see. */
  eventIds: readonly number[];
  runId: string;
  /** Time left before the Lambda is stopped (context.getRemainingTimeInMillis). */
  remainingMs: () => number;
  log?: DecisionLog;
  options?: SyncWebexOptions;
}

export type WebexSyncStatus = 'completed' | 'stopped-for-time' | 'daily-limit' | 'lease-held';

export type WebexEventStatus = 'completed' | 'partial' | 'lease-held' | 'failed' | 'not-started';

export interface WebexEventReport {
  eventId: number;
  status: WebexEventStatus;
  pages: number;
  attendeesSeen: number;
  /** Why the event failed (status 'failed'). */
  error?: string;
}

export interface WebexSyncReport {
  status: WebexSyncStatus;
  events: WebexEventReport[];
  pages: number;
  attendeesSeen: number;
  /** Contacts HubSpot created / updated (confirmed upserts). */
  created: number;
  updated: number;
  /** People whose mapped properties matched the last confirmed push: no HubSpot call. */
  skippedUnchanged: number;
  /** People whose Webex id changed since the last run (followed, no new contact). */
  idDrift: number;
  /** People quarantined this run (no usable email). */
  quarantined: number;
  /** Property values that did not convert (left out; the rest of the record synced). */
  conversionProblems: number;
  /** People HubSpot did not confirm (207 per-record failures); retried on the next pass. */
  failed: number;
}

const CheckpointSchema = z.object({ after: z.string() });

/** HubSpot's batch cap. */
const BATCH_SIZE = 100;

type PersonWrite = Omit<PersonRecord, 'pk' | 'sk' | 'updatedAt'>;

const DEFAULTS: Required<SyncWebexOptions> = { pageSize: 100, stopMarginMs: 30_000, leaseTtlMs: 900_000 };

class StopRun extends Error {
  constructor(readonly status: 'stopped-for-time') {
    super(status);
  }
}

export async function syncWebex(deps: SyncWebexDeps): Promise<WebexSyncReport> {
  const options = { ...DEFAULTS, ...deps.options };
  const log = deps.log ?? silentLog;
  const report: WebexSyncReport = {
    status: 'completed',
    events: [],
    pages: 0,
    attendeesSeen: 0,
    created: 0,
    updated: 0,
    skippedUnchanged: 0,
    idDrift: 0,
    quarantined: 0,
    conversionProblems: 0,
    failed: 0,
  };
  try {
    // Labels are resolved once per run; any label that does not resolve fails the run, naming all.
    const properties = await deps.hubspot.listProperties();
    const labels = Object.keys(deps.fieldMap);
    const resolved = resolveLabels(labels, properties);
    const fields: ResolvedWebexField[] = labels.map((label) => {
      const property = resolved.get(label);
      if (!property) throw new Error(`label '${label}' missing from its own resolution`);
      return { label, field: deps.fieldMap[label] as ResolvedWebexField['field'], property };
    });

    const eventIds =
      deps.eventIds.length > 0
        ? [...new Set(deps.eventIds)]
        : (await deps.webex.listEvents()).map((e) => e.id);
    report.events = eventIds.map((eventId) => ({
      eventId,
      status: 'not-started',
      pages: 0,
      attendeesSeen: 0,
    }));
    const run = new WebexRun(deps, options, log, fields, report);
    for (const eventReport of report.events) await run.syncEvent(eventReport);
    if (report.events.length > 0 && report.events.every((event) => event.status === 'lease-held')) {
      report.status = 'lease-held';
    }
    return report;
  } catch (error) {
    if (error instanceof StopRun) {
      report.status = error.status;
      return report;
    }
    if (error instanceof DailyLimitError) {
      log.warn('daily API limit reached; stopping the run with the cursor saved', { api: error.api });
      report.status = 'daily-limit';
      return report;
    }
    throw error;
  }
}

interface PushedThisRun {
  hash: string;
  contactId: string;
}

class WebexRun {
  /** Emails this run already upserted, with what it wrote (cross-event dedup). */
  private readonly pushed = new Map<string, PushedThisRun>();
  /** Changed people of the current event waiting for the next upsert, by email. */
  private readonly pending = new Map<string, { person: PersonWrite; properties: Record<string, string> }>();
  private pageSize: number;

  constructor(
    private readonly deps: SyncWebexDeps,
    private readonly options: Required<SyncWebexOptions>,
    private readonly log: DecisionLog,
    private readonly fields: readonly ResolvedWebexField[],
    private readonly report: WebexSyncReport,
  ) {
    this.pageSize = options.pageSize;
  }

  async syncEvent(eventReport: WebexEventReport): Promise<void> {
    const { store, runId } = this.deps;
    const { eventId } = eventReport;
    const partition = keys.webexEvent(eventId);
    if (this.timeIsShort()) throw new StopRun('stopped-for-time');
    if (!(await store.acquireLease(partition, runId, this.options.leaseTtlMs))) {
      this.log.info('another run holds this event; skipping it this tick', { eventId });
      eventReport.status = 'lease-held';
      return;
    }
    this.pending.clear();
    try {
      let after = (await store.loadCheckpoint(partition, CheckpointSchema))?.after;
      if (after !== undefined) this.log.info('resuming event from its checkpoint', { eventId });
      eventReport.status = 'partial';
      // The next page is requested while this one is mapped and upserted: Webex and HubSpot work
      // overlap instead of taking turns (the Webex cost limiter still paces the reads).
      let prefetched: Promise<AttendeesPage> | undefined;
      for (;;) {
        if (this.timeIsShort()) {
          // Confirm what is buffered, then the cursor covers every page read.
          await this.flush(eventId);
          if (after !== undefined) await store.saveCheckpoint(partition, { after });
          this.log.info('stopping before the Lambda timeout; the checkpoint resumes the event', { eventId });
          throw new StopRun('stopped-for-time');
        }
        let page: AttendeesPage;
        try {
          page = await (prefetched ?? this.fetchPage(eventId, after));
          prefetched = undefined;
        } catch (error) {
          if (error instanceof DailyLimitError && error.api === 'webex') {
            // Webex's quota is spent but HubSpot's is not: confirm what is buffered so the cursor can
            // move past every page read, and tomorrow's run reads no page twice.
            await this.flush(eventId);
            if (after !== undefined) await store.saveCheckpoint(partition, { after });
          }
          throw error;
        }
        if (page.hasNextPage && page.endCursor !== undefined && page.endCursor !== after) {
          prefetched = this.fetchPage(eventId, page.endCursor);
          // Awaited on the next turn; if the run stops first, its failure is nobody's to handle.
          prefetched.catch(() => undefined);
        }
        await this.syncPage(eventId, page);
        eventReport.pages += 1;
        eventReport.attendeesSeen += page.attendees.length;
        this.report.pages += 1;
        this.report.attendeesSeen += page.attendees.length;
        if (!page.hasNextPage || page.endCursor === undefined || page.endCursor === after) {
          await this.flush(eventId);
          // Pass complete: the next run re-scans from the start (changes appear on later passes).
          await store.clearCheckpoint(partition);
          eventReport.status = 'completed';
          return;
        }
        after = page.endCursor;
        if (this.pending.size >= BATCH_SIZE) await this.flush(eventId);
        // Saved after every page whose changes are all confirmed in HubSpot. While changes wait in
        // the buffer (< 100 people) the saved cursor stays at the last confirmed page, so a crash
        // re-reads those pages (Webex cost only; confirmed people are skipped by their hash).
        if (this.pending.size === 0) await store.saveCheckpoint(partition, { after });
      }
    } catch (error) {
      if (error instanceof PermanentApiError && !(error instanceof DailyLimitError)) {
        // One bad event (unknown id, a query Webex refuses) must not starve the others.
        this.log.error('event failed; continuing with the next one', { eventId, error: error.message });
        eventReport.status = 'failed';
        eventReport.error = error.message;
        return;
      }
      throw error;
    } finally {
      this.pending.clear();
      await store.releaseLease(partition, runId);
    }
  }

  /** A 413 QUERY_TOO_COMPLEX means the plan allows smaller pages: halve and ask again. */
  private async fetchPage(eventId: number, after: string | undefined): Promise<AttendeesPage> {
    for (;;) {
      try {
        return await this.deps.webex.attendeesPage(eventId, after, this.pageSize);
      } catch (error) {
        if (error instanceof PermanentApiError && error.status === 413 && this.pageSize > 1) {
          this.pageSize = Math.max(1, Math.floor(this.pageSize / 2));
          this.log.warn('Webex refused the page size; halving it', { eventId, pageSize: this.pageSize });
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Maps one page, records id changes and skips unchanged people at once; changed people join the
   * buffer that `flush` upserts 100 a call (a 10 % change costs ~1 call per 1,000 people, not 1 a page).
   */
  private async syncPage(eventId: number, page: AttendeesPage): Promise<void> {
    const { store } = this.deps;
    const eventKey = String(eventId);

    // 1. Map; people without a usable email are quarantined (they can never be upserted by email).
    const groups = new Map<string, { attendees: WebexAttendee[]; properties: Record<string, string> }>();
    for (const attendee of page.attendees) {
      const mapped = mapWebexAttendee(attendee, page.event, this.fields);
      if (!mapped.ok) {
        await store.putQuarantine(keys.webexSource, `${eventId}#webex-${attendee.id}`, mapped.reason, {
          eventId,
          webexId: attendee.id,
          ...(attendee.externalId ? { externalId: attendee.externalId } : {}),
        });
        this.report.quarantined += 1;
        this.log.warn('attendee quarantined', { eventId, webexId: attendee.id, reason: mapped.reason });
        continue;
      }
      for (const problem of mapped.problems) {
        this.report.conversionProblems += 1;
        this.log.warn('value not converted; property left out', {
          eventId,
          webexId: attendee.id,
          property: problem.property,
          reason: problem.reason,
        });
      }
      // Several registrations with one email (within the page) become one person, later values win.
      const group = groups.get(mapped.email) ?? { attendees: [], properties: {} };
      group.attendees.push(attendee);
      Object.assign(group.properties, mapped.properties);
      groups.set(mapped.email, group);
    }
    if (groups.size === 0) return;

    // 2. What we know about these people (one BatchGet per 100).
    const known = await store.getPeople(eventKey, [...groups.keys()]);
    const records: PersonWrite[] = [];

    for (const [email, group] of groups) {
      const existing = known.get(email);
      const ids = this.followIds(eventId, existing, group.attendees);
      const hash = propertiesHash(group.properties);
      const base: PersonWrite = {
        eventId: eventKey,
        email,
        webexId: ids.webexId,
        previousWebexIds: ids.previousWebexIds,
        ...(existing?.hubspotContactId ? { hubspotContactId: existing.hubspotContactId } : {}),
        ...(existing?.syncedHash ? { syncedHash: existing.syncedHash } : {}),
      };
      const buffered = this.pending.get(email);
      if (buffered) {
        // The same person on an earlier page still in the buffer: merge (HubSpot refuses a batch
        // that repeats an email).
        const properties = { ...buffered.properties, ...group.properties };
        this.pending.set(email, {
          ...buffered,
          person: { ...buffered.person, webexId: ids.webexId },
          properties,
        });
        continue;
      }
      if (existing?.hubspotContactId && existing.syncedHash === hash) {
        this.report.skippedUnchanged += 1;
        if (ids.changed) records.push(base);
        continue;
      }
      const already = this.pushed.get(email);
      if (already && already.hash === hash) {
        // Another event of this run wrote exactly these values for this person already.
        this.report.skippedUnchanged += 1;
        records.push({ ...base, hubspotContactId: already.contactId, syncedHash: hash });
        continue;
      }
      // Ids are recorded now (the map follows the person even if the upsert fails); the hash only
      // once HubSpot confirms.
      if (ids.changed) records.push(base);
      this.pending.set(email, { person: base, properties: group.properties });
    }
    if (records.length > 0) await store.putPeople(records);
  }

  /** Upserts the buffered people, 100 a call, recording contact id + hash for confirmed ones only. */
  private async flush(eventId: number): Promise<void> {
    const buffered = [...this.pending.values()];
    for (let start = 0; start < buffered.length; start += BATCH_SIZE) {
      const chunk = buffered.slice(start, start + BATCH_SIZE);
      const { results, failed } = await this.deps.hubspot.upsertByEmail(
        chunk.map(({ person, properties }) => ({ email: person.email, properties })),
      );
      const confirmed: PersonWrite[] = [];
      for (const result of results) {
        const item = this.pending.get(result.email);
        if (!item) continue;
        const hash = propertiesHash(item.properties);
        if (result.created) this.report.created += 1;
        else this.report.updated += 1;
        this.pushed.set(result.email, { hash, contactId: result.id });
        confirmed.push({ ...item.person, hubspotContactId: result.id, syncedHash: hash });
      }
      for (const failure of failed) {
        this.report.failed += 1;
        // Not hashed: the next pass sends this person again.
        this.log.warn('HubSpot did not confirm the upsert; retried on the next pass', {
          eventId,
          webexId: this.pending.get(failure.id)?.person.webexId,
          reason: failure.reason,
        });
      }
      if (confirmed.length > 0) await this.deps.store.putPeople(confirmed);
      for (const { person } of chunk) this.pending.delete(person.email);
    }
  }

  /**
   * The Webex id to keep for a person. A new id for a known email is a re-issued id (drift): it is
   * followed and the old one kept in `previousWebexIds`. An id we have seen before (the current one
   * or a previous one, e.g. a second registration with the same email) changes nothing.
   */
  private followIds(
    eventId: number,
    existing: PersonRecord | undefined,
    attendees: readonly WebexAttendee[],
  ): { webexId: number; previousWebexIds: number[]; changed: boolean } {
    const seenIds = attendees.map((attendee) => attendee.id);
    const latest = seenIds[seenIds.length - 1] as number;
    if (!existing) return { webexId: latest, previousWebexIds: [], changed: true };
    const knownIds = new Set([existing.webexId, ...existing.previousWebexIds]);
    if (seenIds.some((id) => knownIds.has(id))) {
      return { webexId: existing.webexId, previousWebexIds: existing.previousWebexIds, changed: false };
    }
    this.report.idDrift += 1;
    this.log.info('Webex id changed for a known person; following it', {
      eventId,
      before: existing.webexId,
      after: latest,
      contactId: existing.hubspotContactId,
    });
    return {
      webexId: latest,
      previousWebexIds: [
        existing.webexId,
        ...existing.previousWebexIds.filter((id) => id !== existing.webexId),
      ],
      changed: true,
    };
  }

  private timeIsShort(): boolean {
    return this.deps.remainingMs() < this.options.stopMarginMs;
  }
}
