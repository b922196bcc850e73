/**
 * One event's pass: lease, resume from the checkpoint, loop pages (map, skip unchanged, flush,
 * checkpoint), and clear the checkpoint when the list is exhausted so the next run re-scans from the
 * start (Webex has no "changed since" filter; the hash makes an unchanged person cost no HubSpot call).
 *
 * - Lease per event partition (`WEBEX#<eventId>` / LEASE), next to that event's checkpoint and person
 *   records: an overlapping tick can still work on an event the first run has not reached, and a
 *   crashed run blocks one event for at most the TTL.
 * - Checkpoint = the source's opaque cursor after the last page whose changes are all confirmed in
 *   HubSpot. While changes wait in the buffer (< 100 people) it stays at the last confirmed page, so a
 *   crash re-reads those pages (Webex cost only; confirmed people are skipped by their hash).
 * - Stopping (time, Webex daily quota): what is buffered is confirmed first, so the cursor can cover
 *   every page read and the next run reads no page twice.
 */
import { z } from 'zod';
import { DailyLimitError, PermanentApiError } from '../../rate-limit/errors';
import { keys } from '../../reconciliation';
import { collectPageChanges } from './page-changes';
import type { WebexEventReport } from './report';
import type { WebexRunContext } from './run-context';
import { UPSERT_BATCH_SIZE, type UpsertBuffer } from './upsert-buffer';

const CheckpointSchema = z.object({ after: z.string() });

/** Thrown to end the run early with a status (the caller turns it into the report's status). */
export class StopRun extends Error {
  constructor(readonly status: 'stopped-for-time') {
    super(status);
  }
}

export function timeIsShort(run: WebexRunContext): boolean {
  return run.remainingMs() < run.options.stopMarginMs;
}

export async function syncEvent(
  run: WebexRunContext,
  buffer: UpsertBuffer,
  eventReport: WebexEventReport,
): Promise<void> {
  const { store, runId, log } = run;
  const { eventId } = eventReport;
  const partition = keys.webexEvent(eventId);
  if (timeIsShort(run)) throw new StopRun('stopped-for-time');
  if (!(await store.acquireLease(partition, runId, run.options.leaseTtlMs))) {
    log.info('another run holds this event; skipping it this tick', { eventId });
    eventReport.status = 'lease-held';
    return;
  }
  buffer.clear();
  let after: string | undefined;
  /** Confirms what is buffered, then saves the cursor past every page read. */
  const confirmAndCheckpoint = async (): Promise<void> => {
    await buffer.flush(eventId);
    if (after !== undefined) await store.saveCheckpoint(partition, { after });
  };
  try {
    after = (await store.loadCheckpoint(partition, CheckpointSchema))?.after;
    if (after !== undefined) log.info('resuming event from its checkpoint', { eventId });
    eventReport.status = 'partial';
    const pages = run.webex.attendeePages(eventId, after, {
      fields: [...new Set(run.fields.map((entry) => entry.field))],
      pageSize: run.options.pageSize,
      onPageSizeLowered: (pageSize) =>
        log.warn('Webex refused the page size as too complex; lowering it', { eventId, pageSize }),
    });
    try {
      for await (const page of pages) {
        await collectPageChanges(run, buffer, eventId, page.registrants);
        eventReport.pages += 1;
        eventReport.attendeesSeen += page.registrants.length;
        run.report.pages += 1;
        run.report.attendeesSeen += page.registrants.length;
        if (page.last) break;
        after = page.cursor;
        if (buffer.size >= UPSERT_BATCH_SIZE) await buffer.flush(eventId);
        if (buffer.size === 0 && after !== undefined) await store.saveCheckpoint(partition, { after });
        if (timeIsShort(run)) {
          await confirmAndCheckpoint();
          log.info('stopping before the Lambda timeout; the checkpoint resumes the event', { eventId });
          throw new StopRun('stopped-for-time');
        }
      }
    } catch (error) {
      // Webex's quota is spent but HubSpot's is not: confirm what is buffered so tomorrow's run
      // resumes past every page read.
      if (error instanceof DailyLimitError && error.api === 'webex') await confirmAndCheckpoint();
      throw error;
    }
    await buffer.flush(eventId);
    // Pass complete: the next run re-scans from the start (changes appear on later passes).
    await store.clearCheckpoint(partition);
    eventReport.status = 'completed';
  } catch (error) {
    if (error instanceof PermanentApiError && !(error instanceof DailyLimitError)) {
      // One bad event (unknown id, a query Webex refuses) must not starve the others.
      log.error('event failed; continuing with the next one', { eventId, error: error.message });
      eventReport.status = 'failed';
      eventReport.error = error.message;
      return;
    }
    throw error;
  } finally {
    buffer.clear();
    await store.releaseLease(partition, runId);
  }
}
