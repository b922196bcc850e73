/** What a Webex sync run reports, and the knobs it takes. */

export interface SyncWebexOptions {
  /** Attendees per page (the source halves it on a 413 QUERY_TOO_COMPLEX). @default 100 */
  pageSize?: number;
  /** Stop starting new pages when less than this remains. @default 30000 */
  stopMarginMs?: number;
  /** Lease lifetime; at least the Lambda timeout. @default 900000 */
  leaseTtlMs?: number;
}

export const SYNC_WEBEX_DEFAULTS: Required<SyncWebexOptions> = {
  pageSize: 100,
  stopMarginMs: 30_000,
  leaseTtlMs: 900_000,
};

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

/** A configured field the Webex schema lacks: left out of the query, its property left alone. */
export interface MissingWebexField {
  label: string;
  field: string;
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
  /** Configured fields this Webex account's schema lacks (the run went on without them). */
  missingFields: MissingWebexField[];
}

export function emptyWebexReport(): WebexSyncReport {
  return {
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
    missingFields: [],
  };
}
