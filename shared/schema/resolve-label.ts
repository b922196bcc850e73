/**
 * Label -> HubSpot property resolution. Config names HubSpot properties by the label marketers see
 * ("Tripleseat Sync - Venue A"); the APIs need internal names. This is the most safety-critical logic
 * of the product: the venue flag decides which venue's Tripleseat a contact reaches, so a typo must
 * never resolve to ANOTHER venue's checkbox. Resolution therefore prefers refusing (with an error
 * that names the closest labels) over guessing.
 *
 * Rules, in order:
 *  1. Exact: the normalized label (normalizeLabel: case, whitespace, dash variants, punctuation)
 *     equals a property's normalized label, or the input equals a property's internal name (as typed,
 *     or snake-cased: "Tripleseat Sync Venue A" -> `tripleseat_sync_venue_a`).
 *  2. Two or more different properties match exactly -> ambiguous, refused.
 *  3. Fuzzy, only when all hold:
 *     - similarity (1 - levenshtein / longer length, on normalized labels) >= FUZZY_MIN_SCORE;
 *     - the candidate does not differ from the input in a distinguishing token (see below); candidates
 *       that do are out of the race entirely (they can never be chosen);
 *     - it beats every other eligible candidate by >= FUZZY_MIN_MARGIN;
 *     - no disqualified candidate scores higher (the input is closer to something distinguished).
 *  4. `expectType` is checked last: a match of the wrong type is an error naming the actual type.
 *
 * Distinguishing token: words are aligned (with merges/splits, so "Triple Seat" ~ "Tripleseat") and a
 * difference is disqualifying when
 *  - either word is a short identifier: 3 characters or fewer, or containing a digit ("a" vs "b",
 *    "nyc" vs "sfo", "2024" vs "2025");
 *  - the candidate's word sits at a variable slot of its label family: another label of the same word
 *    count that shares at least one word at the same position differs there ("Harbor" in
 *    "Tripleseat Sync - Harbor" when "Tripleseat Sync - Marina" exists), or another label is the
 *    same but for that one word ("Marina" in "Tripleseat Sync - Marina" when "... - Venue A" exists);
 *  - the input's word appears at that position in another label of the same word count (the input
 *    names something that exists);
 *  - a word is missing or extra ("Tripleseat Sync - Venue" vs "... - Venue A").
 * Typos in long, fixed words ("Tripelseat", "Venu", "Synk") remain tolerated.
 */
import { distance } from 'fastest-levenshtein';
import type { HubSpotProperty, HubSpotPropertyType } from './hubspot-property';
import { normalizeLabel } from './normalize';

/** Minimum similarity (0..1) for a fuzzy match. One typo in a 20-character label scores ~0.95. */
export const FUZZY_MIN_SCORE = 0.85;
/** A fuzzy winner must beat the next eligible candidate by this much. */
export const FUZZY_MIN_MARGIN = 0.1;
/** Words this short (or containing a digit) are identifiers: any difference in them is meaningful. */
const SHORT_IDENTIFIER_MAX_LENGTH = 3;
/** Candidates listed in a "not found" message. */
const CLOSEST_SHOWN = 3;
const SHOWN_MIN_SCORE = 0.5;
const EPSILON = 1e-9;

export interface ResolveLabelOptions {
  /** Refuse a match whose property type is not one of these (e.g. the venue flag must be `bool`). */
  expectType?: readonly HubSpotPropertyType[];
}

export interface LabelCandidate {
  label: string;
  name: string;
  /** Similarity of the normalized labels, 0..1. */
  score: number;
  /** Why this candidate can never be chosen for the input, e.g. "'c' instead of 'a'". */
  conflict?: string;
}

export type LabelProblemKind = 'not_found' | 'ambiguous' | 'type_mismatch';

export interface LabelProblem {
  label: string;
  kind: LabelProblemKind;
  /** One line, ready for logs and the CLI. */
  message: string;
  /** Closest labels (not_found), the clashing properties (ambiguous) or the match (type_mismatch). */
  candidates: LabelCandidate[];
}

export type LabelMatchHow = 'label' | 'name' | 'fuzzy';

export type LabelMatch =
  | { ok: true; label: string; property: HubSpotProperty; how: LabelMatchHow; score: number }
  | { ok: false; label: string; problem: LabelProblem };

/** One error for every label that could not be resolved, so a config is fixed in one pass. */
export class LabelResolutionError extends Error {
  override readonly name = 'LabelResolutionError';
  constructor(readonly problems: readonly LabelProblem[]) {
    super(describeProblems(problems));
  }

  /** The labels that failed, in input order. */
  get labels(): string[] {
    return this.problems.map((problem) => problem.label);
  }
}

