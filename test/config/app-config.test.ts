import { describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import {
  ConfigError,
  checkAppConfig,
  validateAppConfig,
  type AppConfigInput,
} from '../../shared/config/app-config';

const venue = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  displayName: `Venue ${id}`,
  syncFlagLabel: `Tripleseat Sync - ${id}`,
  fieldMap: {
    first_name: 'First Name',
    last_name: 'Last Name',
    email_address: 'Email',
    phone_number: 'Phone Number',
  },
  secretName: `venue-sync/${id}`,
  writeBack: { status: `Tripleseat Status - ${id}` },
  ...overrides,
});

function problemsOf(input: unknown): readonly string[] {
  try {
    validateAppConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Function: validateAppConfig', () => {
  it('accepts the shipped example with its three demo venues', () => {
    const config = validateAppConfig(appConfig);

    expect(config.venues.map((v) => v.id)).toEqual(['venue-a', 'venue-b', 'marina']);
    expect(config.hubspotTenSecondLimit).toBe(100);
  });

  it('names a duplicate venue id', () => {
    expect(
      problemsOf({
        venues: [
          venue('a'),
          venue('a', { syncFlagLabel: 'Other', secretName: 's2', writeBack: { status: 'Status 2' } }),
        ],
      }),
    ).toEqual(["venue 'a': duplicate venue id (also venue #0)"]);
  });

  it('refuses two flag labels that are equal after normalization (case, spaces, dashes)', () => {
    const problems = problemsOf({
      venues: [
        venue('a', { syncFlagLabel: 'Tripleseat Sync - Venue A' }),
        venue('b', { syncFlagLabel: '  tripleseat   sync – VENUE a' }),
      ],
    });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/venue 'b'.*same as venue 'a'/);
  });

  it('refuses a secret shared by two venues, or by a venue and the Webex sync', () => {
    const problems = problemsOf({
      venues: [venue('a', { secretName: 'shared' }), venue('b', { secretName: 'shared' })],
      webex: { eventIds: [], fieldMap: { Email: 'email' }, secretName: 'shared' },
    });

    expect(problems).toEqual([
      "venue 'b': secret name 'shared' is already used by venue 'a'",
      "webex: secret name 'shared' is already used by venue 'a'",
    ]);
  });

  it('names unknown Webex fields and a Webex map without email', () => {
    const problems = problemsOf({
      venues: [venue('a')],
      webex: { eventIds: [], fieldMap: { 'First Name': 'profile.firstname' }, secretName: 'webex' },
    });

    expect(problems).toEqual([
      expect.stringMatching(
        /^webex: fieldMap names unknown Webex field 'profile.firstname' \(known: email, /,
      ),
      "webex: fieldMap must map a HubSpot label to 'email' (people are keyed by email)",
    ]);
  });

  it('names unknown Tripleseat fields and missing required ones', () => {
    const problems = problemsOf({
      venues: [venue('a', { fieldMap: { first_name: 'First Name', boat_brand: 'Boat Brand' } })],
    });

    expect(problems).toEqual([
      expect.stringMatching(/^venue 'a': fieldMap has unknown Tripleseat lead field 'boat_brand'/),
      "venue 'a': fieldMap is missing required Tripleseat lead field 'last_name'",
      "venue 'a': fieldMap is missing required Tripleseat lead field 'email_address'",
      "venue 'a': fieldMap is missing required Tripleseat lead field 'phone_number'",
    ]);
  });

  it('reports shape errors with the venue they belong to, all in one error', () => {
    const input: AppConfigInput = {
      venues: [venue('Bad Id!'), venue('ok', { syncFlagLabel: '' })],
    } as AppConfigInput;

    const problems = problemsOf(input);

    expect(problems).toEqual([
      expect.stringMatching(/^venue 'Bad Id!' id: /),
      expect.stringMatching(/^venue 'ok' syncFlagLabel: /),
    ]);
  });

  it('puts every problem into one message', () => {
    const error = (() => {
      try {
        validateAppConfig({ venues: [venue('a'), venue('a')] });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a ConfigError');
    })();

    expect(error.message).toMatch(/3 problem\(s\)/);
    expect(error.message).toContain('duplicate venue id');
    expect(error.message).toContain("secret name 'venue-sync/a' is already used");
    expect(error.message).toContain("writeBack.status 'Tripleseat Status - a' is also its writeBack.status");
  });
});

describe('Function: checkAppConfig', () => {
  it('returns the config with no warnings for the shipped demo venues', () => {
    const checked = checkAppConfig(appConfig);

    expect(checked.warnings).toEqual([]);
    expect(checked.config.venues.find((v) => v.id === 'marina')?.writeBack?.status).toBe(
      'Tripleseat Status - Marina',
    );
  });

  it('returns a warning for a venue that opted out of status write-back', () => {
    const checked = checkAppConfig({
      venues: [venue('a', { writeBack: undefined, statusWriteBackOptOut: 'pilot' })],
    });

    expect(checked.warnings).toEqual([expect.stringMatching(/^venue 'a': writes no status to contacts/)]);
  });

  it('lists the new rules alongside the old checks in one error', () => {
    const problems = problemsOf({
      venues: [
        venue('a'),
        venue('b', { syncFlagLabel: '🎉🎉', writeBack: { status: 'Tripleseat Sync - a' } }),
        venue('c', { syncFlagLabel: 'Tripleseat Sync - \u0430', secretName: 'venue-sync/a' }),
      ],
    });

    expect(problems).toEqual([
      "venue 'c': secret name 'venue-sync/a' is already used by venue 'a'",
      expect.stringMatching(/^venue 'b': syncFlagLabel '🎉🎉' has no letters or digits/),
      expect.stringMatching(/^venue 'c': syncFlagLabel .* looks like venue 'a''s/),
      expect.stringMatching(
        /^venue 'b': writeBack.status 'Tripleseat Sync - a' is venue 'a''s sync checkbox/,
      ),
    ]);
  });
});
