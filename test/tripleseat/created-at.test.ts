/** Tripleseat's `created_at` in every format seen or expected: a window the lookup can trust. */
import { describe, expect, it } from 'vitest';
import {
  UNKNOWN_ZONE_WIDENING_MS,
  createdAtFormat,
  mayBeCreatedAtOrAfter,
  parseCreatedAt,
} from '../../shared/tripleseat/created-at';

const at = (iso: string) => Date.parse(iso);

describe('Function: parseCreatedAt', () => {
  it.each([
    ['2026-11-28T14:15:00Z', '2026-11-28T14:15:00.000Z'],
    ['2026-11-28T14:15:00.123Z', '2026-11-28T14:15:00.123Z'],
    ['2026-11-28 14:15:00 UTC', '2026-11-28T14:15:00.000Z'],
  ])('reads UTC %s as an exact instant', (text, instant) => {
    // Act
    const parsed = parseCreatedAt(text);

    // Assess
    expect(parsed).toEqual({ format: 'utc', window: { earliestMs: at(instant), latestMs: at(instant) } });
  });

  it.each([
    ['2026-11-28T09:15:00-05:00', '2026-11-28T14:15:00.000Z'],
    ['2026-11-28T09:15:00.500-0500', '2026-11-28T14:15:00.500Z'],
    ['2026-11-29T03:45:00+14:00', '2026-11-28T13:45:00.000Z'],
    ['2026-11-28 09:15:00 -0500', '2026-11-28T14:15:00.000Z'],
    ['2026-11-28T14:15:00+00:00', '2026-11-28T14:15:00.000Z'],
  ])('reads %s with its offset as an exact instant', (text, instant) => {
    // Act
    const parsed = parseCreatedAt(text);

    // Assess
    expect(parsed).toEqual({ format: 'offset', window: { earliestMs: at(instant), latestMs: at(instant) } });
  });

  it.each(['2026-11-28 09:15:00', '2026-11-28T09:15:00', '2026-11-28 09:15'])(
    'widens a zone-less %s by 14 h each way (local time, zone unknown)',
    (text) => {
      // Act
      const parsed = parseCreatedAt(text);

      // Assess
      const wall = at('2026-11-28T09:15:00Z');
      expect(parsed).toEqual({
        format: 'zoneless',
        window: { earliestMs: wall - UNKNOWN_ZONE_WIDENING_MS, latestMs: wall + UNKNOWN_ZONE_WIDENING_MS },
      });
    },
  );

  it.each([
    undefined,
    null,
    '',
    'yesterday',
    '11/28/2026 09:15',
    '2026-02-30T09:15:00Z',
    '2026-11-28T24:00:00Z',
    '2026-11-28T09:15:00+15:00',
    '2026-11-28T09:15:00 EST',
  ])('gives no window for %s', (text) => {
    // Act / Assess
    expect(parseCreatedAt(text)).toEqual({ format: 'unknown', window: undefined });
  });

  it('keeps a zone-less time of an East-coast venue inside its window', () => {
    // Prepare: created 09:15 in New York (UTC-5) = 14:15Z; rendered zone-less as local time.
    const window = parseCreatedAt('2026-11-28 09:15:00').window;

    // Assess
    expect(mayBeCreatedAtOrAfter(window, at('2026-11-28T14:15:00Z'))).toBe(true);
    expect(mayBeCreatedAtOrAfter(window, at('2026-11-29T00:00:00Z'))).toBe(false);
    expect(mayBeCreatedAtOrAfter(undefined, 0)).toBe(false);
  });
});

describe('Function: createdAtFormat', () => {
  it.each([
    ['2026-11-28T14:15:00Z', 'utc'],
    ['2026-11-28T09:15:00-05:00', 'offset'],
    ['2026-11-28 09:15:00', 'zoneless'],
    ['28/11/2026', 'unknown'],
  ] as const)('classifies %s as %s', (text, format) => {
    expect(createdAtFormat(text)).toBe(format);
  });
});
