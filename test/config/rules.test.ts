import { describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { AppConfigSchema, type AppConfig } from '../../shared/config/app-config';
import {
  flagLabelHasLettersOrDigits,
  flagLabelsNotConfusable,
  flagNotContactProperty,
  labelsNeverTouchFlags,
  leadFieldsReadDistinctLabels,
  statusWriteBackRequired,
  writeBackLabelsOwnedByOneVenue,
  type ConfigRule,
} from '../../shared/config/rules';

const venue = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  displayName: `Venue ${id.toUpperCase()}`,
  syncFlagLabel: `Tripleseat Sync - Venue ${id.toUpperCase()}`,
  fieldMap: {
    first_name: 'First Name',
    last_name: 'Last Name',
    email_address: 'Email',
    phone_number: 'Phone Number',
  },
  secretName: `venue-sync/${id}`,
  writeBack: { status: `Tripleseat Status - Venue ${id.toUpperCase()}` },
  ...overrides,
});

/** Shape-valid config (the rules run on parsed configs only). */
const config = (...venues: Array<ReturnType<typeof venue>>): AppConfig => AppConfigSchema.parse({ venues });

const messages = (rule: ConfigRule, input: AppConfig) => rule(input).map((finding) => finding.message);

describe('Rules: every rule passes the shipped demo config', () => {
  it.each([
    flagLabelHasLettersOrDigits,
    flagLabelsNotConfusable,
    flagNotContactProperty,
    labelsNeverTouchFlags,
    leadFieldsReadDistinctLabels,
    statusWriteBackRequired,
    writeBackLabelsOwnedByOneVenue,
  ])('%o', (rule) => {
    expect(rule(AppConfigSchema.parse(appConfig))).toEqual([]);
  });
});

describe('Rule: flagLabelHasLettersOrDigits', () => {
  it('passes a label with letters', () => {
    expect(flagLabelHasLettersOrDigits(config(venue('a')))).toEqual([]);
  });

  it('refuses a label that normalizes to nothing, naming the venue and the field', () => {
    // Act
    const found = messages(flagLabelHasLettersOrDigits, config(venue('a', { syncFlagLabel: '🎉🎉' })));

    // Assess
    expect(found).toEqual([
      expect.stringMatching(/^venue 'a': syncFlagLabel '🎉🎉' has no letters or digits/),
    ]);
  });
});

describe('Rule: flagLabelsNotConfusable', () => {
  it('passes visibly different labels', () => {
    expect(flagLabelsNotConfusable(config(venue('a'), venue('b')))).toEqual([]);
  });

  it('refuses a Cyrillic А (U+0410) standing in for the Latin A of another venue', () => {
    // Prepare
    const cyrillic = venue('a2', { syncFlagLabel: 'Tripleseat Sync - Venue \u0410' });

    // Act
    const found = messages(flagLabelsNotConfusable, config(venue('a'), cyrillic));

    // Assess
    expect(found).toEqual([
      expect.stringMatching(
        /^venue 'a2': syncFlagLabel .* looks like venue 'a''s 'Tripleseat Sync - Venue A'/,
      ),
    ]);
  });

  it('leaves labels equal after normalization to the duplicate-flag check (no second report)', () => {
    const found = flagLabelsNotConfusable(
      config(venue('a'), venue('b', { syncFlagLabel: 'tripleseat sync – venue a' })),
    );

    expect(found).toEqual([]);
  });
});

