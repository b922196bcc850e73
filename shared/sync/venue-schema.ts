/**
 * Everything a venue's labels resolve to, once per run: the flag (exactly, a checkbox, and no other
 * venue's), the field map (typos tolerated, see fuzzy-rules.ts) and the write-back properties (exactly). All labels are resolved together so one
 * error lists every problem.
 */
import type { VenueConfig } from '../config/app-config';
import {
  LabelResolutionError,
  fieldMapPropertyNames,
  otherVenueClaims,
  otherVenueFlagProblem,
  resolveFieldMap,
  resolveLabel,
  resolveVenueFlag,
  type HubSpotProperty,
  type LabelProblem,
  type ResolvedFieldMap,
} from '../schema';

export interface VenueSchema {
  flag: HubSpotProperty;
  fields: ResolvedFieldMap;
  writeBack: { status?: HubSpotProperty; leadId?: HubSpotProperty; syncedAt?: HubSpotProperty };
  /** Internal names a contact read must request. */
  readProperties: string[];
}

/** `id` only names the venue in errors. */
type VenueLabels = Pick<VenueConfig, 'syncFlagLabel' | 'fieldMap' | 'writeBack'> & { id?: string };

export interface ResolveVenueSchemaOptions {
  /**
   * Every OTHER venue's syncFlagLabel (the poller's OTHER_VENUE_FLAG_LABELS). The venue refuses a
   * checkbox that one of them names exactly, by label or by internal name.
   * @default [] - no cross-venue check (a single-venue caller, or an old deployment)
   */
  readonly otherVenueFlagLabels?: readonly string[];
}

export function resolveVenueSchema(
  venue: VenueLabels,
  properties: readonly HubSpotProperty[],
  options: ResolveVenueSchemaOptions = {},
): VenueSchema {
  const problems: LabelProblem[] = [];
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch (error) {
      if (!(error instanceof LabelResolutionError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };

  const flag = attempt(() => resolveVenueFlag(venue.syncFlagLabel, properties));
  if (flag) {
    for (const claim of otherVenueClaims(flag, options.otherVenueFlagLabels ?? [])) {
      problems.push(otherVenueFlagProblem(venue, flag, claim));
    }
  }
  const fields = attempt(() => resolveFieldMap(venue.fieldMap, properties));
  const writeBack: VenueSchema['writeBack'] = {};
  for (const [role, label] of Object.entries(venue.writeBack ?? {}) as Array<
    [keyof VenueSchema['writeBack'], string]
  >) {
    // Write-back properties belong to the venue like its checkbox: writing another venue's status is
    // as wrong as reading its box, so they match exactly too. Only field-map labels match fuzzily.
    const property = attempt(() => resolveLabel(label, properties, { exactOnly: true }));
    if (property) writeBack[role] = property;
  }
  if (problems.length > 0 || !flag || !fields) throw new LabelResolutionError(problems);
  return { flag, fields, writeBack, readProperties: fieldMapPropertyNames(fields) };
}
