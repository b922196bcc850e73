/**
 * The venue checkbox ("Tripleseat Sync - Venue A") decides which venue's Tripleseat a contact reaches,
 * so it is resolved by rule, never by similarity:
 *  - it matches only exactly: its label after normalization, or its internal name (the one
 *    `venue-sync setup` creates, snakeCaseLabel). A near miss is refused and the closest labels listed;
 *  - it must be a checkbox (HubSpot type `bool`);
 *  - it must not be a checkbox another venue's label names (otherVenueClaims): when B's checkbox is
 *    archived and A's is relabelled "Tripleseat Sync - Venue B", A still finds it by internal name and
 *    B by label, and both venues would read, and clear, the same box.
 */
import { exactlyNames, type ExactHow } from './exact-label';
import type { HubSpotProperty } from './hubspot-property';
import { LabelResolutionError, matchLabel, type LabelMatch, type LabelProblem } from './resolve-label';

const FLAG_OPTIONS = { expectType: ['bool'], exactOnly: true } as const;

/** The non-throwing form: the venue's checkbox, or why it cannot be used. */
export function matchVenueFlag(label: string, properties: readonly HubSpotProperty[]): LabelMatch {
  const match = matchLabel(label, properties, FLAG_OPTIONS);
  if (match.ok || match.problem.kind !== 'type_mismatch') return match;
  const message =
    `${match.problem.message}: the venue flag must be a HubSpot checkbox (type 'bool', fieldType 'booleancheckbox'); ` +
    `point the config at the checkbox or run 'venue-sync setup' to create it`;
  return { ...match, problem: { ...match.problem, message } };
}

/** The venue's checkbox; throws LabelResolutionError when it is missing, ambiguous or not a checkbox. */
export function resolveVenueFlag(label: string, properties: readonly HubSpotProperty[]): HubSpotProperty {
  const match = matchVenueFlag(label, properties);
  if (!match.ok) throw new LabelResolutionError([match.problem]);
  return match.property;
}

/** Another venue's flag label that names this property exactly, and how. */
export interface OtherVenueClaim {
  otherVenueFlagLabel: string;
  /** 'label': it is that venue's label; 'name': it carries the internal name setup gives that venue's box. */
  how: ExactHow;
}

/**
 * Every other venue whose flag label would resolve exactly to `flag`, by label or by internal name,
 * whether or not that label resolves uniquely: either way two venues could read one checkbox.
 */
export function otherVenueClaims(
  flag: Pick<HubSpotProperty, 'label' | 'name'>,
  otherVenueFlagLabels: readonly string[],
): OtherVenueClaim[] {
  return otherVenueFlagLabels.flatMap((otherVenueFlagLabel) => {
    const how = exactlyNames(otherVenueFlagLabel, flag);
    return how ? [{ otherVenueFlagLabel, how }] : [];
  });
}

/** The problem to report for a claimed checkbox, naming both venues and what to do. */
export function otherVenueFlagProblem(
  venue: { id?: string; syncFlagLabel: string },
  flag: Pick<HubSpotProperty, 'label' | 'name'>,
  claim: OtherVenueClaim,
): LabelProblem {
  const self = venue.id ? `venue '${venue.id}'` : `the venue with flag label '${venue.syncFlagLabel}'`;
  const why =
    claim.how === 'label'
      ? `its label is the flag label of the venue '${claim.otherVenueFlagLabel}'`
      : `its internal name is the one 'venue-sync setup' gives the checkbox of the venue '${claim.otherVenueFlagLabel}'`;
  return {
    label: venue.syncFlagLabel,
    kind: 'other_venue_flag',
    message:
      `${self}: flag label '${venue.syncFlagLabel}' resolved to '${flag.label}' (${flag.name}), but ${why}; ` +
      `both venues would read and clear one checkbox. Give each venue its own checkbox in HubSpot ` +
      `(restore or re-create the missing one with 'venue-sync setup', and relabel the other back)`,
    candidates: [{ label: flag.label, name: flag.name, score: 1 }],
  };
}