describe('Rule: flagNotContactProperty', () => {
  it('passes a checkbox label of its own', () => {
    expect(flagNotContactProperty(config(venue('a')))).toEqual([]);
  });

  it.each(['Email', 'First Name', 'phone number', 'firstname'])('refuses %s', (label) => {
    const found = messages(flagNotContactProperty, config(venue('a', { syncFlagLabel: label })));

    expect(found).toEqual([
      expect.stringMatching(/^venue 'a': syncFlagLabel .* is HubSpot's contact property/),
    ]);
  });
});

describe('Rule: labelsNeverTouchFlags', () => {
  it('passes write-back and field labels of their own', () => {
    expect(labelsNeverTouchFlags(config(venue('a'), venue('b')))).toEqual([]);
  });

  it("refuses venue B writing its status into venue A's checkbox", () => {
    // Prepare
    const b = venue('b', { writeBack: { status: 'Tripleseat Sync - Venue A' } });

    // Act
    const found = messages(labelsNeverTouchFlags, config(venue('a'), b));

    // Assess
    expect(found).toEqual([
      expect.stringMatching(
        /^venue 'b': writeBack.status 'Tripleseat Sync - Venue A' is venue 'a''s sync checkbox/,
      ),
    ]);
  });

  it("refuses a write-back into the venue's own checkbox, and a lead id into another's (normalized)", () => {
    const a = venue('a', {
      writeBack: { status: 'Tripleseat Sync - Venue A', leadId: 'tripleseat_sync_venue_b' },
    });

    const found = messages(labelsNeverTouchFlags, config(a, venue('b')));

    expect(found).toEqual([
      expect.stringMatching(/^venue 'a': writeBack.status .* is venue 'a''s sync checkbox/),
      expect.stringMatching(/^venue 'a': writeBack.leadId .* is venue 'b''s sync checkbox/),
    ]);
  });

  it("refuses a flag that is a label in the venue's own field map", () => {
    const a = venue('a', {
      syncFlagLabel: 'Event Notes',
      fieldMap: { ...venue('a').fieldMap, additional_information: ['Event Notes'] },
    });

    const found = messages(labelsNeverTouchFlags, config(a));

    expect(found).toEqual([
      expect.stringMatching(
        /^venue 'a': fieldMap.additional_information 'Event Notes' is venue 'a''s sync checkbox/,
      ),
    ]);
  });

  it('refuses a Webex label that is a venue checkbox', () => {
    const input = AppConfigSchema.parse({
      venues: [venue('a')],
      webex: {
        eventIds: [],
        fieldMap: { Email: 'email', 'Tripleseat Sync - Venue A': 'checkedIn' },
        secretName: 'w',
      },
    });

    expect(messages(labelsNeverTouchFlags, input)).toEqual([
      expect.stringMatching(
        /^webex: fieldMap label 'Tripleseat Sync - Venue A' is venue 'a''s sync checkbox/,
      ),
    ]);
  });
});

describe('Rule: writeBackLabelsOwnedByOneVenue', () => {
  it('passes write-back labels that each venue owns', () => {
    expect(writeBackLabelsOwnedByOneVenue(config(venue('a'), venue('b')))).toEqual([]);
  });

  it("refuses venue B writing into venue A's status property", () => {
    const b = venue('b', { writeBack: { status: 'tripleseat status – venue a' } });

    const found = messages(writeBackLabelsOwnedByOneVenue, config(venue('a'), b));

    expect(found).toEqual([
      expect.stringMatching(/^venue 'b': writeBack.status .* is also venue 'a''s writeBack.status/),
    ]);
  });

  it('refuses two roles of one venue on one property, and a contact field as a write-back', () => {
    const a = venue('a', {
      writeBack: { status: 'Tripleseat Status - A', leadId: 'Tripleseat Status - A', syncedAt: 'First Name' },
    });

    const found = messages(writeBackLabelsOwnedByOneVenue, config(a));

    expect(found).toEqual([
      expect.stringMatching(/^venue 'a': writeBack.leadId .* is also its writeBack.status/),
      expect.stringMatching(
        /^venue 'a': writeBack.syncedAt 'First Name' is a contact field that venue 'a' fieldMap.first_name uses/,
      ),
      expect.stringMatching(
        /^venue 'a': writeBack.syncedAt 'First Name' is HubSpot's default contact property/,
      ),
    ]);
  });
});

describe('Rule: leadFieldsReadDistinctLabels', () => {
  it('passes a label repeated in additional_information (deliberate: the notes may repeat a lead field)', () => {
    const a = venue('a', {
      fieldMap: { ...venue('a').fieldMap, event_date: 'Event Date', additional_information: ['Event Date'] },
    });

    expect(leadFieldsReadDistinctLabels(config(a))).toEqual([]);
  });

  it('refuses two lead fields reading one property, and a notes label listed twice', () => {
    const a = venue('a', {
      fieldMap: {
        ...venue('a').fieldMap,
        company: 'first name',
        additional_information: ['Boat Brand', 'boat-brand'],
      },
    });

    const found = messages(leadFieldsReadDistinctLabels, config(a));

    expect(found).toEqual([
      "venue 'a': fieldMap.company reads 'first name', which fieldMap.first_name already reads; each lead field needs its own contact property",
      "venue 'a': fieldMap.additional_information lists 'boat-brand' twice; list each label once",
    ]);
  });
});

describe('Rule: statusWriteBackRequired', () => {
  it('passes a venue with a status label', () => {
    expect(statusWriteBackRequired(config(venue('a')))).toEqual([]);
  });

  it('refuses a venue without a status label, saying how to add one or opt out', () => {
    const found = messages(
      statusWriteBackRequired,
      config(venue('a', { writeBack: { leadId: 'Lead ID - A' } })),
    );

    expect(found).toEqual([
      expect.stringMatching(/^venue 'a': writeBack.status is missing.*statusWriteBackOptOut/),
    ]);
  });

  it('passes an explicit opt-out with a warning that carries the reason', () => {
    const a = venue('a', {
      writeBack: undefined,
      statusWriteBackOptOut: 'pilot venue, checked in Tripleseat',
    });

    const found = statusWriteBackRequired(config(a));

    expect(found).toEqual([
      {
        severity: 'warning',
        message: expect.stringContaining("statusWriteBackOptOut: 'pilot venue, checked in Tripleseat'"),
      },
    ]);
  });

  it('refuses a status label together with an opt-out', () => {
    const found = messages(statusWriteBackRequired, config(venue('a', { statusWriteBackOptOut: 'why' })));

    expect(found).toEqual([expect.stringMatching(/keep one of the two$/)]);
  });
});
