/**
 * The run's field plan: each configured HubSpot label resolved to its property (a label that does not
 * resolve fails the run, naming all), and each Webex field checked against what the source can read.
 * A field the source lacks is left out with a warning naming it and its label; the run goes on.
 */
import type { HubSpotProperty } from '../../schema';
import { resolveLabels } from '../../schema';
import type { WebexFieldMap } from '../../webex/fields';
import type { DecisionLog } from '../decision-log';
import type { WebexSourcePort } from '../ports';
import type { ResolvedWebexField } from '../webex-mapper';
import type { MissingWebexField } from './report';

export interface WebexFieldPlan {
  /** The fields to read and map (readable ones only). */
  fields: ResolvedWebexField[];
  missing: MissingWebexField[];
}

export async function planWebexFields(
  fieldMap: WebexFieldMap,
  properties: readonly HubSpotProperty[],
  webex: WebexSourcePort,
  log: DecisionLog,
): Promise<WebexFieldPlan> {
  const labels = Object.keys(fieldMap);
  const resolved = resolveLabels(labels, [...properties]);
  const all: ResolvedWebexField[] = labels.map((label) => {
    const property = resolved.get(label);
    const field = fieldMap[label];
    // resolveLabels throws unless every label resolved: a programming error otherwise.
    if (!property || !field) throw new Error(`label '${label}' missing from its own resolution`);
    return { label, field, property };
  });
  const { missing } = await webex.readableFields([...new Set(all.map((entry) => entry.field))]);
  const absent = new Set(missing);
  const missingFields = all
    .filter((entry) => absent.has(entry.field))
    .map(({ label, field }) => ({ label, field }));
  for (const { label, field } of missingFields) {
    log.warn(
      "Webex field not in this account's schema; syncing without it (HubSpot property left unchanged)",
      {
        field,
        label,
        fix: `remove '${label}' from webex.fieldMap or map it to a field the schema has (venue-sync doctor lists them)`,
      },
    );
  }
  return { fields: all.filter((entry) => !absent.has(entry.field)), missing: missingFields };
}
