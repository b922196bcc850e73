import { describe, expect, it } from 'vitest';
import { PollerEnvSchema } from '../../shared/runtime/env';
import { LabelResolutionError } from '../../shared/schema/resolve-label';
import { resolveVenueSchema } from '../../shared/sync/venue-schema';
import { archivedAndRelabelledPortal, flag, portal, property } from './fixtures';

const venueA = {
  id: 'venue-a',
  syncFlagLabel: 'Tripleseat Sync - Venue A',
  fieldMap: { first_name: 'First Name' },
};
const venueB = {
  id: 'venue-b',
  syncFlagLabel: 'Tripleseat Sync - Venue B',
  fieldMap: { first_name: 'First Name' },
};

function resolutionError(action: () => unknown): LabelResolutionError {
  try {
    action();
  } catch (error) {
    if (error instanceof LabelResolutionError) return error;
    throw error;
  }
  throw new Error('expected a LabelResolutionError');
}

describe('Function: resolveVenueSchema', () => {
  it("resolves each venue's own checkbox when the other venues' labels are given", () => {
    // Prepare
    const properties = portal();

    // Act
    const a = resolveVenueSchema(venueA, properties, { otherVenueFlagLabels: [venueB.syncFlagLabel] });
    const b = resolveVenueSchema(venueB, properties, { otherVenueFlagLabels: [venueA.syncFlagLabel] });

    // Assess
    expect(a.flag.name).toBe('tripleseat_sync_venue_a');
    expect(b.flag.name).toBe('tripleseat_sync_venue_b');
    expect(a.readProperties).toEqual(['firstname']);
  });

  it('still works without the other venues (existing callers)', () => {
    // Act
    const schema = resolveVenueSchema(venueA, portal());

    // Assess
    expect(schema.flag.name).toBe('tripleseat_sync_venue_a');
  });

  describe('Scenario: B archived, A relabelled "Tripleseat Sync - Venue B"', () => {
    it("without the other labels, both venues would read A's checkbox (why the check exists)", () => {
      // Prepare
      const properties = archivedAndRelabelledPortal();

      // Act
      const a = resolveVenueSchema(venueA, properties);
      const b = resolveVenueSchema(venueB, properties);

      // Assess
      expect(a.flag.name).toBe('tripleseat_sync_venue_a');
      expect(b.flag.name).toBe('tripleseat_sync_venue_a');
    });

    it("venue A refuses: its checkbox now carries venue B's label", () => {
      // Prepare
      const properties = archivedAndRelabelledPortal();

      // Act
      const error = resolutionError(() =>
        resolveVenueSchema(venueA, properties, { otherVenueFlagLabels: [venueB.syncFlagLabel] }),
      );

      // Assess
      expect(error.problems.map((problem) => problem.kind)).toEqual(['other_venue_flag']);
      expect(error.message).toContain(
        "venue 'venue-a': flag label 'Tripleseat Sync - Venue A' resolved to 'Tripleseat Sync - Venue B' (tripleseat_sync_venue_a)",
      );
      expect(error.message).toContain("its label is the flag label of the venue 'Tripleseat Sync - Venue B'");
    });

    it("venue B refuses: the box its label finds carries venue A's internal name", () => {
      // Prepare
      const properties = archivedAndRelabelledPortal();

      // Act
      const error = resolutionError(() =>
        resolveVenueSchema(venueB, properties, { otherVenueFlagLabels: [venueA.syncFlagLabel] }),
      );

      // Assess
      expect(error.problems.map((problem) => problem.kind)).toEqual(['other_venue_flag']);
      expect(error.message).toContain("venue 'venue-b'");
      expect(error.message).toContain(
        "its internal name is the one 'venue-sync setup' gives the checkbox of the venue 'Tripleseat Sync - Venue A'",
      );
    });
  });

  it('refuses a near-miss flag label even where the field map tolerates typos, in one error', () => {
    // Prepare
    const venue = {
      syncFlagLabel: 'Tripleseat Sync - Venu A',
      fieldMap: { first_name: 'First Namee', email_address: 'Shoe Size' },
    };

    // Act
    const error = resolutionError(() => resolveVenueSchema(venue, portal()));

    // Assess
    expect(error.labels).toEqual(['Tripleseat Sync - Venu A', 'Shoe Size']);
    expect(error.message).toContain(
      "label 'Tripleseat Sync - Venu A' not found; closest: 'Tripleseat Sync - Venue A' (0.96)",
    );
  });

  it('resolves write-back labels exactly: a near miss is refused, not guessed', () => {
    // Prepare
    const properties = [...portal(), property('Tripleseat Status - Venue A', 'tripleseat_status_venue_a')];
    const exact = { ...venueA, writeBack: { status: 'Tripleseat Status - Venue A' } };
    const typo = { ...venueA, writeBack: { status: 'Tripleseat Statsu - Venue A' } };

    // Act
    const schema = resolveVenueSchema(exact, properties);
    const error = resolutionError(() => resolveVenueSchema(typo, properties));

    // Assess
    expect(schema.writeBack.status?.name).toBe('tripleseat_status_venue_a');
    expect(error.labels).toEqual(['Tripleseat Statsu - Venue A']);
  });

  it('refuses a flag that is not a checkbox', () => {
    // Prepare
    const properties = [
      property('Tripleseat Sync - Venue A', 'tripleseat_sync_venue_a'),
      flag('Other', 'other'),
      ...portal().slice(2),
    ];

    // Act
    const error = resolutionError(() => resolveVenueSchema(venueA, properties));

    // Assess
    expect(error.problems[0]?.kind).toBe('type_mismatch');
    expect(error.message).toContain('the venue flag must be a HubSpot checkbox');
  });
});

describe('Env: OTHER_VENUE_FLAG_LABELS', () => {
  const pollerEnv = {
    TABLE_NAME: 't',
    VENUE_ID: 'venue-a',
    SYNC_FLAG_LABEL: 'Tripleseat Sync - Venue A',
    FIELD_MAP: '{"first_name":"First Name"}',
  };

  it('parses a JSON array of labels, and is optional', () => {
    // Act
    const withLabels = PollerEnvSchema.safeParse({
      ...pollerEnv,
      OTHER_VENUE_FLAG_LABELS: '["Tripleseat Sync - Venue B","Tripleseat Sync - Marina"]',
    });
    const without = PollerEnvSchema.safeParse(pollerEnv);

    // Assess
    expect(withLabels.data?.OTHER_VENUE_FLAG_LABELS).toEqual([
      'Tripleseat Sync - Venue B',
      'Tripleseat Sync - Marina',
    ]);
    expect(without.success && without.data.OTHER_VENUE_FLAG_LABELS).toBeUndefined();
  });

  it('refuses anything but an array of non-empty strings', () => {
    // Act
    const parsed = PollerEnvSchema.safeParse({ ...pollerEnv, OTHER_VENUE_FLAG_LABELS: '{"b":"x"}' });

    // Assess
    expect(parsed.success).toBe(false);
  });
});