function describeProblems(problems: readonly LabelProblem[]): string {
  const hint =
    'Fix the label in the venue config or the property in HubSpot (labels match ignoring case, spaces, dashes and punctuation).';
  if (problems.length === 1) return `${problems[0]?.message ?? ''}. ${hint}`;
  return `${problems.length} HubSpot labels could not be resolved:\n${problems
    .map((problem) => `  - ${problem.message}`)
    .join('\n')}\n${hint}`;
}

/** Similarity of two labels after normalization: 1 - edit distance / longer length (0..1). */
export function labelSimilarity(a: string, b: string): number {
  return similarity(normalizeLabel(a), normalizeLabel(b));
}

function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** The internal name HubSpot-style tools derive from a label: "Venue A" -> `venue_a`. */
export function snakeCaseLabel(label: string): string {
  return normalizeLabel(label).replace(/ /g, '_');
}

/** Resolves one label or throws LabelResolutionError. */
export function resolveLabel(
  label: string,
  properties: readonly HubSpotProperty[],
  options: ResolveLabelOptions = {},
): HubSpotProperty {
  const match = matchLabel(label, properties, options);
  if (!match.ok) throw new LabelResolutionError([match.problem]);
  return match.property;
}

/**
 * Resolves every label (duplicates once) to its property; throws ONE LabelResolutionError that names
 * every unresolved label. The map is keyed by the labels exactly as given.
 */
export function resolveLabels(
  labels: readonly string[],
  properties: readonly HubSpotProperty[],
  options: ResolveLabelOptions = {},
): Map<string, HubSpotProperty> {
  const index = new PropertyIndex(properties);
  const resolved = new Map<string, HubSpotProperty>();
  const problems: LabelProblem[] = [];
  for (const label of new Set(labels)) {
    const match = index.match(label, options);
    if (match.ok) resolved.set(label, match.property);
    else problems.push(match.problem);
  }
  if (problems.length > 0) throw new LabelResolutionError(problems);
  return resolved;
}

/** The non-throwing form: how a label resolved (exact label, internal name, fuzzy + score) or why not. */
export function matchLabel(
  label: string,
  properties: readonly HubSpotProperty[],
  options: ResolveLabelOptions = {},
): LabelMatch {
  return new PropertyIndex(properties).match(label, options);
}

/** matchLabel for many labels over one index (for `doctor`: report fuzzy matches and failures). */
export function matchLabels(
  labels: readonly string[],
  properties: readonly HubSpotProperty[],
  options: ResolveLabelOptions = {},
): LabelMatch[] {
  const index = new PropertyIndex(properties);
  return labels.map((label) => index.match(label, options));
}

interface Entry {
  property: HubSpotProperty;
  normalized: string;
  tokens: string[];
}

interface ScoredEntry {
  entry: Entry;
  score: number;
  conflict: string | undefined;
}

class PropertyIndex {
  private readonly entries: Entry[];
  private readonly byWordCount = new Map<number, Entry[]>();

  constructor(properties: readonly HubSpotProperty[]) {
    // Archived properties cannot be read or written through the CRM API: never resolve to one.
    this.entries = properties
      .filter((property) => property.archived !== true)
      .map((property) => {
        const normalized = normalizeLabel(property.label);
        return { property, normalized, tokens: normalized === '' ? [] : normalized.split(' ') };
      });
    for (const entry of this.entries) {
      const group = this.byWordCount.get(entry.tokens.length) ?? [];
      group.push(entry);
      this.byWordCount.set(entry.tokens.length, group);
    }
  }

  match(label: string, options: ResolveLabelOptions): LabelMatch {
    const found = this.find(label);
    if (!found.ok) return found;
    const expected = options.expectType;
    if (expected && expected.length > 0 && !(expected as readonly string[]).includes(found.property.type)) {
      const { property } = found;
      return {
        ok: false,
        label,
        problem: {
          label,
          kind: 'type_mismatch',
          message:
            `label '${label}' resolved to property '${property.label}' (${property.name}) of type ` +
            `'${property.type}' (fieldType '${property.fieldType}'); expected ${expected.map((t) => `'${t}'`).join(' or ')}`,
          candidates: [{ label: property.label, name: property.name, score: found.score }],
        },
      };
    }
    return found;
  }

  private find(label: string): LabelMatch {
    const normalized = normalizeLabel(label);
    const snake = snakeCaseLabel(label);
    const byLabel = this.entries.filter((entry) => normalized !== '' && entry.normalized === normalized);
    const byName = this.entries.filter(
      (entry) => entry.property.name === label || (snake !== '' && entry.property.name === snake),
    );
    const exact = uniqueByName([...byLabel, ...byName]);
    if (exact.length > 1) {
      return {
        ok: false,
        label,
        problem: {
          label,
          kind: 'ambiguous',
          message:
            `label '${label}' is ambiguous: it matches ${exact
              .map((entry) => `'${entry.property.label}' (${entry.property.name})`)
              .join(', ')}; ` + `rename one in HubSpot or give the internal name in the config`,
          candidates: exact.map((entry) => ({
            label: entry.property.label,
            name: entry.property.name,
            score: 1,
          })),
        },
      };
    }
    const single = exact[0];
    if (single) {
      return {
        ok: true,
        label,
        property: single.property,
        how: byLabel.length > 0 ? 'label' : 'name',
        score: 1,
      };
    }
    return this.fuzzy(label, normalized);
  }

