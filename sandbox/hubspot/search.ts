/**
 * `POST /crm/v3/objects/contacts/search` semantics (HubSpot's CRM search docs): ORed filter groups of ANDed
 * filters, one sort, offset paging capped at 10,000, and a lagging index (values as of now - lag).
 */
import { validationError } from './errors';
import type { PropertyDefinition } from './properties';
import type { ContactRecord, ContactStore } from './state';

export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;
export const SEARCH_DEFAULT_PROPERTIES = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];
/** Properties the free-text `query` looks at. */
const QUERY_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'company'];
const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

export interface SearchFilter {
  propertyName: string;
  operator: Operator;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchRequest {
  filterGroups: Array<{ filters: SearchFilter[] }>;
  sorts: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
  properties: string[];
  limit: number;
  after: number;
  query?: string;
}

export interface SearchPage {
  total: number;
  records: ContactRecord[];
  nextAfter?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses and validates the body; throws HubSpotApiError(400) the way the real endpoint refuses. */
export function parseSearchRequest(body: unknown): SearchRequest {
  if (!isObject(body)) throw validationError('Invalid input JSON: expected an object.');
  const limit = body.limit === undefined ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw validationError(`limit must be a non-negative integer; got ${String(body.limit)}.`);
  if (limit > SEARCH_MAX_LIMIT) {
    throw validationError(`The maximum limit is ${SEARCH_MAX_LIMIT}; got ${limit}.`, {
      context: { limit: [String(limit)] },
    });
  }
  const afterRaw = body.after ?? '0';
  if (!/^\d+$/.test(String(afterRaw))) {
    throw validationError(`after must be formatted as an integer; got "${String(afterRaw)}".`);
  }
  const after = Number(afterRaw);
  if (after + limit > SEARCH_MAX_RESULTS) {
    throw validationError(
      `Search results are capped at ${SEARCH_MAX_RESULTS}: you cannot page beyond 10,000 results (after=${after}, limit=${limit}).`,
    );
  }

  const groupsRaw = body.filterGroups ?? [];
  if (!Array.isArray(groupsRaw)) throw validationError('filterGroups must be an array.');
  const filterGroups = groupsRaw.map((group) => {
    const filters = isObject(group) && Array.isArray(group.filters) ? group.filters : [];
    return { filters: filters.map(parseFilter) };
  });
  const totalFilters = filterGroups.reduce((sum, group) => sum + group.filters.length, 0);
  if (
    filterGroups.length > 5 ||
    filterGroups.some((group) => group.filters.length > 6) ||
    totalFilters > 18
  ) {
    throw validationError(
      'Too many filters: at most 5 filterGroups with up to 6 filters each, and 18 filters in total.',
    );
  }

  const sortsRaw = body.sorts ?? [];
  if (!Array.isArray(sortsRaw)) throw validationError('sorts must be an array.');
  // Only one sort is honoured; the rest are ignored.
  const sorts = sortsRaw.slice(0, 1).map((sort) => {
    if (typeof sort === 'string') {
      return sort.startsWith('-')
        ? { propertyName: sort.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: sort, direction: 'ASCENDING' as const };
    }
    if (!isObject(sort) || typeof sort.propertyName !== 'string')
      throw validationError('Each sort needs a propertyName.');
    return {
      propertyName: sort.propertyName,
      direction: sort.direction === 'DESCENDING' ? ('DESCENDING' as const) : ('ASCENDING' as const),
    };
  });

  const properties = Array.isArray(body.properties) ? body.properties.map(String) : [];
  const query = typeof body.query === 'string' && body.query.trim() !== '' ? body.query.trim() : undefined;
  return { filterGroups, sorts, properties, limit, after, ...(query ? { query } : {}) };
}

function parseFilter(raw: unknown): SearchFilter {
  if (!isObject(raw) || typeof raw.propertyName !== 'string')
    throw validationError('Each filter needs a propertyName.');
  const operator = String(raw.operator ?? 'EQ');
  if (!(OPERATORS as readonly string[]).includes(operator)) {
    throw validationError(`Invalid filter operator "${operator}"; expected one of ${OPERATORS.join(', ')}.`);
  }
  return {
    propertyName: raw.propertyName,
    operator: operator as Operator,
    ...(raw.value !== undefined && raw.value !== null ? { value: String(raw.value) } : {}),
    ...(Array.isArray(raw.values) ? { values: raw.values.map(String) } : {}),
    ...(raw.highValue !== undefined && raw.highValue !== null ? { highValue: String(raw.highValue) } : {}),
  };
}

/** Runs a parsed search against the index as of `asOf`. */
export function runSearch(store: ContactStore, request: SearchRequest, asOf: number): SearchPage {
  for (const group of request.filterGroups) {
    for (const filter of group.filters) {
      if (!store.properties.has(filter.propertyName)) {
        throw validationError(
          `There was a problem with the request: unknown property "${filter.propertyName}".`,
          {
            context: { propertyName: [filter.propertyName] },
          },
        );
      }
    }
  }
  const read = (record: ContactRecord, name: string): string | undefined => store.valueAt(record, name, asOf);
  const matches: ContactRecord[] = [];
  for (const record of store.all()) {
    if (record.createdAt > asOf) continue; // not indexed yet
    if (request.query && !matchesQuery(record, request.query, read)) continue;
    const groups = request.filterGroups;
    if (
      groups.length > 0 &&
      !groups.some((group) =>
        group.filters.every((filter) =>
          matchesFilter(store.properties.get(filter.propertyName), read(record, filter.propertyName), filter),
        ),
      )
    ) {
      continue;
    }
    matches.push(record);
  }

  const sort = request.sorts[0] ?? { propertyName: 'hs_object_id', direction: 'ASCENDING' as const };
  const definition = store.properties.get(sort.propertyName);
  const sign = sort.direction === 'DESCENDING' ? -1 : 1;
  matches.sort((left, right) => {
    const a = read(left, sort.propertyName);
    const b = read(right, sort.propertyName);
    if (a === undefined && b !== undefined) return 1; // unset values last either way
    if (b === undefined && a !== undefined) return -1;
    const order = a === undefined || b === undefined ? 0 : sign * compareValues(definition, a, b);
    return order !== 0 ? order : Number(left.id) - Number(right.id);
  });

  const records = matches.slice(request.after, request.after + request.limit);
  const end = request.after + records.length;
  // No `paging` on the last page; never offer a cursor past the 10,000 cap.
  const nextAfter = end < matches.length && end < SEARCH_MAX_RESULTS && records.length > 0 ? end : undefined;
  return { total: matches.length, records, ...(nextAfter !== undefined ? { nextAfter } : {}) };
}

function matchesQuery(
  record: ContactRecord,
  query: string,
  read: (record: ContactRecord, name: string) => string | undefined,
): boolean {
  const needle = query.toLowerCase().replace(/\*/g, '');
  return QUERY_PROPERTIES.some((name) => {
    const value = read(record, name)?.toLowerCase();
    return (
      value !== undefined &&
      value.split(/[\s@.,;:-]+/).some((token) => token.startsWith(needle) || value.startsWith(needle))
    );
  });
}

type Kind = 'number' | 'time' | 'bool' | 'enum' | 'text';

function kindOf(definition: PropertyDefinition | undefined): Kind {
  switch (definition?.type) {
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
      return 'time';
    case 'bool':
      return 'bool';
    case 'enumeration':
      return 'enum';
    default:
      return 'text';
  }
}

/** Filter values are epoch ms strings for dates; accept ISO too. */
function asTime(value: string): number {
  return /^-?\d+$/.test(value)
    ? Number(value)
    : Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
}

function compareValues(definition: PropertyDefinition | undefined, a: string, b: string): number {
  switch (kindOf(definition)) {
    case 'number':
      return Number(a) - Number(b);
    case 'time':
      return asTime(a) - asTime(b);
    case 'enum':
      return a < b ? -1 : a > b ? 1 : 0;
    default: {
      const left = a.toLowerCase();
      const right = b.toLowerCase();
      return left < right ? -1 : left > right ? 1 : 0;
    }
  }
}

function equals(definition: PropertyDefinition | undefined, stored: string, wanted: string): boolean {
  const kind = kindOf(definition);
  if (kind === 'enum') {
    // Enumerations are case-sensitive; a multi-select matches when any of its values does.
    return definition?.fieldType === 'checkbox' ? stored.split(';').includes(wanted) : stored === wanted;
  }
  if (kind === 'number' || kind === 'time') return compareValues(definition, stored, wanted) === 0;
  return stored.toLowerCase() === wanted.toLowerCase();
}

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function containsToken(stored: string, wanted: string): boolean {
  if (wanted.includes('*')) {
    const pattern = new RegExp(
      `^${wanted
        .toLowerCase()
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return pattern.test(stored.toLowerCase()) || tokens(stored).some((token) => pattern.test(token));
  }
  return tokens(stored).includes(wanted.toLowerCase());
}

export function matchesFilter(
  definition: PropertyDefinition | undefined,
  stored: string | undefined,
  filter: SearchFilter,
): boolean {
  const value = filter.value ?? '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'NEQ':
      // Assumed, not documented by HubSpot: records without a value count as "not equal".
      return stored === undefined || !equals(definition, stored, value);
    case 'NOT_IN':
      return stored === undefined || !inList(definition, stored, filter.values ?? []);
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || !containsToken(stored, value);
    default:
      break;
  }
  if (stored === undefined) return false;
  switch (filter.operator) {
    case 'EQ':
      return equals(definition, stored, value);
    case 'IN':
      return inList(definition, stored, filter.values ?? []);
    case 'LT':
      return compareValues(definition, stored, value) < 0;
    case 'LTE':
      return compareValues(definition, stored, value) <= 0;
    case 'GT':
      return compareValues(definition, stored, value) > 0;
    case 'GTE':
      return compareValues(definition, stored, value) >= 0;
    case 'BETWEEN':
      return (
        compareValues(definition, stored, value) >= 0 &&
        compareValues(definition, stored, filter.highValue ?? value) <= 0
      );
    case 'CONTAINS_TOKEN':
      return containsToken(stored, value);
    default:
      return false;
  }
}

function inList(definition: PropertyDefinition | undefined, stored: string, values: string[]): boolean {
  // HubSpot indexes string values lowercased and does not lowercase IN values: "IN/NOT_IN on string
  // properties need lowercase values" (HubSpot's CRM search docs), so an upper-case IN value never matches.
  if (kindOf(definition) === 'text') return values.includes(stored.toLowerCase());
  return values.some((wanted) => equals(definition, stored, wanted));
}
