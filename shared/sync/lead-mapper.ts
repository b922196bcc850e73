/**
 * HubSpot contact -> Tripleseat lead (pure). The poller maps every flagged contact through here; a
 * contact that cannot become a valid lead is REJECTED with the returned reason, which is written back
 * to HubSpot for marketers, so reasons are short, human, name the field, and never echo personal data.
 *
 * Lead fields: Tripleseat lead form API (support article 205161948).
 * https://support.tripleseat.com/hc/en-us/articles/205161948
 *
 * Decisions:
 * - Required: first_name, last_name, email_address, phone_number (the lead form rejects leads
 *   without them). A present but invalid optional value (guest count "about 50") rejects the lead too:
 *   the marketer sees the reason and fixes the contact, instead of a lead silently missing data.
 * - additional_information collects the extra mapped properties, each as a line "Label: value"
 *   (enumeration values shown by their option label, booleans as Yes/No). A free-text notes property
 *   (label "Notes", "Event Notes", "Comments", "Message", "Additional Information", ...) goes in as
 *   written, first, followed by a blank line and the labelled lines. Empty values are skipped.
 * - Text is NFC-normalized, control and bidi-override characters are stripped, whitespace collapsed
 *   (line breaks kept only in additional_information) and capped at LEAD_LIMITS by truncation.
 * - event_date is sent as MM/DD/YYYY (Tripleseat's format); HubSpot dates arrive as YYYY-MM-DD or
 *   midnight-UTC epoch ms. Past dates are accepted; years outside 1900-2999 are typos.
 * - Times are sent as Tripleseat writes them ("7pm", "7:30pm"); 24-hour input is converted.
 */
import { z } from 'zod';
import type { TripleseatLeadField } from '../config/tripleseat-fields';
import type { ResolvedField, ResolvedFieldMap } from '../schema/field-map';
import { utcDay } from '../schema/hubspot-value';
import { normalizeLabel } from '../schema/normalize';

/** Length caps (in characters); longer text is truncated, not rejected. */
export const LEAD_LIMITS = {
  name: 100,
  company: 150,
  email: 254,
  description: 255,
  referralOther: 255,
  additionalInformation: 5_000,
  id: 64,
} as const;

/** A guest count above this is a typo, not an event. */
export const MAX_GUEST_COUNT = 100_000;

const NO_CONTROL = /^[^\p{Cc}]*$/u;
const NO_CONTROL_EXCEPT_NEWLINE = /^[^\p{Cc}]*(?:\n[^\p{Cc}]*)*$/u;
const LEAD_TIME = /^(?:1[0-2]|[1-9])(?::[0-5]\d)?(?:am|pm)$/;
const LEAD_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

const singleLine = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(NO_CONTROL)
    .refine((text) => text === text.trim(), 'must be trimmed');

const leadId = z
  .string()
  .min(1)
  .max(LEAD_LIMITS.id)
  .regex(/^[^\s\p{Cc}]+$/u);
const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A lead as sent to Tripleseat's lead form API: every value already clean and in Tripleseat's format. */
export const TripleseatLeadSchema = z
  .object({
    first_name: singleLine(LEAD_LIMITS.name),
    last_name: singleLine(LEAD_LIMITS.name),
    email_address: z
      .email()
      .max(LEAD_LIMITS.email)
      .refine((email) => email === email.trim().toLowerCase(), 'must be trimmed and lowercase'),
    /** Digits with an optional leading +, 7 to 15 digits (E.164 length). */
    phone_number: z.string().regex(/^\+?\d{7,15}$/),
    company: singleLine(LEAD_LIMITS.company).optional(),
    /** MM/DD/YYYY */
    event_date: z
      .string()
      .regex(LEAD_DATE)
      .refine((date) => parseLeadDate(date) !== undefined, 'not a calendar date')
      .optional(),
    start_time: z.string().regex(LEAD_TIME).optional(),
    end_time: z.string().regex(LEAD_TIME).optional(),
    guest_count: z.number().int().min(1).max(MAX_GUEST_COUNT).optional(),
    /** Shown as "Nature of Event". */
    event_description: singleLine(LEAD_LIMITS.description).optional(),
    contact_preference: z.enum(['Email', 'Phone']).optional(),
    additional_information: z
      .string()
      .min(1)
      .max(LEAD_LIMITS.additionalInformation)
      .regex(NO_CONTROL_EXCEPT_NEWLINE)
      .optional(),
    email_opt_in: z.boolean().optional(),
    lead_source_id: positiveId.optional(),
    referral_source_id: positiveId.optional(),
    referral_source_other: singleLine(LEAD_LIMITS.referralOther).optional(),
    /** "Only necessary if there are multiple locations." */
    location_id: leadId.optional(),
    /** Listed among the lead fields; the Tripleseat client also sends it as a top-level parameter. */
    lead_form_id: leadId.optional(),
  })
  .strict();
