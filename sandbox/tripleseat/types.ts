import type { SimClock } from '../sim-kit';

/** One venue's Tripleseat account as the simulator knows it. */
export interface TripleseatAccountConfig {
  venueId: string;
  /** The lead form public key (Settings -> Lead Forms -> View Setup Codes). */
  publicKey: string;
  /** A static OAuth 2.0 access token for the REST API (never expires in the simulator). */
  oauthToken?: string;
  /** The account's OAuth 2.0 application: enables `POST /oauth2/token` (code and refresh grants) for it. */
  oauthClient?: { clientId: string; clientSecret: string };
  /** Lead forms of this account. A lead naming any other `lead_form_id` is rejected. */
  leadFormIds?: string[];
  /** Locations of this account. A lead naming any other `location_id` is rejected. */
  locationIds?: string[];
}

export interface TripleseatSimulatorOptions {
  clock?: SimClock;
  accounts: TripleseatAccountConfig[];
  /** Requests per second per account before 429; default 10. */
  requestsPerSecond?: number;
  /**
   * HTTP status of a lead-form validation failure. The real endpoint has been seen answering 200 with an
   * `errors` body (published clients check for it after a 200), so that is the default; 422 is the polite variant.
   */
  validationErrorStatus?: 200 | 422;
  /** Seeds fault dice and the first lead id. */
  seed?: number;
  /**
   * Lifetime of issued OAuth access tokens, in seconds of the simulator clock. Tripleseat documents 7200;
   * the odd mode (60) makes rotation happen many times in a short test or sandbox run.
   */
  accessTokenLifetimeSeconds?: number;
  /**
   * How REST answers render `created_at`: `utc` (`2026-11-23T12:00:00.000Z`, default), `offset`
   * (`2026-11-23T07:00:00-05:00`, what Rails usually renders) or `zoneless` (`2026-11-23 07:00:00`, the odd
   * mode: the account's local time with no zone, as one published client expects).
   */
  createdAtFormat?: CreatedAtRendering;
  /** The account's UTC offset for `offset` / `zoneless` rendering, in minutes; default -300 (US Eastern). */
  accountUtcOffsetMinutes?: number;
}

export type CreatedAtRendering = 'utc' | 'offset' | 'zoneless';

/**
 * A stored lead, flat, with Tripleseat's snake_case field names. Every field the client sent is kept
 * (unknown ones too), so tests can assert exactly what landed.
 */
export interface TripleseatLead {
  id: number;
  /** Simulator bookkeeping: the account the public key selected. Not part of the REST representation. */
  venueId: string;
  first_name: string;
  last_name: string;
  email_address: string;
  phone_number: string;
  lead_form_id: string | null;
  location_id: string | null;
  status: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  [field: string]: unknown;
}

/** Rails-style validation messages: field -> messages. */
export type LeadErrors = Record<string, string[]>;
