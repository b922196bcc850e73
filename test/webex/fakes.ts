/**
 * In-memory fakes of the Webex sync engine's ports, for fast unit tests of the engine's rules (no HTTP,
 * no DynamoDB). The integration tests beside them run the same engine over the real adapters.
 */
import type { z } from 'zod';
import type { HubSpotProperty } from '../../shared/schema';
import type {
  HubSpotUpsertPort,
  UpsertByEmail,
  WebexAttendeePagesRequest,
  WebexSourcePage,
  WebexSourcePort,
  WebexSourceRegistrant,
} from '../../shared/sync/ports';
import type { WebexSyncStore } from '../../shared/sync/sync-webex';
import type { PersonRecord } from '../../shared/reconciliation';
import type { WebexField } from '../../shared/webex/fields';

export function property(name: string, label: string, type = 'string'): HubSpotProperty {
  return { name, label, type, fieldType: 'text', options: [] };
}

/** A Webex source over fixed registrants per event; its cursor is the index as text (opaque to the engine). */
export class FakeWebexSource implements WebexSourcePort {
  readonly requests: Array<{ eventId: number; after: string | undefined; pageSize: number }> = [];
  constructor(
    readonly events: Map<number, WebexSourceRegistrant[]>,
    private readonly lacking: readonly WebexField[] = [],
  ) {}

  readableFields(fields: readonly WebexField[]) {
    return Promise.resolve({
      readable: fields.filter((field) => !this.lacking.includes(field)),
      missing: fields.filter((field) => this.lacking.includes(field)),
    });
  }

  listEventIds() {
    return Promise.resolve([...this.events.keys()]);
  }

  async *attendeePages(
    eventId: number,
    after: string | undefined,
    request: WebexAttendeePagesRequest,
  ): AsyncGenerator<WebexSourcePage> {
    const all = this.events.get(eventId) ?? [];
    let start = after === undefined ? 0 : Number(after);
    for (;;) {
      this.requests.push({
        eventId,
        after: start === 0 ? undefined : String(start),
        pageSize: request.pageSize,
      });
      const end = Math.min(all.length, start + request.pageSize);
      const registrants = all.slice(start, end).map((registrant) => ({
        ...registrant,
        values: Object.fromEntries(
          Object.entries(registrant.values).filter(([field]) =>
            request.fields.some((wanted) => wanted === field),
          ),
        ),
      }));
      yield { registrants, cursor: String(end), last: end >= all.length };
      if (end >= all.length) return;
      start = end;
    }
  }
}

export class FakeHubSpot implements HubSpotUpsertPort {
  readonly contacts = new Map<string, { id: string; properties: Record<string, string> }>();
  readonly calls: UpsertByEmail[][] = [];
  /** Emails HubSpot refuses (a 207 per-record failure). */
  readonly refuse = new Set<string>();
  constructor(private readonly properties: HubSpotProperty[]) {}

  listProperties() {
    return Promise.resolve(this.properties);
  }

  upsertByEmail(inputs: readonly UpsertByEmail[]) {
    this.calls.push([...inputs]);
    const results: Array<{ email: string; id: string; created: boolean }> = [];
    const failed: Array<{ id: string; reason: string }> = [];
    for (const input of inputs) {
      if (this.refuse.has(input.email)) {
        failed.push({ id: input.email, reason: 'refused by the fake' });
        continue;
      }
      const existing = this.contacts.get(input.email);
      const id = existing?.id ?? String(this.contacts.size + 1);
      this.contacts.set(input.email, { id, properties: { ...existing?.properties, ...input.properties } });
      results.push({ email: input.email, id, created: !existing });
    }
    return Promise.resolve({ results, failed });
  }
}

type PersonWrite = Omit<PersonRecord, 'pk' | 'sk' | 'updatedAt'>;

export class FakeStore implements WebexSyncStore {
  readonly checkpoints = new Map<string, Record<string, unknown>>();
  readonly leases = new Map<string, string>();
  readonly people = new Map<string, PersonRecord>();
  readonly quarantine: Array<{ source: string; key: string; reason: string }> = [];

  acquireLease(partition: string, owner: string) {
    const holder = this.leases.get(partition);
    if (holder && holder !== owner) return Promise.resolve(false);
    this.leases.set(partition, owner);
    return Promise.resolve(true);
  }
  releaseLease(partition: string, owner: string) {
    if (this.leases.get(partition) === owner) this.leases.delete(partition);
    return Promise.resolve();
  }
  saveCheckpoint(partition: string, data: Record<string, unknown>) {
    this.checkpoints.set(partition, data);
    return Promise.resolve();
  }
  loadCheckpoint<T>(partition: string, schema: z.ZodType<T>) {
    const data = this.checkpoints.get(partition);
    return Promise.resolve(data === undefined ? undefined : schema.parse(data));
  }
  clearCheckpoint(partition: string) {
    this.checkpoints.delete(partition);
    return Promise.resolve();
  }
  getPeople(eventId: string, emails: readonly string[]) {
    const found = new Map<string, PersonRecord>();
    for (const email of emails) {
      const person = this.people.get(`${eventId}#${email}`);
      if (person) found.set(email, person);
    }
    return Promise.resolve(found);
  }
  putPeople(people: readonly PersonWrite[]) {
    for (const person of people) {
      this.people.set(`${person.eventId}#${person.email}`, {
        ...person,
        pk: `WEBEX#${person.eventId}`,
        sk: `PERSON#${person.email}`,
        updatedAt: 0,
      });
    }
    return Promise.resolve();
  }
  putQuarantine(source: string, key: string, reason: string) {
    this.quarantine.push({ source, key, reason });
    return Promise.resolve();
  }
}

/** `count` registrants with distinct emails and a first name each. */
export function registrants(count: number, firstId = 1): WebexSourceRegistrant[] {
  return Array.from({ length: count }, (_unused, index) => ({
    id: firstId + index,
    externalId: undefined,
    values: {
      email: `person${firstId + index}@example.com`,
      'profile.firstName': `Person ${firstId + index}`,
      'profile.company': 'Acme',
    },
  }));
}
