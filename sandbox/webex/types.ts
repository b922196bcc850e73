import type { SimClock } from '../sim-kit';
import type { WebexSchemaMode } from './schema';

export interface WebexSimulatorOptions {
  clock?: SimClock;
  /** Valid bearer tokens. Omitted: any bearer token is accepted (sandbox convenience). */
  tokens?: string[];
  /** Cost budget per token per second (the real sandbox showed `1/500`); default 500. */
  secondlyCostLimit?: number;
  /** Cost budget per token per UTC day; default 200,000. */
  dailyCostLimit?: number;
  /** Largest `first` one connection may ask for before 413 QUERY_TOO_COMPLEX; default 100. */
  maxPageSize?: number;
  /** Page size of a connection queried without `first`; default 20. */
  defaultPageSize?: number;
  /** Seeds the generated people, id gaps and fault dice. */
  seed?: number;
  /**
   * `full` (default): every field the adapter can use (schema.graphql). `reduced`: only what real code
   * shows the API has (schema-reduced.graphql; see README.md), to prove the adapter adapts.
   */
  schemaMode?: WebexSchemaMode;
}

export type RegistrationStatus = 'REGISTERED' | 'CANCELLED' | 'ATTENDED';

export interface WebexGroup {
  id: number;
  name: string;
}

export interface WebexEvent {
  id: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
  timeZone: string | null;
  groups: WebexGroup[] | null;
}

export interface WebexEventInput {
  name: string;
  startDate?: string;
  endDate?: string;
  timeZone?: string;
  groups?: WebexGroup[];
}

export interface WebexProfile {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  jobTitle: string | null;
  phone: string | null;
}

/** An attendee as the GraphQL `Attendee` type shows it, plus the event it belongs to. */
export interface WebexAttendee {
  id: number;
  eventId: number;
  externalId: string | null;
  /** Raw, as people typed it: mixed case, stray spaces, sometimes missing. */
  email: string | null;
  profile: WebexProfile;
  registrationStatus: RegistrationStatus;
  checkedIn: boolean;
  ticketName: string | null;
  updatedAt: string;
}

export interface WebexAttendeeInput {
  email?: string | null;
  externalId?: string | null;
  profile?: Partial<WebexProfile>;
  registrationStatus?: RegistrationStatus;
  checkedIn?: boolean;
  ticketName?: string | null;
}

/** Re-issued id of one attendee after `rollIds()`. */
export interface RolledId {
  eventId: number;
  before: number;
  after: number;
  email: string | null;
}
