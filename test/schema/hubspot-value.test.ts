import { describe, expect, it } from 'vitest';
import { toHubSpotValue } from '../../shared/schema/hubspot-value';
import { flag, property } from './fixtures';

const bool = flag('Tripleseat Sync - Venue A', 'tripleseat_sync_venue_a');
const date = property('Event Date', 'event_date', { type: 'date', fieldType: 'date' });
const datetime = property('Synced At', 'synced_at', { type: 'datetime', fieldType: 'date' });
const number = property('Guest Count', 'guest_count', { type: 'number', fieldType: 'number' });
const status = property('Webex Registration Status', 'webex_status', {
  type: 'enumeration',
  fieldType: 'select',
  options: [
    { label: 'Registered', value: 'Registered' },
    { label: 'Checked in', value: 'checked_in' },
  ],
});
const text = property('Boat Brand', 'boat_brand');

describe('Function: toHubSpotValue', () => {
  it.each([
    [true, 'true'],
    [false, 'false'],
    ['yes', 'true'],
    [' NO ', 'false'],
    ['1', 'true'],
    ['0', 'false'],
    ['TRUE', 'true'],
  ])('writes %j to a bool property as %j', (raw, expected) => {
    // Act
    const result = toHubSpotValue(bool, raw);

    // Assess
    expect(result).toEqual({ ok: true, value: expected });
  });

  it('refuses a bool that is neither yes nor no', () => {
    // Act
    const result = toHubSpotValue(bool, 'maybe');

    // Assess
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain("'Tripleseat Sync - Venue A' (tripleseat_sync_venue_a)");
  });

  it.each([
    ['2025-06-14', '1749859200000'],
    ['2025-06-14T18:30:00Z', '1749859200000'],
    [new Date('2025-06-14T23:59:59Z'), '1749859200000'],
    [1749900000000, '1749859200000'],
    ['1749859200000', '1749859200000'],
  ])('writes %j to a date property as midnight UTC epoch ms', (raw, expected) => {
    // Act
    const result = toHubSpotValue(date, raw);

    // Assess
    expect(result).toEqual({ ok: true, value: expected });
  });

  it.each([['2025-02-30'], ['14/06/2025'], ['soon'], [new Date('nope')], ['2025-06-14T18:30:00']])(
    'refuses %j as a date',
    (raw) => {
      // Act
      const result = toHubSpotValue(date, raw);

      // Assess
      expect(result.ok).toBe(false);
    },
  );

  it('writes a datetime as epoch ms', () => {
    // Act
    const iso = toHubSpotValue(datetime, '2025-06-14T18:30:00.000Z');
    const ms = toHubSpotValue(datetime, 1749925800000);

    // Assess
    expect(iso).toEqual({ ok: true, value: '1749925800000' });
    expect(ms).toEqual({ ok: true, value: '1749925800000' });
  });

  it.each([
    [42, '42'],
    [' 12.5 ', '12.5'],
    ['-3', '-3'],
  ])('writes %j to a number property as %j', (raw, expected) => {
    // Act
    const result = toHubSpotValue(number, raw);

    // Assess
    expect(result).toEqual({ ok: true, value: expected });
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], ['12 people'], [true]])(
    'refuses %j as a number',
    (raw) => {
      // Act
      const result = toHubSpotValue(number, raw);

      // Assess
      expect(result).toMatchObject({ ok: false });
    },
  );

  it.each([
    ['Registered', 'Registered'],
    ['registered', 'Registered'],
    ['REGISTERED ', 'Registered'],
    ['Checked In', 'checked_in'],
    ['checked-in', 'checked_in'],
  ])('writes %j to an enumeration as the exact option value %j', (raw, expected) => {
    // Act
    const result = toHubSpotValue(status, raw);

    // Assess
    expect(result).toEqual({ ok: true, value: expected });
  });

  it('refuses a value that is no option, listing the allowed values', () => {
    // Act
    const result = toHubSpotValue(status, 'Cancelled');

    // Assess
    expect(result).toEqual({
      ok: false,
      reason:
        "'Webex Registration Status' (webex_status): 'Cancelled' is not an option (allowed: Registered, checked_in)",
    });
  });

  it('writes several options of a multi-select checkbox', () => {
    // Prepare
    const multi = { ...status, fieldType: 'checkbox' };

    // Act
    const result = toHubSpotValue(multi, 'registered; Checked in');

    // Assess
    expect(result).toEqual({ ok: true, value: 'Registered;checked_in' });
  });

  it('trims text and phone numbers', () => {
    // Act
    const result = toHubSpotValue(text, '  Boston Whaler ');

    // Assess
    expect(result).toEqual({ ok: true, value: 'Boston Whaler' });
  });

  it.each([[null], [undefined], [''], ['   ']])('clears with %j only when allowed', (raw) => {
    // Act
    const refused = toHubSpotValue(text, raw);
    const cleared = toHubSpotValue(text, raw, { allowClear: true });

    // Assess
    expect(refused).toMatchObject({ ok: false });
    expect(cleared).toEqual({ ok: true, value: '' });
  });

  it('refuses an unknown property type', () => {
    // Act
    const result = toHubSpotValue(property('Location', 'loc', { type: 'object_coordinates' }), 'x');

    // Assess
    expect(!result.ok && result.reason).toContain("unsupported property type 'object_coordinates'");
  });
});
