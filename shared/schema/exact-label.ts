/**
 * Exact label matching, the only kind the venue checkbox accepts and the first kind tried for every
 * label: the label equals the property's label after normalizeLabel, or it is the property's internal
 * name, as typed or as `venue-sync setup` derives it (snakeCaseLabel).
 */
import type { HubSpotProperty } from './hubspot-property';
import { normalizeLabel, snakeCaseLabel } from './normalize';

export type ExactHow = 'label' | 'name';

/** How `label` names `property` exactly ('label' wins when both hold), or undefined if it does not. */
export function exactlyNames(
  label: string,
  property: Pick<HubSpotProperty, 'label' | 'name'>,
): ExactHow | undefined {
  const normalized = normalizeLabel(label);
  if (normalized !== '' && normalizeLabel(property.label) === normalized) return 'label';
  const snake = snakeCaseLabel(label);
  if (property.name === label || (snake !== '' && property.name === snake)) return 'name';
  return undefined;
}

/** Archived properties cannot be read or written through the CRM objects API: never resolve to one. */
export function liveProperties(properties: readonly HubSpotProperty[]): HubSpotProperty[] {
  return properties.filter((property) => property.archived !== true);
}
