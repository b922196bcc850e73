/**
 * Reads and validates what a client posts to the lead form endpoint.
 * https://support.tripleseat.com/hc/en-us/articles/205161948 (field list, required fields)
 */
import type { TripleseatAccountConfig, LeadErrors } from './types';

export type LeadFields = Record<string, unknown>;

export type ParsedLeadBody = { ok: true; fields: LeadFields } | { ok: false; reason: string };

const REQUIRED_FIELDS = ['first_name', 'last_name', 'email_address', 'phone_number'] as const;

/**
 * "Basic" format check, deliberately strict about whitespace: we do not know whether Tripleseat strips
 * values, so the simulator does not, and an adapter that forgets to trim finds out here.
 */
const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const FORM_LEAD_KEY = /^lead\[([A-Za-z0-9_]+)\]$/;

/**
 * Accepts JSON `{"lead":{...}, "lead_form_id"?}` (bonroyage/tripleseat-php) or form-encoded
 * `lead[first_name]=...&lead_form_id=...` (WordPress form plugins). `lead_form_id` / `location_id` may
 * sit inside `lead`, at the top level of the body or in the query string; the innermost one wins.
 */
export function parseLeadBody(
  rawBody: string,
  contentType: string | undefined,
  query: URLSearchParams,
): ParsedLeadBody {
  const type = (contentType ?? '').toLowerCase();
  const looksLikeJson =
    type.includes('json') || (!type.includes('form') && rawBody.trimStart().startsWith('{'));
  const fields: LeadFields = {};
  const topLevel: LeadFields = {};
  if (looksLikeJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      return { ok: false, reason: 'body is not valid JSON' };
    }
    if (!isRecord(parsed) || !isRecord(parsed.lead)) {
      return { ok: false, reason: 'expected a JSON object with a "lead" object' };
    }
    Object.assign(fields, parsed.lead);
    for (const key of ['lead_form_id', 'location_id']) if (key in parsed) topLevel[key] = parsed[key];
  } else {
    const form = new URLSearchParams(rawBody);
    for (const [key, value] of form) {
      const match = FORM_LEAD_KEY.exec(key);
      if (match?.[1]) fields[match[1]] = value;
      else if (key === 'lead_form_id' || key === 'location_id') topLevel[key] = value;
    }
    if (Object.keys(fields).length === 0 && Object.keys(topLevel).length === 0) {
      return { ok: false, reason: 'expected lead[...] form fields or a JSON body' };
    }
  }
  for (const key of ['lead_form_id', 'location_id']) {
    fields[key] ??= topLevel[key] ?? query.get(key) ?? undefined;
    if (fields[key] === undefined || fields[key] === '') delete fields[key];
  }
  return { ok: true, fields };
}

export function validateLead(fields: LeadFields, account: TripleseatAccountConfig): LeadErrors {
  const errors: LeadErrors = {};
  const add = (field: string, message: string): void => {
    (errors[field] ??= []).push(message);
  };
  for (const field of REQUIRED_FIELDS) {
    if (isBlank(fields[field])) add(field, "can't be blank");
  }
  const email = fields.email_address;
  if (!isBlank(email) && (typeof email !== 'string' || !EMAIL_FORMAT.test(email))) {
    add('email_address', 'is invalid');
  }
  checkMembership(fields.lead_form_id, account.leadFormIds, 'lead_form_id', add);
  checkMembership(fields.location_id, account.locationIds, 'location_id', add);
  return errors;
}

/** `simple_error_messages=true` turns the field map into sentences ([S] one client). */
export function simpleErrorMessages(errors: LeadErrors): string[] {
  return Object.entries(errors).flatMap(([field, messages]) =>
    messages.map((message) => `${humanize(field)} ${message}`),
  );
}

function checkMembership(
  value: unknown,
  known: string[] | undefined,
  field: string,
  add: (field: string, message: string) => void,
): void {
  if (value === undefined || value === null) return;
  // An account configured without ids has none: any id names something of another account.
  if (!(known ?? []).includes(String(value))) add(field, 'is not valid for this account');
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function humanize(field: string): string {
  const words = field.replace(/_id$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
