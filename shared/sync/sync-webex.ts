/**
 * Webex Events -> HubSpot. For each event (configured, or every event the token can see): loop the
 * source's pages from the event's checkpoint, map each registrant through the label-based field map,
 * skip people whose mapped properties did not change since the last confirmed push (hash), upsert the
 * rest by email 100 a call (flush), and save the checkpoint. Rolling Webex ids are followed in the
 * person map instead of creating new contacts.
 *
 * The pieces, one job each (shared/sync/webex/):
 * - field-plan.ts: labels -> properties (a label that does not resolve fails the run), and which
 *   configured fields this Webex account's schema lacks (warned, left out; the run goes on).
 * - event-sync.ts: one event's lease, checkpoint and page loop.
 * - page-changes.ts: one page -> quarantine, merge by email, id drift, unchanged skip, buffer.
 * - upsert-buffer.ts: the HubSpot upserts, confirmed people hashed.
 * The Webex side is the WebexSourcePort (shared/sync/ports.ts): paging, read-ahead and page-size
 * halving live in the adapter (shared/webex/).
 *
 * Run-level rules: per-record HubSpot failures (207) are counted (`failed`) and resent on the next
 * pass; a DailyLimitError (Webex or HubSpot) ends the run cleanly with status 'daily-limit'; a
 * PermanentApiError fails only its event.
 */
import { DailyLimitError } from '../rate-limit/errors';
import type { WebexFieldMap } from '../webex/fields';
import { silentLog, type DecisionLog } from './decision-log';
import type { HubSpotUpsertPort, WebexSourcePort } from './ports';
import { StopRun, syncEvent } from './webex/event-sync';
import { planWebexFields } from './webex/field-plan';
import {
  SYNC_WEBEX_DEFAULTS,
  emptyWebexReport,
  type SyncWebexOptions,
  type WebexSyncReport,
} from './webex/report';
import type { WebexRunContext, WebexSyncStore } from './webex/run-context';
import { UpsertBuffer } from './webex/upsert-buffer';

export type {
  MissingWebexField,
  SyncWebexOptions,
  WebexEventReport,
  WebexEventStatus,
  WebexSyncReport,
  WebexSyncStatus,
} from './webex/report';
export type { WebexSourcePort } from './ports';
export type { WebexSyncStore } from './webex/run-context';

export interface SyncWebexDeps {
  webex: WebexSourcePort;
  hubspot: HubSpotUpsertPort;
  store: WebexSyncStore;
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

export async function syncWebex(deps: SyncWebexDeps): Promise<WebexSyncReport> {
  const log = deps.log ?? silentLog;
  const report = emptyWebexReport();
  try {
    // Labels are resolved once per run; any label that does not resolve fails the run, naming all.
    const properties = await deps.hubspot.listProperties();
    const plan = await planWebexFields(deps.fieldMap, properties, deps.webex, log);
    report.missingFields = plan.missing;
    const eventIds = deps.eventIds.length > 0 ? [...new Set(deps.eventIds)] : await deps.webex.listEventIds();
    report.events = eventIds.map((eventId) => ({
      eventId,
      status: 'not-started',
      pages: 0,
      attendeesSeen: 0,
    }));
    const run: WebexRunContext = {
      webex: deps.webex,
      hubspot: deps.hubspot,
      store: deps.store,
      runId: deps.runId,
      remainingMs: deps.remainingMs,
      log,
      options: { ...SYNC_WEBEX_DEFAULTS, ...deps.options },
      fields: plan.fields,
      report,
    };
    const buffer = new UpsertBuffer(run);
    for (const eventReport of report.events) await syncEvent(run, buffer, eventReport);
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
