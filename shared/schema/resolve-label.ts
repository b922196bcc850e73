/**
 * Label -> HubSpot property resolution. Config names HubSpot properties by the label marketers see
 * ("Boat Brand"); the APIs need internal names (`boat_brand`). Resolution prefers refusing, with an
 * error that names the closest labels, over guessing.
 *
 * Rules, in order:
 *  1. Archived properties are never candidates (exact-label.ts).
 *  2. Exact: the normalized label equals a property's normalized label, or the input is a property's
 *     internal name, as typed or snake-cased (exact-label.ts). Two different properties -> ambiguous.
 *  3. Fuzzy, unless `exactOnly`: the rules of fuzzy-rules.ts. The venue checkbox sets `exactOnly`
 *     (venue-flag.ts): a near miss there could be another venue's checkbox.
 *  4. `expectType` last: a match of the wrong type is an error naming the actual type.
 */
import type { HubSpotProperty, HubSpotPropertyType } from './hubspot-property';
import { exactlyNames, liveProperties } from './exact-label';
import { chooseFuzzy, keepsIdentifiers, similarity, type FuzzyChoice } from './fuzzy-rules';
import { normalizeLabel, snakeCaseLabel } from './normalize';

/** Candidates listed in a "not found" message; far-off ones are noise, but the closest always shows. */
const CLOSEST_SHOWN = 3;
const SHOWN_MIN_SCORE = 0.5;

export interface ResolveLabelOptions {
  /** Refuse a match whose property type is not one of these (e.g. the venue flag must be `bool`). */
  expectType?: readonly HubSpotPropertyType[];
  /** Accept only an exact match; a near miss is refused with suggestions. @default false */
  exactOnly?: boolean;
}

export interface LabelCandidate {
  label: string;
  name: string;
  /** Similarity of the normalized labels, 0..1. */
  score: number;
  /** Why this candidate can never be chosen fuzzily for the input, e.g. "'c' instead of 'a'". */
  conflict?: string;
}

export type LabelProblemKind = 'not_found' | 'ambiguous' | 'type_mismatch' | 'other_venue_flag';

