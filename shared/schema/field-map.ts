/**
 * A venue's field map (Tripleseat lead field -> HubSpot label, see config/app-config.ts) resolved
 * against the contact properties HubSpot returned: every label becomes an internal property name the
 * search and batch-read calls can request, and the lead mapper can read.
 */
import type { FieldMap } from '../config/app-config';
import type { TripleseatLeadField } from '../config/tripleseat-fields';
import type { HubSpotProperty, HubSpotPropertyOption } from './hubspot-property';
import { resolveLabels } from './resolve-label';

/** One mapped HubSpot property: the configured label and what it resolved to. */
export interface ResolvedField {
  /** The label as configured; additional_information lines are titled with it ("Boat Brand: X"). */
  label: string;
  /** The internal property name to read from the contact. */
  propertyName: string;
  /** HubSpot property type, when known. */
  type?: string;
  /** Enumeration options, so stored values ("boat_brand_1") can be shown by label. */
  options?: readonly Pick<HubSpotPropertyOption, 'label' | 'value'>[];
}

/** Tripleseat lead field -> resolved property; additional_information may collect several. */
export type ResolvedFieldMap = Partial<Record<TripleseatLeadField, ResolvedField | readonly ResolvedField[]>>;

/**
 * Resolves every label of the field map at once; throws ONE LabelResolutionError naming each label
 * that is missing, ambiguous or only loosely similar to an existing one.
 */
export function resolveFieldMap(
  fieldMap: FieldMap,
  properties: readonly HubSpotProperty[],
): ResolvedFieldMap {
  const labels = Object.values(fieldMap).flatMap((entry) => (Array.isArray(entry) ? entry : [entry]));
  const resolved = resolveLabels(labels, properties);
  const toField = (label: string): ResolvedField => {
    const property = resolved.get(label);
    // resolveLabels throws unless every label resolved, so this is a programming error.
    if (!property) throw new Error(`label '${label}' missing from its own resolution`);
    const field: ResolvedField = { label, propertyName: property.name, type: property.type };
    if (property.options.length > 0) {
      field.options = property.options.map((option) => ({ label: option.label, value: option.value }));
    }
    return field;
  };
  const result: ResolvedFieldMap = {};
  for (const [field, entry] of Object.entries(fieldMap)) {
    // Unknown lead fields are rejected by validateAppConfig; this cast only narrows the key type.
    const key = field as TripleseatLeadField;
    result[key] = Array.isArray(entry) ? entry.map(toField) : toField(entry);
  }
  return result;
}

/** The internal property names a contact read must request for this field map (deduplicated). */
export function fieldMapPropertyNames(fieldMap: ResolvedFieldMap): string[] {
  const names = Object.values(fieldMap).flatMap((entry) =>
    entry === undefined ? [] : (Array.isArray(entry) ? entry : [entry]).map((field) => field.propertyName),
  );
  return [...new Set(names)];
}
