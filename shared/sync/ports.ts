/**
 * The ports the sync engines talk through. Adapters in shared/hubspot, shared/tripleseat and
 * shared/webex implement them over HTTP; the engines stay pure orchestration and can be driven by
 * anything that keeps these promises.
 */
import type { HubSpotProperty } from '../schema';
import type { LedgerKey } from '../reconciliation';
import type { TripleseatLead } from './lead-mapper';

export interface FlaggedContact {
  id: string;
  /** Internal property name -> value, as HubSpot returns them (strings or null). */
  properties: Record<string, string | null>;
  /** When the flag was last set to "true" (ISO), from its property history; undefined if unknown. */
  flagSetAt: string | undefined;
}

export interface ContactUpdate {
  id: string;
  properties: Record<string, string>;
}

export interface RecordFailure {
  id: string;
  reason: string;
}

export interface HubSpotContactsPort {
  listProperties(): Promise<HubSpotProperty[]>;
  /** Contact ids whose `flagProperty` is "true" and whose id is above `afterId`, ascending, `limit` of them. */
  searchFlagged(
    flagProperty: string,
    afterId: string,
    limit: number,
  ): Promise<{ ids: string[]; total: number }>;
  /** Current values plus the flag's history (to key each flag-set event), 50 contacts a call. */
  readFlagged(
    ids: readonly string[],
    flagProperty: string,
    properties: readonly string[],
  ): Promise<FlaggedContact[]>;
  /** Batch update, 100 a call; per-record failures come back instead of failing the batch. */
  updateContacts(updates: readonly ContactUpdate[]): Promise<{ failed: RecordFailure[] }>;
}

export interface UpsertByEmail {
  email: string;
  properties: Record<string, string>;
}

export interface HubSpotUpsertPort {
  listProperties(): Promise<HubSpotProperty[]>;
  /** Batch upsert by email, 100 a call; returns the contact id per email and per-record failures. */
  upsertByEmail(
    inputs: readonly UpsertByEmail[],
  ): Promise<{ results: Array<{ email: string; id: string; created: boolean }>; failed: RecordFailure[] }>;
}

export interface CreatedLead {
  /** Tripleseat's lead id, when the answer carried one. */
  leadId: string | undefined;
}

export interface ExistingLead {
  id: string;
  email: string;
  /** The vendor's text, kept for messages. */
  createdAt: string | undefined;
  /**
   * When the lead was created, as a window: exact (earliest = latest) for a timestamp with a zone, widened
   * by 14 h each way for a zone-less local time whose zone is unknown. Undefined when unreadable.
   */
  createdWindow?: { earliestMs: number; latestMs: number };
  firstName?: string;
  lastName?: string;
  phone?: string;
}

/** Which request a create belongs to: a destination derives its idempotency key from it. */
export interface LeadRequest {
  key: LedgerKey;
}

/**
 * Where a venue's leads go: its Tripleseat account, or another booking system over HTTP
 * (shared/destinations). Errors are classed as in shared/rate-limit/errors.ts: PermanentApiError =
 * rejected, AmbiguousOutcomeError = maybe created, TransientApiError = turned away, AuthError = stop.
 */
export interface LeadDestination {
  /** How the destination is named in reasons and logs. @default 'Tripleseat' */
  readonly name?: string;
  /** Why there is no lookup, when `findLeadsByEmail` is absent (for the quarantine reason). */
  readonly noLookUpReason?: string;
  createLead(lead: TripleseatLead, request?: LeadRequest): Promise<CreatedLead>;
  /** Leads with this email; undefined when the destination cannot be asked (lookup impossible). */
  findLeadsByEmail?(email: string): Promise<ExistingLead[]>;
}

/** The Tripleseat shape of a destination (lead form create, OAuth search); kept so nothing breaks. */
export type TripleseatPort = LeadDestination;

// ---- Webex Events source (the Webex sync engine's only view of Webex) ----

/** A field-map source name (shared/webex/fields.ts), and the raw value read for it. */
type WebexField = import('../webex/fields').WebexField;
type WebexFieldValue = import('../webex/fields').WebexFieldValue;

/** One registrant as the Webex source reads it: ids plus the raw values of the fields asked for. */
export interface WebexSourceRegistrant {
  /** Webex's Int id; Webex may re-issue it, so people are keyed by email, not by this. */
  id: number;
  externalId: string | undefined;
  /** Field name -> raw value, for every readable field asked for (event.* fields included). */
  values: Readonly<Partial<Record<WebexField, WebexFieldValue>>>;
}

export interface WebexSourcePage {
  registrants: WebexSourceRegistrant[];
  /** Opaque position after this page (resume with it as `after`); never decoded by the engine. */
  cursor: string | undefined;
  /** The last page of this pass over the event. */
  last: boolean;
}

export interface WebexAttendeePagesRequest {
  /** Fields to read (the readable ones from `readableFields`). */
  fields: readonly WebexField[];
  /** Largest page to ask for; the source may use less (it halves when Webex refuses a size). */
  pageSize: number;
  /** Told when the source lowered the page size, for the run log. */
  onPageSizeLowered?: (pageSize: number) => void;
}

export interface WebexSourcePort {
  /** Splits `fields` into those the source's schema has and those it lacks. */
  readableFields(fields: readonly WebexField[]): Promise<{ readable: WebexField[]; missing: WebexField[] }>;
  /** Every event id the token can see. */
  listEventIds(): Promise<number[]>;
  /**
   * The event's pages after `after` (undefined: from the start) to the end of the list. The source may
   * read the next page while the caller works on the current one; stopping the iteration early is fine.
   */
  attendeePages(
    eventId: number,
    after: string | undefined,
    request: WebexAttendeePagesRequest,
  ): AsyncIterable<WebexSourcePage>;
}
