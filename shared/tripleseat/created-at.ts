/**
 * Tripleseat's `created_at` as a time window, whatever its format. Rails renders an ISO 8601 time with
 * an offset (`2026-11-28T09:15:00-05:00`) or `Z`; at least one published client parses a zone-less
 * `2026-11-28 09:15:00` first. A zone-less value is the venue's local wall time in a zone we do not know,
 * so the instant lies within 14 h either side of that wall time read as UTC (UTC-12 .. UTC+14).
 */
export type CreatedAtFormat = 'utc' | 'offset' | 'zoneless' | 'unknown';

export interface CreatedWindow {
  earliestMs: number;
  latestMs: number;
}

export type ParsedCreatedAt =
  { format: 'utc' | 'offset' | 'zoneless'; window: CreatedWindow } | { format: 'unknown'; window: undefined };

/** Widest distance between a local wall time and UTC (UTC-12 .. UTC+14), rounded up to 14 h both ways. */
export const UNKNOWN_ZONE_WIDENING_MS = 14 * 60 * 60 * 1000;
const MAX_OFFSET_MINUTES = 14 * 60;

/** Date, `T` or space, time with optional seconds and fraction, then `Z`, ` UTC`, an offset, or nothing. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

export function parseCreatedAt(text: string | null | undefined): ParsedCreatedAt {
  const match = TIMESTAMP.exec((text ?? '').trim());
  if (!match) return unknown();
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone] = match;
  const wallMs = wallTimeAsUtc(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  if (wallMs === undefined) return unknown();
  if (zone === undefined) {
    return {
      format: 'zoneless',
      window: { earliestMs: wallMs - UNKNOWN_ZONE_WIDENING_MS, latestMs: wallMs + UNKNOWN_ZONE_WIDENING_MS },
    };
  }
  if (/^(z|utc)$/i.test(zone)) return { format: 'utc', window: { earliestMs: wallMs, latestMs: wallMs } };
  const offsetMinutes = parseOffsetMinutes(zone);
  if (offsetMinutes === undefined) return unknown();
  const instant = wallMs - offsetMinutes * 60_000;
  return { format: 'offset', window: { earliestMs: instant, latestMs: instant } };
}

/** The format alone (for `doctor --probe`). */
export function createdAtFormat(text: string | null | undefined): CreatedAtFormat {
  return parseCreatedAt(text).format;
}

/** True when the lead may have been created at or after `instantMs` (its window reaches that far). */
export function mayBeCreatedAtOrAfter(window: CreatedWindow | undefined, instantMs: number): boolean {
  return window !== undefined && window.latestMs >= instantMs;
}

function unknown(): ParsedCreatedAt {
  return { format: 'unknown', window: undefined };
}

/** The wall time read as UTC, or undefined for impossible dates (Feb 30, 24:00, 61 s). */
function wallTimeAsUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number | undefined {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC rolls Feb 30 over into March: a different day back means the date did not exist.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

function parseOffsetMinutes(zone: string): number | undefined {
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return undefined;
  const [, sign, hours, minutes] = match;
  const total = Number(hours) * 60 + Number(minutes);
  if (Number(minutes) > 59 || total > MAX_OFFSET_MINUTES) return undefined;
  return sign === '-' ? -total : total;
}
