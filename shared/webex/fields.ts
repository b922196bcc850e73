/**
 * The Webex side of the field map: which attendee / event values a HubSpot property can be fed from.
 * Config (`webex.fieldMap`, env `WEBEX_FIELD_MAP`) maps HubSpot property label -> one of these names;
 * an unknown name is refused when the config or the environment is parsed, with the known ones listed.
 *
 * Each name says where it lives in the Webex GraphQL schema (`on` the Attendee or the Event type, and
 * the field path from there). The adapter (shared/webex/query-plan.ts) asks only for the paths the
 * server's schema has, so a field this list names but a Webex account lacks is reported, not fatal.
 *
 * Values are raw (string, boolean or null); conversion to what a HubSpot property accepts is the
 * mapper's job (shared/sync/webex-mapper.ts through toHubSpotValue), because it depends on the
 * property's type.
 */

export type WebexFieldValue = string | boolean | null;

/** Where a field is read: a path of GraphQL field names from the Attendee or the Event type. */
export interface WebexFieldSource {
  on: 'attendee' | 'event';
  path: readonly string[];
}

const FIELD_SOURCES = {
  email: { on: 'attendee', path: ['email'] },
  'profile.firstName': { on: 'attendee', path: ['profile', 'firstName'] },
  'profile.lastName': { on: 'attendee', path: ['profile', 'lastName'] },
  'profile.company': { on: 'attendee', path: ['profile', 'company'] },
  'profile.jobTitle': { on: 'attendee', path: ['profile', 'jobTitle'] },
  'profile.phone': { on: 'attendee', path: ['profile', 'phone'] },
  'event.name': { on: 'event', path: ['name'] },
  'event.startDate': { on: 'event', path: ['startDate'] },
  registrationStatus: { on: 'attendee', path: ['registrationStatus'] },
  checkedIn: { on: 'attendee', path: ['checkedIn'] },
  ticketName: { on: 'attendee', path: ['ticketName'] },
  externalId: { on: 'attendee', path: ['externalId'] },
} as const satisfies Record<string, WebexFieldSource>;

export type WebexField = keyof typeof FIELD_SOURCES;

export const WEBEX_FIELDS = Object.keys(FIELD_SOURCES) as readonly WebexField[];

export function isWebexField(name: string): name is WebexField {
  return Object.hasOwn(FIELD_SOURCES, name);
}

export function webexFieldSource(field: WebexField): WebexFieldSource {
  return FIELD_SOURCES[field];
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
