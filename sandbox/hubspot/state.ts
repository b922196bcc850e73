/**
 * The portal's data: property definitions and groups, contacts with full property history, the
 * email index. Pure in-memory state on the simulator clock; no HTTP here.
 */
import { propertyValuesError, type PropertyValueError } from './errors';
import {
  DEFAULT_GROUPS,
  DEFAULT_PROPERTIES,
  normaliseValue,
  toPropertyDefinition,
  type PropertyDefinition,
  type PropertyDefinitionInput,
  type PropertyGroup,
} from './properties';

/** One entry of a property's history; stored oldest first, served newest first like HubSpot. */
export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
}

export interface ContactRecord {
  id: string;
  createdAt: number;
  archived: boolean;
  history: Map<string, HistoryEntry[]>;
}

export interface WriteSource {
  sourceType: string;
  sourceId?: string;
}

/** Properties HubSpot maintains itself; written with sourceType CALCULATED. */
const SYSTEM_SOURCE: WriteSource = { sourceType: 'CALCULATED' };

export type HistoryOrder = 'newest-first' | 'oldest-first';

export class ContactStore {
  private readonly byId = new Map<string, ContactRecord>();
  private readonly idByEmail = new Map<string, string>();
  readonly properties = new Map<string, PropertyDefinition>();
  readonly groups = new Map<string, PropertyGroup>();
  private nextId: number;
  /**
   * The order `propertiesWithHistory` is served in. HubSpot documented newest first for v1 and says nothing
   * for v3, so the simulator can play either; the product sorts by timestamp and must not care.
   */
  historyOrder: HistoryOrder = 'newest-first';

  constructor(
    private readonly now: () => number,
    firstId = 101,
  ) {
    this.nextId = firstId;
    const iso = new Date(now()).toISOString();
    for (const group of DEFAULT_GROUPS) this.groups.set(group.name, { ...group, archived: false });
    for (const { input, readOnlyValue, calculated } of DEFAULT_PROPERTIES) {
      this.properties.set(
        input.name,
        toPropertyDefinition(input, iso, { hubspotDefined: true, readOnlyValue, calculated }),
      );
    }
  }

  defineProperty(input: PropertyDefinitionInput): PropertyDefinition {
    const definition = toPropertyDefinition(input, new Date(this.now()).toISOString());
    if (!this.groups.has(definition.groupName)) {
      this.groups.set(definition.groupName, {
        name: definition.groupName,
        label: definition.groupName,
        displayOrder: this.groups.size,
        archived: false,
      });
    }
    this.properties.set(definition.name, definition);
    return definition;
  }

  defineGroup(group: { name: string; label: string; displayOrder?: number }): PropertyGroup {
    const stored = {
      name: group.name,
      label: group.label,
      displayOrder: group.displayOrder ?? -1,
      archived: false,
    };
    this.groups.set(group.name, stored);
    return stored;
  }

  get(id: string): ContactRecord | undefined {
    const record = this.byId.get(id);
    return record && !record.archived ? record : undefined;
  }

  /** Live (non-archived) contacts in id order. */
  *all(): IterableIterator<ContactRecord> {
    for (const record of this.byId.values()) if (!record.archived) yield record;
  }

  get size(): number {
    let count = 0;
    for (const _ of this.all()) count += 1;
    return count;
  }

  idForEmail(email: string): string | undefined {
    return this.idByEmail.get(email.trim().toLowerCase());
  }

  /** Current value, or undefined when never set or cleared. */
  value(record: ContactRecord, name: string): string | undefined {
    return this.valueAt(record, name, Number.POSITIVE_INFINITY);
  }

