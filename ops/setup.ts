/**
 * `venue-sync setup <venue>`: creates, idempotently, the HubSpot property group "venue-sync" and the
 * venue's properties (its checkbox and the write-back properties) from `venuePropertySpecs`. A
 * property counts as present when its label resolves through the same resolver the poller uses; a
 * near miss ("Tripleseat Sync - Venu A") is reported and never duplicated, because a second, almost
 * identical checkbox is exactly how contacts end up at the wrong venue.
 */
import { distance } from 'fastest-levenshtein';
import type { VenueConfig } from '../shared/config/app-config';
import {
  FUZZY_MIN_SCORE,
  matchLabel,
  normalizeLabel,
  type HubSpotProperty,
  type HubSpotPropertyType,
} from '../shared/schema';
import { VENUE_SYNC_GROUP, venuePropertySpecs, type PropertySpec } from '../shared/setup/venue-properties';

export interface SetupPort {
  listProperties(): Promise<HubSpotProperty[]>;
  listGroups(): Promise<Array<{ name: string; label: string }>>;
  createGroup(group: { name: string; label: string }): Promise<void>;
  createProperty(spec: PropertySpec): Promise<void>;
}

export type SetupItemState =
  /** Resolves exactly (by label or internal name): nothing to do. */
  | 'present'
  /** Resolves only fuzzily, or is too close to an existing label: fix the label, nothing created. */
  | 'near-miss'
  /** Exists with the wrong type, or clashes: an admin must look. */
  | 'conflict'
  | 'created'
  | 'would-create';

export interface SetupItem {
  label: string;
  name: string;
  type: string;
  state: SetupItemState;
  /** The existing property it resolved to or nearly matched. */
  existing?: { label: string; name: string; score: number };
  message?: string;
}

export interface SetupResult {
  venueId: string;
  dryRun: boolean;
  group: { name: string; label: string; state: 'present' | 'created' | 'would-create' };
  properties: SetupItem[];
  /** False when a near miss or conflict needs a person. */
  ok: boolean;
}

export async function setupVenue(
  venue: VenueConfig,
  hubspot: SetupPort,
  options: { dryRun: boolean },
): Promise<SetupResult> {
  const groups = await hubspot.listGroups();
  const groupPresent = groups.some(
    (group) =>
      group.name === VENUE_SYNC_GROUP.name ||
      normalizeLabel(group.label) === normalizeLabel(VENUE_SYNC_GROUP.label),
  );
  const result: SetupResult = {
    venueId: venue.id,
    dryRun: options.dryRun,
    group: {
      ...VENUE_SYNC_GROUP,
      state: groupPresent ? 'present' : options.dryRun ? 'would-create' : 'created',
    },
    properties: [],
    ok: true,
  };
  if (!groupPresent && !options.dryRun) await hubspot.createGroup(VENUE_SYNC_GROUP);

  const properties = await hubspot.listProperties();
  for (const spec of venuePropertySpecs(venue)) {
    const item = classify(spec, properties);
    if (item.state === 'would-create' && !options.dryRun) {
      await hubspot.createProperty(spec);
      item.state = 'created';
    }
    if (item.state === 'near-miss' || item.state === 'conflict') result.ok = false;
    result.properties.push(item);
  }
  return result;
}

function classify(spec: PropertySpec, properties: readonly HubSpotProperty[]): SetupItem {
  const base = { label: spec.label, name: spec.name, type: spec.type };
  // The checkbox must be a checkbox; write-back properties are written as text, any type HubSpot takes.
  const expectType: HubSpotPropertyType[] | undefined = spec.type === 'bool' ? ['bool'] : undefined;
  const match = matchLabel(spec.label, properties, expectType ? { expectType } : {});
  if (match.ok) {
    const existing = { label: match.property.label, name: match.property.name, score: match.score };
    if (match.how === 'fuzzy') {
      return {
        ...base,
        state: 'near-miss',
        existing,
        message:
          `HubSpot has '${match.property.label}' (${match.property.name}, similarity ${match.score.toFixed(2)}); ` +
          `the poller would use it. Rename it in HubSpot to '${spec.label}' or put its exact label in the config; ` +
          'not creating a second one',
      };
    }
    return { ...base, state: 'present', existing };
  }
  const problem = match.problem;
  if (problem.kind === 'type_mismatch' || problem.kind === 'ambiguous') {
    const first = problem.candidates[0];
    return {
      ...base,
      state: 'conflict',
      ...(first ? { existing: { label: first.label, name: first.name, score: first.score } } : {}),
      message: problem.message,
    };
  }
  // Not found. A close candidate that differs only by a typo is a near miss; one that differs in a
  // distinguishing word (another venue's checkbox) is a different property and no reason to hold back.
  const close = problem.candidates.find(
    (candidate) =>
      candidate.score >= FUZZY_MIN_SCORE &&
      (candidate.conflict === undefined || isTypoOf(spec.label, candidate.label)),
  );
  if (close) {
    return {
      ...base,
      state: 'near-miss',
      existing: { label: close.label, name: close.name, score: close.score },
      message: `${problem.message}; fix the near-miss label in HubSpot or the config instead of adding another`,
    };
  }
  const taken = properties.find((property) => property.name === spec.name && property.archived !== true);
  if (taken) {
    return {
      ...base,
      state: 'conflict',
      existing: { label: taken.label, name: taken.name, score: 0 },
      message: `internal name '${spec.name}' is taken by '${taken.label}'; rename that property or the label`,
    };
  }
  return { ...base, state: 'would-create' };
}

/**
 * The resolver refuses a HubSpot label with a typo in a word its siblings vary in ("Venu C" next to
 * "Venue A"), which is right for the poller (never guess) but would make setup add a second property
 * next to the misspelt one. For setup, a label that differs only by typos in long words (not in short
 * identifiers like "A"/"C" or numbers) is the same property, misspelt.
 */
export function isTypoOf(wanted: string, existing: string): boolean {
  const a = normalizeLabel(wanted).split(' ');
  const b = normalizeLabel(existing).split(' ');
  if (a.length !== b.length) return false;
  return a.every((word, index) => {
    const other = b[index] ?? '';
    if (word === other) return true;
    const identifier = (text: string) => text.length <= 3 || /\p{N}/u.test(text);
    if (identifier(word) || identifier(other)) return false;
    return 1 - distance(word, other) / Math.max(word.length, other.length) >= 0.6;
  });
}

export function renderSetup(result: SetupResult): string {
  const lines = [
    `${result.dryRun ? 'Dry run: ' : ''}HubSpot properties for venue '${result.venueId}'`,
    `  group ${result.group.label} (${result.group.name}): ${result.group.state}`,
  ];
  for (const item of result.properties) {
    const existing =
      item.existing && item.state !== 'would-create' && item.state !== 'created'
        ? ` -> '${item.existing.label}' (${item.existing.name})`
        : '';
    lines.push(`  ${item.state.padEnd(12)} ${item.label} [${item.type}] ${item.name}${existing}`);
    if (item.message) lines.push(`               ${item.message}`);
  }
  if (!result.ok) lines.push('Some properties need a person: see the messages above.');
  return lines.join('\n');
}