  private fuzzy(label: string, normalized: string): LabelMatch {
    const inputTokens = normalized === '' ? [] : normalized.split(' ');
    const scored: ScoredEntry[] = this.entries
      .map((entry) => ({ entry, score: similarity(normalized, entry.normalized), conflict: undefined }))
      .sort((a, b) => b.score - a.score || a.entry.normalized.localeCompare(b.entry.normalized));
    // Conflicts only matter for candidates that could win or that could block a winner.
    const relevantFloor = FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN - EPSILON;
    for (const [position, candidate] of scored.entries()) {
      if (candidate.score >= relevantFloor || position < CLOSEST_SHOWN) {
        candidate.conflict = this.distinguishingDifference(inputTokens, candidate.entry);
      }
    }
    const eligible = scored.filter((candidate) => candidate.conflict === undefined);
    const best = eligible[0];
    const runnerUp = eligible[1];
    const bestDisqualified = scored.find((candidate) => candidate.conflict !== undefined);
    const accepted =
      best !== undefined &&
      best.score >= FUZZY_MIN_SCORE - EPSILON &&
      (runnerUp === undefined || best.score - runnerUp.score >= FUZZY_MIN_MARGIN - EPSILON) &&
      (bestDisqualified === undefined || bestDisqualified.score <= best.score + EPSILON);
    if (accepted && best) {
      return { ok: true, label, property: best.entry.property, how: 'fuzzy', score: best.score };
    }

    // Far-off labels are noise in the message; the single closest is always shown.
    const closest = scored
      .filter((candidate, position) => position === 0 || candidate.score >= SHOWN_MIN_SCORE)
      .slice(0, CLOSEST_SHOWN)
      .map(toCandidate);
    const shown = closest.map(describeCandidate).join(', ');
    let message: string;
    if (closest.length === 0) message = `label '${label}' not found; HubSpot returned no contact properties`;
    else if (
      best !== undefined &&
      runnerUp !== undefined &&
      best.score >= FUZZY_MIN_SCORE - EPSILON &&
      best.score - runnerUp.score < FUZZY_MIN_MARGIN - EPSILON
    ) {
      message =
        `label '${label}' not found and too close to call between ` +
        `${describeCandidate(toCandidate(best))} and ${describeCandidate(toCandidate(runnerUp))}`;
    } else message = `label '${label}' not found; closest: ${shown}`;
    return { ok: false, label, problem: { label, kind: 'not_found', message, candidates: closest } };
  }

  /** A description of the first disqualifying word difference, or undefined if there is none. */
  private distinguishingDifference(inputTokens: readonly string[], candidate: Entry): string | undefined {
    for (const step of alignTokens(inputTokens, candidate.tokens)) {
      const typed = step.input.join('');
      const wanted = step.candidate.join('');
      if (typed === wanted) continue;
      if (step.candidate.length === 0) return `extra word '${step.input.join(' ')}'`;
      if (step.input.length === 0) return `missing word '${step.candidate.join(' ')}'`;
      const differs = `'${step.input.join(' ')}' instead of '${step.candidate.join(' ')}'`;
      if (isShortIdentifier(typed) || isShortIdentifier(wanted)) return differs;
      for (let offset = 0; offset < step.candidate.length; offset += 1) {
        const position = step.candidateStart + offset;
        if (this.isVariableSlot(candidate, position)) return differs;
      }
      if (step.input.length === 1 && this.appearsElsewhereAt(typed, step.candidateStart, candidate))
        return differs;
    }
    return undefined;
  }

  /**
   * The word at `position` is where this label's family varies: another label of the same word count
   * shares a word in place but differs here, or another label is this one with only this word
   * replaced (by any number of words, e.g. "Tripleseat Sync - Marina" vs "... - Venue A").
   */
  private isVariableSlot(candidate: Entry, position: number): boolean {
    const family = this.byWordCount.get(candidate.tokens.length) ?? [];
    const positional = family.some(
      (other) =>
        other.normalized !== candidate.normalized &&
        other.tokens[position] !== candidate.tokens[position] &&
        other.tokens.some((token, index) => index !== position && token === candidate.tokens[index]),
    );
    return (
      positional || this.entries.some((other) => isOnlyDifference(candidate.tokens, other.tokens, position))
    );
  }

