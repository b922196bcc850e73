/**
 * The Webex side of the field map: which attendee / event values a HubSpot property can be fed from.
 * Config (`webex.fieldMap`, env `WEBEX_FIELD_MAP`) maps HubSpot property label -> one of these names;
 * an unknown name is refused when the config or the environment is parsed, with the known ones listed.
 *
 * Values are returned raw (string, boolean or null); conversion to what a HubSpot property accepts is
 * the mapper's job (shared/sync/webex-mapper.ts through toHubSpotValue), because it depends on the
 * property's type. `email` is the one exception: it is the person's key, so it is normalized here.
 */
import type { WebexAttendee, WebexEvent } from './client';

export type WebexFieldValue = string | boolean | null;

type Extractor = (attendee: WebexAttendee, event: WebexEvent) => WebexFieldValue;

const EXTRACTORS = {
  email: (attendee) => (attendee.email ? normalizeEmail(attendee.email) || null : null),
  'profile.firstName': (attendee) => attendee.profile.firstName ?? null,
  'profile.lastName': (attendee) => attendee.profile.lastName ?? null,
  'profile.company': (attendee) => attendee.profile.company ?? null,
  'profile.jobTitle': (attendee) => attendee.profile.jobTitle ?? null,
  'profile.phone': (attendee) => attendee.profile.phone ?? null,
  'event.name': (_attendee, event) => event.name,
  'event.startDate': (_attendee, event) => event.startDate ?? null,
  registrationStatus: (attendee) => attendee.registrationStatus ?? null,
  checkedIn: (attendee) => attendee.checkedIn ?? null,
  ticketName: (attendee) => attendee.ticketName ?? null,
  externalId: (attendee) => attendee.externalId ?? null,
} satisfies Record<string, Extractor>;

export type WebexField = keyof typeof EXTRACTORS;

export const WEBEX_FIELDS = Object.keys(EXTRACTORS) as readonly WebexField[];

export function isWebexField(name: string): name is WebexField {
  return Object.hasOwn(EXTRACTORS, name);
}

/** The value of one field for an attendee of `event` (pure). */
export function webexFieldValue(
  field: WebexField,
  attendee: WebexAttendee,
  event: WebexEvent,
): WebexFieldValue {
  return EXTRACTORS[field](attendee, event);
}

/**
 * The person key: trimmed, lowercased, Unicode NFC (so "Émile" typed decomposed and precomposed is
 * one person). HubSpot itself lowercases emails; we do it first so duplicates merge before a batch.
 */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

/** A minimal address check: something@something.tld, no spaces; HubSpot validates the rest. */
export function isUsableEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}

/** HubSpot property label -> Webex field, validated. */
export type WebexFieldMap = Readonly<Record<string, WebexField>>;

export class WebexFieldMapError extends Error {
  override readonly name = 'WebexFieldMapError';
}

/**
 * Validates a raw field map (from config or `WEBEX_FIELD_MAP`): every value must be a known Webex
 * field, and `email` must be mapped (it is the upsert key). All problems in one error.
 */
export function parseWebexFieldMap(raw: Readonly<Record<string, string>>): WebexFieldMap {
  const problems: string[] = [];
  const map: Record<string, WebexField> = {};
  for (const [label, field] of Object.entries(raw)) {
    if (isWebexField(field)) map[label] = field;
    else problems.push(`'${label}' -> '${field}' is not a Webex field`);
  }
  if (!Object.values(raw).includes('email')) {
    problems.push("no label is mapped to 'email' (the HubSpot Email property), which the upsert needs");
  }
  if (problems.length > 0) {
    throw new WebexFieldMapError(
      `Webex field map is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nKnown Webex fields: ${WEBEX_FIELDS.join(', ')}`,
    );
  }
  return map;
}
