import { describe, expect, it } from 'vitest';
import {
  chooseFuzzy,
  FUZZY_MIN_MARGIN,
  FUZZY_MIN_SCORE,
  isClearlyAhead,
  isCloseEnough,
  isCloserThanEveryRefused,
  isIdentifierWord,
  keepsIdentifiers,
  similarity,
} from '../../shared/schema/fuzzy-rules';

/** Candidates as resolve-label ranks them: normalized label + similarity, best first. */
function ranked(typed: string, labels: readonly string[]) {
  return labels
    .map((normalized) => ({ normalized, score: similarity(typed, normalized) }))
    .sort((a, b) => b.score - a.score);
}

describe('Function: similarity', () => {
  it('is 1 for equal labels and drops by one edit over the longer length', () => {
    // Act + Assess
    expect(similarity('boat brand', 'boat brand')).toBe(1);
    expect(similarity('boat brnd', 'boat brand')).toBeCloseTo(0.9);
    expect(similarity('', '')).toBe(1);
  });
});

describe('Rule: keepsIdentifiers (never cross a distinguishing token)', () => {
  it.each([
    ['tripleseat sync venu a', 'tripleseat sync venue a'],
    ['boat brnd', 'boat brand'],
    ['gala guest 2024', 'gala guets 2024'],
  ])('passes %j -> %j: the identifier words are the same', (typed, candidate) => {
    // Act
    const verdict = keepsIdentifiers(typed, candidate);

    // Assess
    expect(verdict).toEqual({ ok: true });
  });

  it.each([
    ['tripleseat sync venue c', 'tripleseat sync venue a', "'c' instead of 'a'"],
    ['tripleseat sync venue ab', 'tripleseat sync venue a', "'ab' instead of 'a'"],
    ['tripleseat sync venue', 'tripleseat sync venue a', "missing word 'a'"],
    ['tripleseat sync venue a 2', 'tripleseat sync venue a', "extra word '2'"],
    ['gala guest 2026', 'gala guest 2024', "'2026' instead of '2024'"],
  ])('refuses %j -> %j: %s', (typed, candidate, reason) => {
    // Act
    const verdict = keepsIdentifiers(typed, candidate);

    // Assess
    expect(verdict).toEqual({ ok: false, reason });
  });

  it('counts words: one venue letter is not two', () => {
    // Act + Assess
    expect(keepsIdentifiers('venue a a', 'venue a').ok).toBe(false);
  });

  it('treats short words and words with a digit as identifiers, long words as descriptions', () => {
    // Act + Assess
    expect(['a', 'nyc', 'q3', 'room101'].every(isIdentifierWord)).toBe(true);
    expect(['venue', 'sync', 'brand'].some(isIdentifierWord)).toBe(false);
  });
});

describe('Rule: isCloseEnough', () => {
  it('passes a score at the threshold', () => {
    // Act + Assess
    expect(isCloseEnough(FUZZY_MIN_SCORE)).toEqual({ ok: true });
  });

  it('refuses a score below it, saying by how much', () => {
    // Act
    const verdict = isCloseEnough(0.5);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: `similarity 0.50 is below ${FUZZY_MIN_SCORE}` });
  });
});

describe('Rule: isCloserThanEveryRefused', () => {
  it('passes when every refused candidate is farther, or there is none', () => {
    // Act + Assess
    expect(isCloserThanEveryRefused(0.95, 0.9)).toEqual({ ok: true });
    expect(isCloserThanEveryRefused(0.95, undefined)).toEqual({ ok: true });
  });

  it('refuses when a refused candidate is as close as the best acceptable one', () => {
    // Act
    const verdict = isCloserThanEveryRefused(0.92, 0.92);

    // Assess
    expect(verdict.ok).toBe(false);
  });
});

describe('Rule: isClearlyAhead (accept only a unique best)', () => {
  it('passes a best that leads by the margin, or has no rival', () => {
    // Act + Assess
    expect(isClearlyAhead(0.95, 0.95 - FUZZY_MIN_MARGIN)).toEqual({ ok: true });
    expect(isClearlyAhead(0.9, undefined)).toEqual({ ok: true });
  });

  it('refuses a best whose runner-up is within the margin', () => {
    // Act
    const verdict = isClearlyAhead(0.92, 0.86);

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'too close to call' });
  });
});

describe('Function: chooseFuzzy', () => {
  it('chooses the unique close candidate that keeps the identifiers', () => {
    // Prepare
    const typed = 'boat brnd';
    const candidates = ranked(typed, ['boat brand', 'first name', 'email']);

    // Act
    const choice = chooseFuzzy(typed, candidates);

    // Assess
    expect(choice).toMatchObject({ ok: true, winner: { normalized: 'boat brand' } });
  });

  it('refuses with keepsIdentifiers when every close candidate names something else', () => {
    // Prepare
    const typed = 'venue c notes';
    const candidates = ranked(typed, ['venue a notes', 'venue b notes']);

    // Act
    const choice = chooseFuzzy(typed, candidates);

    // Assess
    expect(choice).toMatchObject({ ok: false, rule: 'keepsIdentifiers' });
  });

  it('refuses with isCloserThanEveryRefused when a refused label is closer than the acceptable one', () => {
    // Prepare: one edit from the refused "... b notes", two from the acceptable "... a nottess".
    const typed = 'tripleseat a notes';
    const candidates = ranked(typed, ['tripleseat b notes', 'tripleseat a nottess']);

    // Act
    const choice = chooseFuzzy(typed, candidates);

    // Assess
    expect(choice).toMatchObject({ ok: false, rule: 'isCloserThanEveryRefused' });
  });

  it('refuses with isClearlyAhead, naming both, when two candidates are too close to call', () => {
    // Prepare
    const typed = 'accomodation';
    const candidates = ranked(typed, ['accommodation', 'accommodations']);

    // Act
    const choice = chooseFuzzy(typed, candidates);

    // Assess
    expect(choice).toMatchObject({
      ok: false,
      rule: 'isClearlyAhead',
      best: { normalized: 'accommodation' },
      runnerUp: { normalized: 'accommodations' },
    });
  });

  it('refuses with isCloseEnough when the best is only loosely similar', () => {
    // Prepare
    const typed = 'boat model';
    const candidates = ranked(typed, ['boat brand']);

    // Act
    const choice = chooseFuzzy(typed, candidates);

    // Assess
    expect(choice).toMatchObject({ ok: false, rule: 'isCloseEnough' });
  });
});
