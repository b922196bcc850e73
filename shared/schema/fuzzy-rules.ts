/**
 * When a field-map label that matches nothing exactly may still be accepted as a typo of an existing
 * one ("Boat Brnd" -> "Boat Brand"). Only field-map and write-back labels get here: the venue checkbox
 * is matched exactly or not at all (see venue-flag.ts).
 *
 * Each rule below is a small pure function with one job that answers `{ ok: true }` or says why not.
 * `chooseFuzzy` applies them in a fixed order; the first refusal wins and its reason ends up in the
 * error the operator reads. All scores compare normalized labels (normalizeLabel).
 */
import { distance } from 'fastest-levenshtein';

/** Minimum similarity (0..1) for a fuzzy match. One typo in a 20-character label scores ~0.95. */
export const FUZZY_MIN_SCORE = 0.85;
/** A fuzzy winner must beat the next acceptable candidate by this much. */
export const FUZZY_MIN_MARGIN = 0.1;
/** Words this short (or containing a digit) are identifiers: "a" vs "b", "nyc" vs "sfo", "2024". */
const IDENTIFIER_MAX_LENGTH = 3;
/** Scores are ratios of small integers; compare them with a little slack. */
const EPSILON = 1e-9;

export type RuleVerdict = { ok: true } | { ok: false; reason: string };

const PASS: RuleVerdict = { ok: true };

/** 1 - edit distance / longer length, of two already normalized labels (0..1). */
export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** A word that names one thing among siblings rather than describing it. */
export function isIdentifierWord(word: string): boolean {
  return [...word].length <= IDENTIFIER_MAX_LENGTH || /\p{N}/u.test(word);
}

/**
 * Rule: never cross a distinguishing token. The identifier words (see isIdentifierWord) of what was
 * typed and of the candidate must be the same words, same count: "Venue C" is never "Venue A",
 * "Gala 2026" never "Gala 2024", "Venue" never "Venue A". Typos in long words are left to the others.
 */
export function keepsIdentifiers(typed: string, candidate: string): RuleVerdict {
  const extra = identifierWords(typed);
  const missing: string[] = [];
  for (const word of identifierWords(candidate)) {
    const index = extra.indexOf(word);
    if (index >= 0) extra.splice(index, 1);
    else missing.push(word);
  }
  if (extra.length === 0 && missing.length === 0) return PASS;
  if (missing.length === 0) return { ok: false, reason: `extra word '${extra.join(' ')}'` };
  if (extra.length === 0) return { ok: false, reason: `missing word '${missing.join(' ')}'` };
  return { ok: false, reason: `'${extra.join(' ')}' instead of '${missing.join(' ')}'` };
}

function identifierWords(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ').filter(isIdentifierWord);
}

/** Rule: a typo is a small difference; below FUZZY_MIN_SCORE it is another label. */
export function isCloseEnough(score: number): RuleVerdict {
  return score >= FUZZY_MIN_SCORE - EPSILON
    ? PASS
    : { ok: false, reason: `similarity ${score.toFixed(2)} is below ${FUZZY_MIN_SCORE}` };
}

/**
 * Rule: the typed label must be closer to the winner than to any label it may not become. If it is
 * at least as close to "Venue B Notes" (refused by keepsIdentifiers) as to the winner, the person
 * probably meant the refused one, and guessing the winner would be wrong.
 */
export function isCloserThanEveryRefused(best: number, closestRefused: number | undefined): RuleVerdict {
  return closestRefused === undefined || closestRefused < best - EPSILON
    ? PASS
    : { ok: false, reason: 'it is at least as close to a label it differs from in a distinguishing word' };
}

/** Rule: accept only a unique best: it must beat the next acceptable candidate by FUZZY_MIN_MARGIN. */
export function isClearlyAhead(best: number, runnerUp: number | undefined): RuleVerdict {
  return runnerUp === undefined || best - runnerUp >= FUZZY_MIN_MARGIN - EPSILON
    ? PASS
    : { ok: false, reason: 'too close to call' };
}

export interface FuzzyCandidate {
  /** The candidate's normalized label. */
  normalized: string;
  /** similarity(typed, normalized). */
  score: number;
}

export type FuzzyChoice<T extends FuzzyCandidate> =
  { ok: true; winner: T } | { ok: false; reason: string; rule: FuzzyRuleName; best?: T; runnerUp?: T };

export type FuzzyRuleName =
  'keepsIdentifiers' | 'isCloseEnough' | 'isCloserThanEveryRefused' | 'isClearlyAhead';

/**
 * Picks the one candidate a typed (normalized) label may fuzzily become, or says which rule refused.
 * `ranked` must be sorted by score, best first.
 */
export function chooseFuzzy<T extends FuzzyCandidate>(typed: string, ranked: readonly T[]): FuzzyChoice<T> {
  const keeps = ranked.map((candidate) => keepsIdentifiers(typed, candidate.normalized).ok);
  const acceptable = ranked.filter((_, index) => keeps[index]);
  const refused = ranked.find((_, index) => !keeps[index]);
  const best = acceptable[0];
  const runnerUp = acceptable[1];
  if (!best)
    return { ok: false, rule: 'keepsIdentifiers', reason: 'every label differs in a distinguishing word' };
  const checks: Array<[FuzzyRuleName, RuleVerdict]> = [
    ['isCloseEnough', isCloseEnough(best.score)],
    ['isCloserThanEveryRefused', isCloserThanEveryRefused(best.score, refused?.score)],
    ['isClearlyAhead', isClearlyAhead(best.score, runnerUp?.score)],
  ];
  for (const [rule, verdict] of checks) {
    if (!verdict.ok) {
      return { ok: false, rule, reason: verdict.reason, best, ...(runnerUp ? { runnerUp } : {}) };
    }
  }
  return { ok: true, winner: best };
}
