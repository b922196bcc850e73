/** The Webex person map: stable key (normalized email) -> HubSpot contact, with rolling Webex ids. */
import { BatchGetCommand, BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { PersonRecordSchema, type PersonRecord } from './records';
import type { TableAccess } from './table-access';
import { BATCH_GET_LIMIT, BATCH_WRITE_LIMIT, chunks, sendUntilProcessed } from './unprocessed-retry';

const PERSON_HISTORY_LIMIT = 10;

/** One put or delete of a BatchWriteItem call, in the document client's form. */
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export type PersonInput = Omit<PersonRecord, 'pk' | 'sk' | 'updatedAt'>;

export class PeopleStore {
  constructor(private readonly access: TableAccess) {}

  /** Reads the people of one page at once (BatchGet, 100 keys a call, unprocessed keys retried with backoff). */
  async getPeople(eventId: string, emails: readonly string[]): Promise<Map<string, PersonRecord>> {
    const found = new Map<string, PersonRecord>();
    const table = this.access.table;
    const keysOf = [...new Set(emails)].map((email) => ({
      pk: keys.webexEvent(eventId),
      sk: keys.person(email),
    }));
    for (const chunk of chunks(keysOf, BATCH_GET_LIMIT)) {
      await sendUntilProcessed<Record<string, unknown>>(
        chunk,
        async (requested) => {
          // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
          const result = await this.access.doc.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: [...requested] } } }),
          );
          for (const item of result.Responses?.[table] ?? []) {
            const person = PersonRecordSchema.parse(item);
            found.set(person.email, person);
          }
          return result.UnprocessedKeys?.[table]?.Keys;
        },
        `reading ${chunk.length} Webex people of event ${eventId}`,
        this.access.backoff,
      );
    }
    return found;
  }

  /** Writes people after a successful HubSpot upsert (BatchWrite, 25 a call, unprocessed retried with backoff). */
  async putPeople(people: readonly PersonInput[]): Promise<void> {
    const now = this.access.now();
    const table = this.access.table;
    const requests: WriteRequest[] = people.map((person) => ({
      PutRequest: { Item: personItem(person, now) },
    }));
    for (const chunk of chunks(requests, BATCH_WRITE_LIMIT)) {
      await sendUntilProcessed<WriteRequest>(
        chunk,
        async (batch) => {
          // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
          const result = await this.access.doc.send(
            new BatchWriteCommand({ RequestItems: { [table]: [...batch] } }),
          );
          return result.UnprocessedItems?.[table];
        },
        `writing ${chunk.length} Webex people`,
        this.access.backoff,
      );
    }
  }

  async listPeople(eventId: string): Promise<PersonRecord[]> {
    const items = await this.access.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.webexEvent(eventId), ':prefix': keys.personPrefix },
    });
    return items.map((item) => PersonRecordSchema.parse(item));
  }
}

function personItem(person: PersonInput, now: number): Record<string, unknown> {
  return {
    ...person,
    previousWebexIds: person.previousWebexIds.slice(0, PERSON_HISTORY_LIMIT),
    pk: keys.webexEvent(person.eventId),
    sk: keys.person(person.email),
    updatedAt: now,
    ...(person.hubspotContactId
      ? {
          gsi1pk: keys.contactIndex(person.hubspotContactId),
          gsi1sk: `${keys.webexEvent(person.eventId)}#${keys.person(person.email)}`,
        }
      : {}),
  };
}
