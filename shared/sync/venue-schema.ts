/**
 * Everything a venue's labels resolve to, once per run: the flag (must be a checkbox), the field map
 * and the write-back properties. All labels are resolved together so one error lists every problem.
 */
import type { VenueConfig } from '../config/app-config';
import {
  LabelResolutionError,
  fieldMapPropertyNames,
  resolveFieldMap,
  resolveLabel,
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

type VenueLabels = Pick<VenueConfig, 'syncFlagLabel' | 'fieldMap' | 'writeBack'>;

export function resolveVenueSchema(venue: VenueLabels, properties: readonly HubSpotProperty[]): VenueSchema {
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

  const flag = attempt(() => resolveLabel(venue.syncFlagLabel, properties, { expectType: ['bool'] }));
  const fields = attempt(() => resolveFieldMap(venue.fieldMap, properties));
  const writeBack: VenueSchema['writeBack'] = {};
  for (const [role, label] of Object.entries(venue.writeBack ?? {}) as Array<
    [keyof VenueSchema['writeBack'], string]
  >) {
    const property = attempt(() => resolveLabel(label, properties));
    if (property) writeBack[role] = property;
  }
  if (problems.length > 0 || !flag || !fields) throw new LabelResolutionError(problems);
  return { flag, fields, writeBack, readProperties: fieldMapPropertyNames(fields) };
}
