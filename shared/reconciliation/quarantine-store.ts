/** Quarantine: what cannot be synced, visible to ops (`venue-sync status`) and replayable. */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { QuarantineRecordSchema, type QuarantineRecord } from './records';
import type { TableAccess } from './table-access';

export class QuarantineStore {
  constructor(private readonly access: TableAccess) {}

  async putQuarantine(
    source: string,
    key: string,
    reason: string,
    payload?: Record<string, unknown>,
  ): Promise<void> {
    const record: QuarantineRecord = {
      pk: keys.quarantine(source),
      sk: key,
      source,
      key,
      reason,
      quarantinedAt: this.access.now(),
      ...(payload ? { payload } : {}),
    };
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    await this.access.doc.send(new PutCommand({ TableName: this.access.table, Item: record }));
  }

  async listQuarantine(source: string): Promise<QuarantineRecord[]> {
    const items = await this.access.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.quarantine(source) },
    });
    return items.map((item) => QuarantineRecordSchema.parse(item));
  }

  async removeQuarantine(source: string, key: string): Promise<void> {
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
    await this.access.doc.send(
      new DeleteCommand({ TableName: this.access.table, Key: { pk: keys.quarantine(source), sk: key } }),
    );
  }
}
