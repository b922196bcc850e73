/**
 * Which configured Webex fields the account's schema can serve, as doctor check lines (pure). A field
 * the schema lacks does not stop the sync (the run leaves it out and warns), but its HubSpot property
 * is never filled, so doctor fails the line and says what to do.
 */
import { isWebexField, type WebexField } from './fields';

/** Same shape as doctor's CheckRow, so its rows can be pushed as they are. */
export interface WebexFieldCheckRow {
  check: string;
  status: 'pass' | 'fail';
  detail: string;
  next?: string;
}

/**
 * @param schemaFields the field names the schema can serve (WebexClient.readableFields(...).readable)
 * @param configuredFieldMap HubSpot label -> Webex field name, as configured (`webex.fieldMap`)
 */
export function webexFieldReport(
  schemaFields: Iterable<string>,
  configuredFieldMap: Readonly<Record<string, string>>,
): WebexFieldCheckRow[] {
  const available = new Set(schemaFields);
  const missing = Object.entries(configuredFieldMap).filter(
    ([, field]) => isWebexField(field) && !available.has(field),
  );
  if (missing.length === 0) {
    return [
      {
        check: 'webex fields',
        status: 'pass',
        detail: `all ${Object.keys(configuredFieldMap).length} mapped Webex field(s) exist in the account's schema`,
      },
    ];
  }
  return missing.map(([label, field]) => ({
    check: `webex field ${field}`,
    status: 'fail',
    detail: `'${field}' (HubSpot '${label}') is not in this Webex account's schema; the sync leaves '${label}' empty`,
    next: `remove '${label}' from webex.fieldMap, or map it to a field the schema has${field === 'email' ? " (without 'email' no attendee can be synced: ask Webex support which field holds the attendee's email)" : ''}`,
  }));
}

/** The field names of a field map (labels dropped), for WebexClient.readableFields. */
export function mappedWebexFields(configuredFieldMap: Readonly<Record<string, string>>): WebexField[] {
  return [...new Set(Object.values(configuredFieldMap).filter(isWebexField))];
}
