import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchVenueFlag,
  otherVenueClaims,
  otherVenueFlagProblem,
  resolveVenueFlag,
} from '../../shared/schema/venue-flag';
import { LabelResolutionError } from '../../shared/schema/resolve-label';
import { archivedAndRelabelledPortal, flag, portal, property } from './fixtures';

describe('Function: matchVenueFlag', () => {
  describe('Rule: exact label or internal name only', () => {
    it('resolves the normalized label', () => {
      // Act
      const match = matchVenueFlag('tripleseat sync – venue a', portal());

      // Assess
      expect(match).toMatchObject({ ok: true, how: 'label', property: { name: 'tripleseat_sync_venue_a' } });
    });

    it('resolves the internal name setup creates, whatever the label says today', () => {
      // Prepare
      const properties = [flag('Venue A checkbox (renamed)', 'tripleseat_sync_venue_a')];

      // Act
      const match = matchVenueFlag('Tripleseat Sync - Venue A', properties);

      // Assess
      expect(match).toMatchObject({ ok: true, how: 'name' });
    });

    it.each([
      ['Tripleseat Sync - Venu A', "closest: 'Tripleseat Sync - Venue A' (0.96)"],
      ['Tripleseat Synk - Venue A', "closest: 'Tripleseat Sync - Venue A' (0.96)"],
      ['Triple Seat Sync - Venue B', "closest: 'Tripleseat Sync - Venue B' (0.96)"],
      ['Tripleseat Sync - Venue C', "closest: 'Tripleseat Sync - Venue A' (0.96, 'c' instead of 'a')"],
    ])('refuses the near miss %j, listing the closest labels with scores', (label, closest) => {
      // Act
      const match = matchVenueFlag(label, portal());

      // Assess
      expect(match).toMatchObject({ ok: false, problem: { kind: 'not_found' } });
      expect(match.ok || match.problem.message).toContain(`label '${label}' not found; ${closest}`);
      expect(match.ok || match.problem.message).toContain('never a similar one');
    });

    it('refuses a one-letter typo in a venue name word (Marine for Marina)', () => {
      // Prepare
      const properties = [...portal(), flag('Tripleseat Sync - Marina', 'tripleseat_sync_marina')];

      // Act
      const match = matchVenueFlag('Tripleseat Sync - Marine', properties);

      // Assess
      expect(match.ok || match.problem.message).toContain(
        "label 'Tripleseat Sync - Marine' not found; closest: 'Tripleseat Sync - Marina' (0.95)",
      );
    });

    it('never resolves to an archived checkbox', () => {
      // Prepare
      const properties = [
        { ...flag('Tripleseat Sync - Venue A', 'tripleseat_sync_venue_a'), archived: true },
      ];

      // Act
      const match = matchVenueFlag('Tripleseat Sync - Venue A', properties);

      // Assess
      expect(match.ok).toBe(false);
    });
  });

  describe('Rule: must be a checkbox', () => {
    it('accepts a bool property', () => {
      // Act
      const resolved = resolveVenueFlag('Tripleseat Sync - Venue B', portal());

      // Assess
      expect(resolved.type).toBe('bool');
    });

    it('refuses a text property of that label, saying the flag must be a checkbox', () => {
      // Prepare
      const properties = [property('Tripleseat Sync - Venue A', 'tripleseat_sync_venue_a')];

      // Act
      const act = () => resolveVenueFlag('Tripleseat Sync - Venue A', properties);

      // Assess
      expect(act).toThrow(LabelResolutionError);
      expect(act).toThrow(
        /of type 'string' \(fieldType 'text'\); expected 'bool': the venue flag must be a HubSpot checkbox/,
      );
    });
  });
});