export type TripleseatLead = z.infer<typeof TripleseatLeadSchema>;

/** Internal property name -> value, as HubSpot returns them. */
export type ContactProperties = Readonly<Record<string, string | null | undefined>>;

export interface VenueLeadExtras {
  locationId?: string;
  leadFormId?: string;
}

export type LeadMapResult =
  | { ok: true; lead: TripleseatLead }
  | {
      ok: false;
      /** Marketer-facing, e.g. "phone number missing"; never contains the contact's data. */
      reason: string;
      /** The Tripleseat lead field at fault, e.g. "phone_number". */
      field: string;
    };

const REQUIRED: readonly TripleseatLeadField[] = ['first_name', 'last_name', 'email_address', 'phone_number'];

/** How fields are named in reasons. */
const FIELD_NAMES: Record<TripleseatLeadField | 'location_id' | 'lead_form_id', string> = {
  first_name: 'first name',
  last_name: 'last name',
  email_address: 'email address',
  phone_number: 'phone number',
  contact_preference: 'contact preference',
  company: 'company',
  event_description: 'event description',
  event_date: 'event date',
  start_time: 'start time',
  end_time: 'end time',
  guest_count: 'guest count',
  additional_information: 'additional information',
  email_opt_in: 'email opt-in',
  lead_source_id: 'lead source id',
  referral_source_id: 'referral source id',
  referral_source_other: 'referral source',
  location_id: 'location id',
  lead_form_id: 'lead form id',
};

/** Last words of labels whose property is free text that reads well as is. */
const NOTES_WORDS = new Set(['notes', 'note', 'comments', 'comment', 'message', 'remarks']);
const NOTES_LABELS = new Set(['additional information', 'additional info', 'details', 'event details']);

type Converted<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };
const ok = <T>(value: T | undefined): Converted<T> => ({ ok: true, value });
const bad = (problem: string): Converted<never> => ({ ok: false, problem });

export function mapContactToLead(
  properties: ContactProperties,
  fieldMap: ResolvedFieldMap,
  extras: VenueLeadExtras = {},
): LeadMapResult {
  const draft: Record<string, unknown> = {};
  let failure: { field: string; reason: string } | undefined;
  const put = <T>(field: TripleseatLeadField, result: Converted<T>): void => {
    if (failure) return;
    if (!result.ok) failure = { field, reason: `${FIELD_NAMES[field]} ${result.problem}` };
    else if (result.value !== undefined) draft[field] = result.value;
  };
  const text = (
    field: TripleseatLeadField,
  ): { value: string | undefined; source: ResolvedField | undefined } =>
    readField(properties, fieldMap[field]);

  for (const field of REQUIRED) {
    if (text(field).value === undefined) {
      return { ok: false, reason: `${FIELD_NAMES[field]} missing`, field };
    }
  }
  put('first_name', ok(capText(text('first_name').value, LEAD_LIMITS.name)));
  put('last_name', ok(capText(text('last_name').value, LEAD_LIMITS.name)));
  put('email_address', toEmail(text('email_address').value));
  put('phone_number', toPhone(text('phone_number').value));
  put('company', ok(capText(displayText(text('company')), LEAD_LIMITS.company)));
  put('event_date', toLeadDate(text('event_date').value));
  put('start_time', toLeadTime(text('start_time').value));
  put('end_time', toLeadTime(text('end_time').value));
  put('guest_count', toGuestCount(text('guest_count').value));
  put('event_description', ok(capText(displayText(text('event_description')), LEAD_LIMITS.description)));
  put('contact_preference', toContactPreference(displayText(text('contact_preference'))));
  put('email_opt_in', toOptIn(text('email_opt_in').value));
  put('lead_source_id', toPositiveId(text('lead_source_id').value));
  put('referral_source_id', toPositiveId(text('referral_source_id').value));
  put(
    'referral_source_other',
    ok(capText(displayText(text('referral_source_other')), LEAD_LIMITS.referralOther)),
  );
  put('additional_information', ok(additionalInformation(properties, fieldMap.additional_information)));
  if (failure) return { ok: false, ...failure };

  const locationId = extras.locationId?.trim();
  const leadFormId = extras.leadFormId?.trim();
  if (locationId) draft.location_id = locationId;
  if (leadFormId) draft.lead_form_id = leadFormId;

  // The converters already produce schema-valid values; parsing is the guard that keeps it so.
  const parsed = TripleseatLeadSchema.safeParse(draft);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'lead');
    const name =
      field in FIELD_NAMES ? FIELD_NAMES[field as keyof typeof FIELD_NAMES] : field.replace(/_/g, ' ');
    return { ok: false, reason: `${name} invalid`, field };
  }
  return { ok: true, lead: parsed.data };
}

