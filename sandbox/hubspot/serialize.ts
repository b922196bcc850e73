/** Contact records -> the API's `SimplePublicObject` JSON shapes. */
import type { ContactRecord, ContactStore, HistoryEntry } from './state';

/** Returned when a read names no properties (GET, batch read, search). */
export const DEFAULT_READ_PROPERTIES = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];
/** Always returned alongside explicitly requested properties. */
const ALWAYS = ['createdate', 'hs_object_id', 'lastmodifieddate'];

export function propertyNamesFor(store: ContactStore, requested: string[] | undefined): string[] {
  const known = (requested ?? []).filter((name) => store.properties.has(name));
  if (!requested || requested.length === 0) return DEFAULT_READ_PROPERTIES;
  return [...new Set([...known, ...ALWAYS])];
}

export function historyToJson(entries: HistoryEntry[]): Array<Record<string, string>> {
  return entries.map((entry) => ({
    value: entry.value,
    timestamp: new Date(entry.timestamp).toISOString(),
    sourceType: entry.sourceType,
    ...(entry.sourceId ? { sourceId: entry.sourceId } : {}),
  }));
}

export function contactToJson(
  store: ContactStore,
  record: ContactRecord,
  names: string[],
  options: { asOf?: number; withHistory?: string[] } = {},
): Record<string, unknown> {
  const asOf = options.asOf ?? Number.POSITIVE_INFINITY;
  const properties: Record<string, string | null> = {};
  for (const name of [...names].sort()) properties[name] = store.valueAt(record, name, asOf) ?? null;
  const result: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(store.updatedAt(record, asOf)).toISOString(),
    archived: false,
  };
  const withHistory = (options.withHistory ?? []).filter((name) => store.properties.has(name));
  if (withHistory.length > 0) {
    const history: Record<string, Array<Record<string, string>>> = {};
    for (const name of withHistory) history[name] = historyToJson(store.servedHistory(record, name));
    result.propertiesWithHistory = history;
  }
  return result;
}