export interface LabelProblem {
  label: string;
  kind: LabelProblemKind;
  /** One line, ready for logs and the CLI. */
  message: string;
  /** Closest labels (not_found), the clashing properties (ambiguous) or the match (the others). */
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
  const resolved = new Map<string, HubSpotProperty>();
  const problems: LabelProblem[] = [];
  for (const match of matchLabels([...new Set(labels)], properties, options)) {
    if (match.ok) resolved.set(match.label, match.property);
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
  return matchIn(label, liveProperties(properties), options);
}

/** matchLabel for many labels (for `doctor`: report fuzzy matches and failures). */
export function matchLabels(
  labels: readonly string[],
  properties: readonly HubSpotProperty[],
  options: ResolveLabelOptions = {},
): LabelMatch[] {
  const live = liveProperties(properties);
  return labels.map((label) => matchIn(label, live, options));
}

function matchIn(label: string, live: readonly HubSpotProperty[], options: ResolveLabelOptions): LabelMatch {
  const found = find(label, live, options.exactOnly === true);
  if (!found.ok) return found;
  const expected = options.expectType;
  if (!expected || expected.length === 0 || (expected as readonly string[]).includes(found.property.type)) {
    return found;
  }
  const { property } = found;
  const problem: LabelProblem = {
    label,
    kind: 'type_mismatch',
    message:
      `label '${label}' resolved to property '${property.label}' (${property.name}) of type ` +
      `'${property.type}' (fieldType '${property.fieldType}'); expected ${expected.map((t) => `'${t}'`).join(' or ')}`,
    candidates: [{ label: property.label, name: property.name, score: found.score }],
  };
  return { ok: false, label, problem };
}

function find(label: string, live: readonly HubSpotProperty[], exactOnly: boolean): LabelMatch {
  const exact = live.flatMap((property) => {
    const how = exactlyNames(label, property);
    return how ? [{ property, how }] : [];
  });
  if (exact.length > 1)
    return refuse(
      label,
      ambiguous(
        label,
        exact.map((match) => match.property),
      ),
    );
  const single = exact[0];
  if (single) return { ok: true, label, property: single.property, how: single.how, score: 1 };

  const typed = normalizeLabel(label);
  const ranked = rank(typed, live);
  if (exactOnly) return refuse(label, notFoundExactOnly(label, typed, ranked));
  const choice = chooseFuzzy(typed, ranked);
  if (choice.ok) {
    const { property, score } = choice.winner;
    return { ok: true, label, property, how: 'fuzzy', score };
  }
  return refuse(label, notFoundFuzzy(label, typed, ranked, choice));
}

interface Ranked {
  property: HubSpotProperty;
  normalized: string;
  score: number;
}

/** Every live property scored against the typed label, best first (ties by label, for stable output). */
function rank(typed: string, live: readonly HubSpotProperty[]): Ranked[] {
  return live
    .map((property) => {
      const normalized = normalizeLabel(property.label);
      return { property, normalized, score: similarity(typed, normalized) };
    })
    .sort((a, b) => b.score - a.score || a.normalized.localeCompare(b.normalized));
}

function refuse(label: string, problem: LabelProblem): LabelMatch {
  return { ok: false, label, problem };
}

function ambiguous(label: string, properties: readonly HubSpotProperty[]): LabelProblem {
  return {
    label,
    kind: 'ambiguous',
    message: `label '${label}' is ambiguous: it matches ${properties
      .map((property) => `'${property.label}' (${property.name})`)
      .join(', ')}; rename one in HubSpot or give the internal name in the config`,
    candidates: properties.map((property) => ({ label: property.label, name: property.name, score: 1 })),
  };
}

function closest(typed: string, ranked: readonly Ranked[]): LabelCandidate[] {
  return ranked
    .filter((candidate, position) => position === 0 || candidate.score >= SHOWN_MIN_SCORE)
    .slice(0, CLOSEST_SHOWN)
    .map((candidate) => toCandidate(typed, candidate));
}

function toCandidate(typed: string, ranked: Ranked): LabelCandidate {
  const candidate: LabelCandidate = {
    label: ranked.property.label,
    name: ranked.property.name,
    score: ranked.score,
  };
  const identifiers = keepsIdentifiers(typed, ranked.normalized);
  if (!identifiers.ok) candidate.conflict = identifiers.reason;
  return candidate;
}

function describe(candidate: LabelCandidate): string {
  const score = candidate.score.toFixed(2);
  return `'${candidate.label}' (${candidate.conflict ? `${score}, ${candidate.conflict}` : score})`;
}

function notFoundMessage(label: string, candidates: readonly LabelCandidate[]): string {
  return candidates.length === 0
    ? `label '${label}' not found; HubSpot returned no contact properties`
    : `label '${label}' not found; closest: ${candidates.map(describe).join(', ')}`;
}

function notFoundExactOnly(label: string, typed: string, ranked: readonly Ranked[]): LabelProblem {
  const candidates = closest(typed, ranked);
  const message =
    `${notFoundMessage(label, candidates)}; only its exact label or internal name ` +
    `'${snakeCaseLabel(label)}' is accepted, never a similar one`;
  return { label, kind: 'not_found', message, candidates };
}

function notFoundFuzzy(
  label: string,
  typed: string,
  ranked: readonly Ranked[],
  choice: Extract<FuzzyChoice<Ranked>, { ok: false }>,
): LabelProblem {
  const candidates = closest(typed, ranked);
  const message =
    choice.rule === 'isClearlyAhead' && choice.best && choice.runnerUp
      ? `label '${label}' not found and too close to call between ` +
        `${describe(toCandidate(typed, choice.best))} and ${describe(toCandidate(typed, choice.runnerUp))}`
      : notFoundMessage(label, candidates);
  return { label, kind: 'not_found', message, candidates };
}