/** The first non-empty value of a mapped field (a list is only expected for additional_information). */
function readField(
  properties: ContactProperties,
  mapped: ResolvedField | readonly ResolvedField[] | undefined,
): { value: string | undefined; source: ResolvedField | undefined } {
  const fields: readonly ResolvedField[] =
    mapped === undefined ? [] : isFieldList(mapped) ? mapped : [mapped];
  for (const field of fields) {
    const value = cleanSingleLine(rawValue(properties, field.propertyName));
    if (value !== undefined) return { value, source: field };
  }
  return { value: undefined, source: undefined };
}

function isFieldList(mapped: ResolvedField | readonly ResolvedField[]): mapped is readonly ResolvedField[] {
  return Array.isArray(mapped);
}

/** Own properties only: a property named "constructor" must not read Object.prototype. */
function rawValue(properties: ContactProperties, name: string): string | undefined {
  if (!Object.hasOwn(properties, name)) return undefined;
  const value: unknown = properties[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

// Bidi overrides/isolates, zero-width space and BOM: invisible, and able to disguise text.
// ZWJ/ZWNJ (U+200C/D) stay: some scripts and emoji need them.
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NFC, no control or invisible characters, whitespace collapsed; undefined when nothing is left. */
export function cleanSingleLine(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Like cleanSingleLine, but keeps line breaks (at most one blank line in a row). */
export function cleanMultiLine(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[\p{Cc}\s]+/gu, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Truncates to `max` characters (code points, so no emoji is cut in half). */
function capText(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()
    .concat('…');
}

/** An enumeration's stored value(s) shown by option label; a boolean as Yes/No. */
function displayText(read: {
  value: string | undefined;
  source: ResolvedField | undefined;
}): string | undefined {
  const { value, source } = read;
  if (value === undefined || source === undefined) return value;
  if (source.type === 'bool') {
    if (value === 'true') return 'Yes';
    if (value === 'false') return 'No';
  }
  const options = source.options;
  if (!options || options.length === 0) return value;
  return value
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => cleanSingleLine(options.find((option) => option.value === part)?.label) ?? part)
    .join(', ');
}

function toEmail(value: string | undefined): Converted<string> {
  if (value === undefined) return ok(undefined);
  const email = value
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
  if (email.length > LEAD_LIMITS.email || !z.email().safeParse(email).success) return bad('invalid');
  return ok(email);
}

function toPhone(value: string | undefined): Converted<string> {
  if (value === undefined) return ok(undefined);
  // Separators people type: spaces, dashes, dots, slashes, parentheses. Anything else (letters,
  // extensions) makes the number unusable for the lead form.
  const compact = value.replace(/[\s\-./()\u2010-\u2015]/g, '');
  if (!/^\+?\d{7,15}$/.test(compact)) return bad('invalid');
  return ok(compact);
}

function parseLeadDate(date: string): number | undefined {
  const match = LEAD_DATE.exec(date);
  if (!match) return undefined;
  return validYearDay(Number(match[3]), Number(match[1]), Number(match[2]));
}

function validYearDay(year: number, month: number, day: number): number | undefined {
  if (year < 1900 || year > 2999) return undefined;
  return utcDay(year, month, day);
}

function toLeadDate(value: string | undefined): Converted<string> {
  if (value === undefined) return ok(undefined);
  let ms: number | undefined;
  const isoDay = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  if (isoDay) ms = validYearDay(Number(isoDay[1]), Number(isoDay[2]), Number(isoDay[3]));
  else if (/^\d{11,15}$/.test(value)) {
    // HubSpot date properties are midnight-UTC epoch ms; the UTC calendar day is the date.
    const date = new Date(Number(value));
    ms = validYearDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  } else ms = parseLeadDate(value);
  if (ms === undefined) return bad('invalid');
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return ok(`${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}`);
}

function toLeadTime(value: string | undefined): Converted<string> {
  if (value === undefined) return ok(undefined);
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?$/i.exec(value);
  if (!match) return bad('invalid');
  const hour = Number(match[1]);
  const minutes = match[2];
  const half = match[3]?.toLowerCase();
  if (minutes !== undefined && Number(minutes) > 59) return bad('invalid');
  let hour12: number;
  let suffix: 'am' | 'pm';
  if (half) {
    if (hour < 1 || hour > 12) return bad('invalid');
    hour12 = hour;
    suffix = half === 'a' ? 'am' : 'pm';
  } else {
    if (hour > 23) return bad('invalid');
    hour12 = hour % 12 === 0 ? 12 : hour % 12;
    suffix = hour < 12 ? 'am' : 'pm';
  }
  return ok(`${hour12}${minutes !== undefined && minutes !== '00' ? `:${minutes}` : ''}${suffix}`);
}

function toGuestCount(value: string | undefined): Converted<number> {
  if (value === undefined) return ok(undefined);
  const plain = /^\d{1,3}(,\d{3})+$/.test(value) ? value.replace(/,/g, '') : value;
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(plain);
  if (!match || /[1-9]/.test(match[3] ?? '')) return bad('not a whole number');
  const count = Number(match[2]);
  if (match[1] === '-' || count < 1) return bad('must be at least 1');
  if (count > MAX_GUEST_COUNT) return bad('too large');
  return ok(count);
}

function toContactPreference(value: string | undefined): Converted<'Email' | 'Phone'> {
  if (value === undefined) return ok(undefined);
  const key = normalizeLabel(value);
  if (['email', 'e mail', 'mail'].includes(key)) return ok('Email');
  if (['phone', 'telephone', 'call', 'phone call', 'mobile'].includes(key)) return ok('Phone');
  return bad('must be Email or Phone');
}

function toOptIn(value: string | undefined): Converted<boolean> {
  if (value === undefined) return ok(undefined);
  const key = value.toLowerCase();
  if (['true', 'yes', '1'].includes(key)) return ok(true);
  if (['false', 'no', '0'].includes(key)) return ok(false);
  return bad('not yes or no');
}

function toPositiveId(value: string | undefined): Converted<number> {
  if (value === undefined) return ok(undefined);
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) return bad('not a whole number');
  return ok(Number(value));
}

function isNotesLabel(label: string): boolean {
  const normalized = normalizeLabel(label);
  const words = normalized.split(' ');
  return NOTES_LABELS.has(normalized) || NOTES_WORDS.has(words[words.length - 1] ?? '');
}

function additionalInformation(
  properties: ContactProperties,
  mapped: ResolvedField | readonly ResolvedField[] | undefined,
): string | undefined {
  const fields: readonly ResolvedField[] =
    mapped === undefined ? [] : isFieldList(mapped) ? mapped : [mapped];
  const notes: string[] = [];
  const lines: string[] = [];
  for (const field of fields) {
    const raw = rawValue(properties, field.propertyName);
    if (isNotesLabel(field.label)) {
      const note = cleanMultiLine(raw);
      if (note !== undefined) notes.push(note);
      continue;
    }
    const value = displayText({ value: cleanSingleLine(raw), source: field });
    const title = cleanSingleLine(field.label) ?? field.propertyName;
    if (value !== undefined) lines.push(`${title}: ${value}`);
  }
  const blocks = [...notes, ...(lines.length > 0 ? [lines.join('\n')] : [])];
  return capText(blocks.length > 0 ? blocks.join('\n\n') : undefined, LEAD_LIMITS.additionalInformation);
}
