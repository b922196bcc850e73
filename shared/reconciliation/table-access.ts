/**
 * What every record store shares: the document client over the one table, consistent single reads,
 * paged queries, and conditional writes that report — without another read where DynamoDB allows —
 * the item that made the condition fail.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { BackoffOptions } from './unprocessed-retry';

export interface StoreOptions {
  client: DynamoDBClient;
  tableName: string;
  now?: () => number;
  /** Backoff for unprocessed batch items (tests make it instant). */
  backoff?: BackoffOptions;
}

/** A conditional write's outcome; `old` is the item that failed the condition, when DynamoDB sent it. */
export type ConditionalOutcome<T> =
  { held: true; result: T } | { held: false; old: Record<string, unknown> | undefined };

export class TableAccess {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly now: () => number;
  readonly backoff: BackoffOptions;

  constructor(options: StoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.table = options.tableName;
    this.now = options.now ?? Date.now;
    this.backoff = options.backoff ?? {};
  }

  async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
    const result = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }),
    );
    return result.Item;
  }

  /** Every item the query matches, page after page (the SDK's paginator follows LastEvaluatedKey). */
  async queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
    for await (const page of paginateQuery({ client: this.doc }, { ...input, TableName: this.table })) {
      items.push(...(page.Items ?? []));
    }
    return items;
  }

  /**
   * Runs a conditional write. When its condition does not hold (someone else decided first), says so
   * with the item as it stood if the write asked for it (`ReturnValuesOnConditionCheckFailure:
   * 'ALL_OLD'`, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html).
   * The error carries it in the low-level attribute-value form; the document client does not convert
   * errors, so it is unmarshalled here. Engines that ignore the option (dynalite) send no item.
   */
  async conditional<T>(write: () => Promise<T>): Promise<ConditionalOutcome<T>> {
    try {
      return { held: true, result: await write() };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { held: false, old: error.Item ? unmarshall(error.Item) : undefined };
    }
  }

  /** A conditional write whose failed condition needs no explanation: true when it held. */
  async ifConditionHolds(write: () => Promise<unknown>): Promise<boolean> {
    return (await this.conditional(write)).held;
  }
}
