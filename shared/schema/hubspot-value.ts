/**
 * Converts a value to what a HubSpot property of a given type accepts on write, so a bad value is
 * caught here (with a reason naming the property) instead of failing a whole 100-record batch with a
 * 400 VALIDATION_ERROR.
 * https://developers.hubspot.com/docs/api/crm/properties (FAQ: date, datetime, bool and enumeration values)
 *
 * - bool: "true" / "false".
 * - date: midnight-UTC epoch milliseconds (HubSpot also takes YYYY-MM-DD; epoch ms is unambiguous).
 *   A moment in time is reduced to its UTC calendar day.
 * - datetime: epoch milliseconds.
 * - enumeration: the option's exact value (HubSpot compares case-sensitively); input may be the value
 *   or the label in any case/spacing. Multi-select (`fieldType: checkbox`) takes "a;b".
 * - number: a finite decimal string.
 * - string / phone_number: trimmed text.
 */
import type { HubSpotProperty } from './hubspot-property';
import { normalizeLabel } from './normalize';

export type HubSpotValueResult = { ok: true; value: string } | { ok: false; reason: string };

export interface ToHubSpotValueOptions {
  /** Whether null / undefined / "" may clear the property (written as ""). @default false */
  allowClear?: boolean;
}

/** HubSpot's limit for a single-line or multi-line text property value. */
const MAX_STRING_LENGTH = 65_536;
const DAY_MS = 86_400_000;
const TRUE_WORDS = new Set(['true', 'yes', '1', 'y', 'on']);
const FALSE_WORDS = new Set(['false', 'no', '0', 'n', 'off']);

export function toHubSpotValue(
  property: HubSpotProperty,
  raw: unknown,
  options: ToHubSpotValueOptions = {},
): HubSpotValueResult {
  const refuse = (why: string): HubSpotValueResult => ({
    ok: false,
    reason: `'${property.label}' (${property.name}): ${why}`,
  });
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    return options.allowClear
      ? { ok: true, value: '' }
      : refuse('empty value and clearing is not allowed here');
  }
  switch (property.type) {
    case 'bool':
      return toBool(raw, refuse);
    case 'date':
      return toDate(raw, refuse);
    case 'datetime':
      return toDateTime(raw, refuse);
    case 'number':
      return toNumber(raw, refuse);
    case 'enumeration':
      return toEnumeration(property, raw, refuse);
    case 'string':
    case 'phone_number':
      return toText(raw, refuse);
    default:
      return refuse(`unsupported property type '${property.type}'`);
  }
}

type Refuse = (why: string) => HubSpotValueResult;

function toBool(raw: unknown, refuse: Refuse): HubSpotValueResult {
  if (typeof raw === 'boolean') return { ok: true, value: String(raw) };
  if (typeof raw === 'number' && (raw === 0 || raw === 1)) return { ok: true, value: String(raw === 1) };
  if (typeof raw === 'string') {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: 'true' };
    if (FALSE_WORDS.has(word)) return { ok: true, value: 'false' };
  }
  return refuse('not a yes/no value (use true/false, yes/no or 1/0)');
}

/** Epoch ms of a Date, an epoch-ms number or numeric string, YYYY-MM-DD or an ISO 8601 date-time. */
function toEpochMs(raw: unknown): number | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.getTime();
  if (typeof raw === 'number') return Number.isInteger(raw) ? validEpoch(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (/^-?\d{1,16}$/.test(text)) return validEpoch(Number(text));
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (dateOnly) return utcDay(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
  // A date-time must say its offset; a local time would depend on the Lambda's time zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!day || utcDay(Number(day[1]), Number(day[2]), Number(day[3])) === undefined) return undefined;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** The range a JS Date can hold (±8.64e15 ms). */
function validEpoch(ms: number): number | undefined {
  return Number.isSafeInteger(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}

/** Midnight UTC of a calendar day, or undefined for 2025-02-30 and the like. */
export function utcDay(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? ms : undefined;
}

function toDate(raw: unknown, refuse: Refuse): HubSpotValueResult {
  const ms = toEpochMs(raw);
  if (ms === undefined) return refuse('not a date (use YYYY-MM-DD, an ISO date-time or epoch milliseconds)');
  return { ok: true, value: String(Math.floor(ms / DAY_MS) * DAY_MS) };
}

function toDateTime(raw: unknown, refuse: Refuse): HubSpotValueResult {
  const ms = toEpochMs(raw);
  if (ms === undefined) {
    return refuse('not a date-time (use ISO 8601 with a time zone, YYYY-MM-DD or epoch milliseconds)');
  }
  return { ok: true, value: String(ms) };
}

function toNumber(raw: unknown, refuse: Refuse): HubSpotValueResult {
  let value: number | undefined;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) {
    value = Number(raw.trim());
  }
  if (value === undefined || !Number.isFinite(value)) return refuse('not a number');
  return { ok: true, value: String(value) };
}

function toEnumeration(property: HubSpotProperty, raw: unknown, refuse: Refuse): HubSpotValueResult {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return refuse('not a text value');
  }
  const multiple = property.fieldType === 'checkbox';
  const wanted = multiple
    ? String(raw)
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '')
    : [String(raw).trim()];
  if (wanted.length === 0) return refuse('no option given');
  const chosen: string[] = [];
  for (const item of wanted) {
    const exact = property.options.find((option) => option.value === item);
    if (exact) {
      chosen.push(exact.value);
      continue;
    }
    const key = normalizeLabel(item);
    const matches = [
      ...new Set(
        property.options
          .filter((option) => normalizeLabel(option.value) === key || normalizeLabel(option.label) === key)
          .map((option) => option.value),
      ),
    ];
    const only = matches[0];
    if (matches.length > 1) return refuse(`'${item}' matches several options (${matches.join(', ')})`);
    if (only === undefined) {
      const allowed = property.options.map((option) => option.value);
      const shown = allowed.length > 20 ? `${allowed.slice(0, 20).join(', ')}, ...` : allowed.join(', ');
      return refuse(`'${truncate(item, 40)}' is not an option (allowed: ${shown || 'none'})`);
    }
    chosen.push(only);
  }
  return { ok: true, value: [...new Set(chosen)].join(';') };
}

function toText(raw: unknown, refuse: Refuse): HubSpotValueResult {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return refuse('not a text value');
  }
  const value = String(raw).trim();
  if (value.length > MAX_STRING_LENGTH) return refuse(`longer than ${MAX_STRING_LENGTH} characters`);
  return { ok: true, value };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