  /** The value as of `at` (what a lagging search index sees). */
  valueAt(record: ContactRecord, name: string, at: number): string | undefined {
    const entries = record.history.get(name);
    if (!entries) return undefined;
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const entry = entries[index] as HistoryEntry;
      if (entry.timestamp <= at) return entry.value === '' ? undefined : entry.value;
    }
    return undefined;
  }

  historyOf(record: ContactRecord, name: string): HistoryEntry[] {
    return [...(record.history.get(name) ?? [])].reverse();
  }

  /** The history as the API serves it: in `historyOrder`. */
  servedHistory(record: ContactRecord, name: string): HistoryEntry[] {
    const newestFirst = this.historyOf(record, name);
    return this.historyOrder === 'oldest-first' ? newestFirst.reverse() : newestFirst;
  }

  /**
   * Validates every value first (all problems reported together), then applies nothing on failure.
   * Returns the normalised values.
   */
  validate(
    properties: Record<string, unknown>,
    options: { allowReadOnly?: boolean } = {},
  ): Record<string, string> {
    const problems: PropertyValueError[] = [];
    const normalised: Record<string, string> = {};
    for (const [name, raw] of Object.entries(properties)) {
      const result = normaliseValue(this.properties.get(name), name, raw, options);
      if (result.ok) normalised[name] = result.value;
      else problems.push(result.problem);
    }
    if (problems.length > 0) throw propertyValuesError(problems);
    return normalised;
  }

  /** Creates a contact from already-validated values. Throws if the email is taken. */
  create(values: Record<string, string>, source: WriteSource): ContactRecord {
    const email = values.email?.trim().toLowerCase();
    if (email) {
      const existing = this.idByEmail.get(email);
      if (existing) throw new EmailTakenError(existing);
      values = { ...values, email };
    }
    const now = this.now();
    const id = String(this.nextId);
    this.nextId += 1;
    const record: ContactRecord = { id, createdAt: now, archived: false, history: new Map() };
    const iso = new Date(now).toISOString();
    const createdate = values.createdate ?? iso;
    this.append(record, 'hs_object_id', id, now, SYSTEM_SOURCE);
    this.append(record, 'createdate', createdate, now, values.createdate ? source : SYSTEM_SOURCE);
    for (const [name, value] of Object.entries(values)) {
      if (name === 'createdate' || value === '') continue;
      this.append(record, name, value, now, source);
    }
    this.append(record, 'lastmodifieddate', iso, now, SYSTEM_SOURCE);
    this.byId.set(id, record);
    if (email) this.idByEmail.set(email, id);
    return record;
  }

  /** Applies already-validated values; every write appends history and bumps lastmodifieddate. */
  update(record: ContactRecord, values: Record<string, string>, source: WriteSource): void {
    const now = this.now();
    if (values.email !== undefined) {
      const email = values.email.trim().toLowerCase();
      const owner = email ? this.idByEmail.get(email) : undefined;
      if (owner && owner !== record.id) throw new EmailTakenError(owner);
      const previous = this.value(record, 'email');
      if (previous) this.idByEmail.delete(previous);
      if (email) this.idByEmail.set(email, record.id);
      values = { ...values, email };
    }
    for (const [name, value] of Object.entries(values)) this.append(record, name, value, now, source);
    this.append(record, 'lastmodifieddate', new Date(now).toISOString(), now, SYSTEM_SOURCE);
  }

  archive(record: ContactRecord): void {
    record.archived = true;
    const email = this.value(record, 'email');
    if (email) this.idByEmail.delete(email);
  }

  updatedAt(record: ContactRecord, at = Number.POSITIVE_INFINITY): number {
    const iso = this.valueAt(record, 'lastmodifieddate', at);
    return iso ? Date.parse(iso) : record.createdAt;
  }

  private append(
    record: ContactRecord,
    name: string,
    value: string,
    timestamp: number,
    source: WriteSource,
  ): void {
    const entries = record.history.get(name) ?? [];
    entries.push({
      value,
      timestamp,
      sourceType: source.sourceType,
      ...(source.sourceId ? { sourceId: source.sourceId } : {}),
    });
    record.history.set(name, entries);
  }
}

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';

  constructor(readonly existingId: string) {
    super(`Contact already exists. Existing ID: ${existingId}`);
  }
}