describe('Function: otherVenueClaims', () => {
  it('finds no claim when every venue has its own checkbox', () => {
    // Prepare
    const venueA = flag('Tripleseat Sync - Venue A', 'tripleseat_sync_venue_a');

    // Act
    const claims = otherVenueClaims(venueA, ['Tripleseat Sync - Venue B', 'Tripleseat Sync - Marina']);

    // Assess
    expect(claims).toEqual([]);
  });

  it("claims a checkbox whose label is another venue's flag label", () => {
    // Prepare: Venue A's box, relabelled.
    const [relabelled] = archivedAndRelabelledPortal();

    // Act
    const claims = otherVenueClaims(relabelled ?? flag('', 'x'), ['Tripleseat Sync - Venue B']);

    // Assess
    expect(claims).toEqual([{ otherVenueFlagLabel: 'Tripleseat Sync - Venue B', how: 'label' }]);
  });

  it("claims a checkbox carrying another venue's expected internal name", () => {
    // Prepare
    const [relabelled] = archivedAndRelabelledPortal();

    // Act
    const claims = otherVenueClaims(relabelled ?? flag('', 'x'), ['Tripleseat Sync - Venue A']);

    // Assess
    expect(claims).toEqual([{ otherVenueFlagLabel: 'Tripleseat Sync - Venue A', how: 'name' }]);
  });

  it('names both venues and what to do in the problem', () => {
    // Prepare
    const box = flag('Tripleseat Sync - Venue B', 'tripleseat_sync_venue_a');

    // Act
    const problem = otherVenueFlagProblem(
      { id: 'venue-b', syncFlagLabel: 'Tripleseat Sync - Venue B' },
      box,
      { otherVenueFlagLabel: 'Tripleseat Sync - Venue A', how: 'name' },
    );

    // Assess
    expect(problem.kind).toBe('other_venue_flag');
    expect(problem.message).toContain(
      "venue 'venue-b': flag label 'Tripleseat Sync - Venue B' resolved to 'Tripleseat Sync - Venue B' (tripleseat_sync_venue_a)",
    );
    expect(problem.message).toContain("the checkbox of the venue 'Tripleseat Sync - Venue A'");
    expect(problem.message).toContain('venue-sync setup');
  });
});

describe('Properties: venue flags', () => {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  const separators = [' - ', ' – ', ' — ', '-', ' ', '  ', ' _ ', ': '];
  const flagLabel = (venue: string) => `Tripleseat Sync - Venue ${venue}`;
  const portalOf = (venues: readonly string[]) => [
    ...venues.map((venue) => flag(flagLabel(venue), `tripleseat_sync_venue_${venue.toLowerCase()}`)),
    ...portal().filter((p) => p.type !== 'bool'),
  ];
  /** "Tripleseat Sync - Venue X" with random case, dashes and spacing. */
  const variantOf = (venue: string) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.constantFrom(...separators),
        fc.constantFrom(' ', '  ', '\t'),
        fc.constantFrom('', ' ', '  '),
      )
      .map(([upper, dash, space, pad]) =>
        `${pad}Tripleseat${space}Sync${dash}Venue${space}${venue}${pad}`
          .split('')
          .map((char, i) => (upper[i % upper.length] ? char.toUpperCase() : char.toLowerCase()))
          .join(''),
      );
  /** A one-character typo in one of the long, fixed words. */
  const typoOf = (venue: string) =>
    fc
      .tuple(fc.constantFrom('Tripleseat', 'Sync', 'Venue'), fc.nat(), fc.constantFrom('x', 'q', ''))
      .map(([word, at, replacement]) => {
        const i = 1 + (at % (word.length - 1));
        const typo = word.slice(0, i) + replacement + word.slice(i + 1);
        return flagLabel(venue).replace(word, typo);
      })
      .filter((label) => label !== flagLabel(venue));

  it('resolves any case, dash or spacing variant of an existing flag to that flag', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...letters), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (venues, pick, seed) => {
          const venue = venues[pick % venues.length] ?? 'A';
          const [label] = fc.sample(variantOf(venue), { numRuns: 1, seed });
          const resolved = resolveVenueFlag(label ?? flagLabel(venue), portalOf(venues));
          return resolved.name === `tripleseat_sync_venue_${venue.toLowerCase()}`;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never resolves a typo, not even of an existing venue', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...letters), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (venues, pick, seed) => {
          const venue = venues[pick % venues.length] ?? 'A';
          const [label] = fc.sample(typoOf(venue), { numRuns: 1, seed });
          return !matchVenueFlag(label ?? 'Tripleseat Synq - Venue A', portalOf(venues)).ok;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never resolves a venue letter or number that has no checkbox', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 40 }),
        (venues, missing) => {
          fc.pre(!venues.includes(missing));
          const properties = venues.map((n) => flag(`Tripleseat Sync - Venue ${n}`, `venue_${n}`));
          return !matchVenueFlag(`Tripleseat Sync - Venue ${missing}`, properties).ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});
