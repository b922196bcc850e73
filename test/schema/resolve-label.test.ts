import { describe, expect, it } from 'vitest';
import {
  LabelResolutionError,
  matchLabel,
  resolveLabel,
  resolveLabels,
} from '../../shared/schema/resolve-label';
import { flag, portal, property } from './fixtures';

function resolutionError(action: () => unknown): LabelResolutionError {
  try {
    action();
  } catch (error) {
    if (error instanceof LabelResolutionError) return error;
    throw error;
  }
  throw new Error('expected a LabelResolutionError');
}

describe('Function: resolveLabel', () => {
  describe('Rule 1: exact matches', () => {
    it.each([
      ['Tripleseat Sync - Venue A'],
      ['tripleseat sync – venue a'],
      ['TRIPLESEAT SYNC — VENUE A'],
      ['  Tripleseat   Sync-Venue A '],
      ['Tripleseat Sync Venue A'],
      ['Tripleseat Sync: Venue A!'],
    ])('resolves %j to Venue A by its normalized label', (label) => {
      // Prepare
      const properties = portal();

      // Act
      const match = matchLabel(label, properties);

      // Assess
      expect(match).toMatchObject({ ok: true, how: 'label', score: 1 });
      expect(match.ok && match.property.name).toBe('tripleseat_sync_venue_a');
    });

    it('accepts the internal name as typed or as the snake-cased label', () => {
      // Prepare
      const properties = [...portal(), property('Venue A Flag (legacy)', 'venue_a_flag')];

      // Act
      const byName = matchLabel('firstname', properties);
      const bySnake = matchLabel('Venue A Flag', properties);

      // Assess
      expect(byName).toMatchObject({ ok: true, how: 'name' });
      expect(byName.ok && byName.property.label).toBe('First Name');
      expect(bySnake.ok && bySnake.property.name).toBe('venue_a_flag');
    });

    it('never resolves to an archived property', () => {
      // Prepare
      const properties = [
        property('Boat Brand', 'boat_brand_old', { archived: true }),
        property('Boat Make', 'x'),
      ];

      // Act
      const match = matchLabel('Boat Brand', properties);

      // Assess
      expect(match.ok).toBe(false);
    });
  });

  describe('Rule 2: ambiguity', () => {
    it('refuses a label two properties share after normalization, naming both', () => {
      // Prepare
      const properties = [...portal(), flag('Tripleseat sync – venue A', 'tripleseat_sync_venue_a_copy')];

      // Act
      const error = resolutionError(() => resolveLabel('Tripleseat Sync - Venue A', properties));

      // Assess
      expect(error.problems[0]?.kind).toBe('ambiguous');
      expect(error.message).toContain('tripleseat_sync_venue_a');
      expect(error.message).toContain('tripleseat_sync_venue_a_copy');
    });

    it('refuses when the label matches one property and the internal name another', () => {
      // Prepare
      const properties = [property('Event Date', 'event_date_2'), property('Event Date (old)', 'event_date')];

      // Act
      const match = matchLabel('Event Date', properties);

      // Assess
      expect(match).toMatchObject({ ok: false, problem: { kind: 'ambiguous' } });
    });
  });

  describe('Rule 3: fuzzy matches (field-map labels; see fuzzy-rules.test.ts for each rule)', () => {
    it.each([
      ['Tripleseat Synk - Venue A', 'tripleseat_sync_venue_a'],
      ['Tripleseat Sync - Venu A', 'tripleseat_sync_venue_a'],
      ['Tripelseat Sync - Venue B', 'tripleseat_sync_venue_b'],
      ['Triple Seat Sync - Venue B', 'tripleseat_sync_venue_b'],
      ['Boat Brnd', 'boat_brand'],
    ])('tolerates the typo in %j', (label, expected) => {
      // Prepare
      const properties = portal();

      // Act
      const match = matchLabel(label, properties);

      // Assess
      expect(match).toMatchObject({ ok: true, how: 'fuzzy' });
      expect(match.ok && match.property.name).toBe(expected);
    });

    it.each([
      ['Tripleseat Sync - Venue C', "'c' instead of 'a'"],
      ['Tripleseat Sync - Venue', "missing word 'a'"],
      ['Tripleseat Sync - Venue AB', "'ab' instead of 'a'"],
      ['Tripleseat Sync - Venue A 2', "extra word '2'"],
    ])('refuses %j: it differs from every venue in a distinguishing word', (label, conflict) => {
      // Prepare
      const properties = portal();

      // Act
      const error = resolutionError(() => resolveLabel(label, properties));

      // Assess
      expect(error.problems[0]?.kind).toBe('not_found');
      expect(error.problems[0]?.candidates[0]).toMatchObject({
        label: 'Tripleseat Sync - Venue A',
        conflict,
      });
      expect(error.message).toContain(`label '${label}' not found; closest: 'Tripleseat Sync - Venue A' (`);
    });

    it('refuses a different year', () => {
      // Prepare
      const properties = [property('Gala Guest 2024', 'gala_2024'), property('Gala Guest 2025', 'gala_2025')];

      // Act
      const match = matchLabel('Gala Guest 2026', properties);

      // Assess
      expect(match.ok).toBe(false);
    });

    it('refuses a similar label below the threshold and lists the closest with scores', () => {
      // Prepare
      const properties = portal();

      // Act
      const error = resolutionError(() => resolveLabel('Boat Model', properties));

      // Assess
      expect(error.message).toMatch(/^label 'Boat Model' not found; closest: 'Boat Brand' \(0\.\d\d\)/);
    });

    it('refuses when two eligible candidates are too close to call', () => {
      // Prepare
      const properties = [property('Accommodation', 'a'), property('Accommodations', 'b')];

      // Act
      const match = matchLabel('Accomodation', properties);

      // Assess
      expect(match).toMatchObject({ ok: false, problem: { kind: 'not_found' } });
      expect(match.ok || match.problem.message).toContain('too close to call');
    });

    it('names every unresolved label in one error', () => {
      // Prepare
      const properties = portal();

      // Act
      const error = resolutionError(() =>
        resolveLabels(['First Name', 'Tripleseat Sync - Venue C', 'Shoe Size'], properties),
      );

      // Assess
      expect(error.name).toBe('LabelResolutionError');
      expect(error.labels).toEqual(['Tripleseat Sync - Venue C', 'Shoe Size']);
      expect(error.message).toContain("label 'Tripleseat Sync - Venue C' not found");
      expect(error.message).toContain("label 'Shoe Size' not found");
    });
  });

  describe('Option: exactOnly', () => {
    it('refuses a one-letter typo it would otherwise accept, listing the closest with scores', () => {
      // Prepare
      const properties = portal();

      // Act
      const fuzzy = matchLabel('Boat Brnd', properties);
      const error = resolutionError(() => resolveLabel('Boat Brnd', properties, { exactOnly: true }));

      // Assess
      expect(fuzzy.ok).toBe(true);
      expect(error.problems[0]?.kind).toBe('not_found');
      expect(error.message).toContain(
        "label 'Boat Brnd' not found; closest: 'Boat Brand' (0.90); only its exact label or internal name 'boat_brnd' is accepted",
      );
    });

    it('still accepts the normalized label and the internal name', () => {
      // Prepare
      const properties = portal();

      // Act
      const byLabel = matchLabel('boat-brand', properties, { exactOnly: true });
      const byName = matchLabel('firstname', properties, { exactOnly: true });

      // Assess
      expect(byLabel).toMatchObject({ ok: true, how: 'label' });
      expect(byName).toMatchObject({ ok: true, how: 'name' });
    });
  });

  describe('Rule 4: expected type', () => {
    it('refuses a match of another type, naming the property and its type', () => {
      // Prepare
      const properties = portal();

      // Act
      const error = resolutionError(() => resolveLabel('Boat Brand', properties, { expectType: ['bool'] }));

      // Assess
      expect(error.problems[0]?.kind).toBe('type_mismatch');
      expect(error.message).toContain("property 'Boat Brand' (boat_brand) of type 'string'");
      expect(error.message).toContain("expected 'bool'");
    });

    it('accepts a match of the expected type', () => {
      // Prepare
      const properties = portal();

      // Act
      const resolved = resolveLabel('Tripleseat Sync - Venue B', properties, { expectType: ['bool'] });

      // Assess
      expect(resolved.name).toBe('tripleseat_sync_venue_b');
    });
  });
});

describe('Function: resolveLabels', () => {
  it('maps each label, as given, to its property', () => {
    // Prepare
    const properties = portal();

    // Act
    const resolved = resolveLabels(['First Name', 'email', 'Boat Brand', 'First Name'], properties);

    // Assess
    expect([...resolved].map(([label, p]) => [label, p.name])).toEqual([
      ['First Name', 'firstname'],
      ['email', 'email'],
      ['Boat Brand', 'boat_brand'],
    ]);
  });
});
