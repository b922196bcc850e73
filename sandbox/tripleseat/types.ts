import type { SimClock } from '../sim-kit';

/** One venue's Tripleseat account as the simulator knows it. */
export interface TripleseatAccountConfig {
  venueId: string;
  /** The lead form public key (Settings -> Lead Forms -> View Setup Codes). */
  publicKey: string;
  /** OAuth 2.0 access token for the REST API; without one the venue has no search/get/delete. */
  oauthToken?: string;
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
   * `errors` body (api-facts 3.1), so that is the default; 422 is the polite variant.
   */
  validationErrorStatus?: 200 | 422;
  /** Seeds fault dice and the first lead id. */
  seed?: number;
}

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