  /** The typed word is what another label of the same word count has at this position. */
  private appearsElsewhereAt(word: string, position: number, candidate: Entry): boolean {
    const family = this.byWordCount.get(candidate.tokens.length) ?? [];
    return family.some(
      (other) => other.normalized !== candidate.normalized && other.tokens[position] === word,
    );
  }
}

/** `other` = `words` with exactly the word at `position` replaced, sharing at least one word around it. */
function isOnlyDifference(words: readonly string[], other: readonly string[], position: number): boolean {
  const limit = Math.min(words.length, other.length);
  let prefix = 0;
  while (prefix < limit && words[prefix] === other[prefix]) prefix += 1;
  if (prefix !== position) return false;
  let suffix = 0;
  while (suffix < limit - prefix && words[words.length - 1 - suffix] === other[other.length - 1 - suffix]) {
    suffix += 1;
  }
  return prefix + suffix >= 1 && words.length - prefix - suffix === 1;
}

function toCandidate(scored: ScoredEntry): LabelCandidate {
  const candidate: LabelCandidate = {
    label: scored.entry.property.label,
    name: scored.entry.property.name,
    score: scored.score,
  };
  if (scored.conflict !== undefined) candidate.conflict = scored.conflict;
  return candidate;
}

function describeCandidate(candidate: LabelCandidate): string {
  const score = candidate.score.toFixed(2);
  return `'${candidate.label}' (${candidate.conflict ? `${score}, ${candidate.conflict}` : score})`;
}

function uniqueByName(entries: readonly Entry[]): Entry[] {
  const seen = new Map<string, Entry>();
  for (const entry of entries) if (!seen.has(entry.property.name)) seen.set(entry.property.name, entry);
  return [...seen.values()];
}

function isShortIdentifier(word: string): boolean {
  return [...word].length <= SHORT_IDENTIFIER_MAX_LENGTH || /\p{N}/u.test(word);
}

interface AlignmentStep {
  input: string[];
  candidate: string[];
  /** Index of the first candidate word of this step (or where a missing input word would go). */
  candidateStart: number;
}

type Move = 'sub' | 'del' | 'ins' | 'merge' | 'split';

/**
 * Aligns two word lists by minimum character edits, allowing one word to pair with two joined words
 * (merge/split) so "triple seat" ~ "tripleseat" is a match, not a missing word.
 */
export function alignTokens(input: readonly string[], candidate: readonly string[]): AlignmentStep[] {
  const rows = input.length + 1;
  const cols = candidate.length + 1;
  const cost: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(Infinity));
  const move: (Move | undefined)[][] = Array.from({ length: rows }, () => new Array<Move | undefined>(cols));
  const word = (list: readonly string[], index: number): string => list[index] ?? '';
  const at = (i: number, j: number): number => cost[i]?.[j] ?? Infinity;
  const set = (i: number, j: number, value: number, how: Move): void => {
    const row = cost[i];
    const moves = move[i];
    if (row && moves && value < (row[j] ?? Infinity)) {
      row[j] = value;
      moves[j] = how;
    }
  };
  (cost[0] as number[])[0] = 0;
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < cols; j += 1) {
      if (i > 0 && j > 0)
        set(i, j, at(i - 1, j - 1) + distance(word(input, i - 1), word(candidate, j - 1)), 'sub');
      if (i > 0) set(i, j, at(i - 1, j) + word(input, i - 1).length + 1, 'del');
      if (j > 0) set(i, j, at(i, j - 1) + word(candidate, j - 1).length + 1, 'ins');
      if (i > 1 && j > 0) {
        const joined = word(input, i - 2) + word(input, i - 1);
        set(i, j, at(i - 2, j - 1) + distance(joined, word(candidate, j - 1)) + 1, 'merge');
      }
      if (i > 0 && j > 1) {
        const joined = word(candidate, j - 2) + word(candidate, j - 1);
        set(i, j, at(i - 1, j - 2) + distance(word(input, i - 1), joined) + 1, 'split');
      }
    }
  }
  const steps: AlignmentStep[] = [];
  let i = input.length;
  let j = candidate.length;
  while (i > 0 || j > 0) {
    const how = move[i]?.[j];
    const di = how === 'sub' || how === 'del' || how === 'split' ? 1 : how === 'merge' ? 2 : 0;
    const dj = how === 'sub' || how === 'ins' || how === 'merge' ? 1 : how === 'split' ? 2 : 0;
    if (di === 0 && dj === 0) break; // unreachable: every cell but (0,0) has a move
    steps.push({
      input: input.slice(i - di, i),
      candidate: candidate.slice(j - dj, j),
      candidateStart: j - dj,
    });
    i -= di;
    j -= dj;
  }
  return steps.reverse();
}
