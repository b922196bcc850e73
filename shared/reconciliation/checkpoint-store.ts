/** A runner's checkpoint: where its next run starts (one per partition). */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { keys } from './keys';
import type { TableAccess } from './table-access';

export class CheckpointStore {
  constructor(private readonly access: TableAccess) {}

  async saveCheckpoint(partition: string, data: Record<string, unknown>): Promise<void> {
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    await this.access.doc.send(
      new PutCommand({
        TableName: this.access.table,
        Item: { pk: partition, sk: keys.checkpoint, data, savedAt: this.access.now() },
      }),
    );
  }

  async loadCheckpoint<T>(partition: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const item = await this.access.get(partition, keys.checkpoint);
    if (!item) return undefined;
    const parsed = schema.safeParse(item['data']);
    // A checkpoint from an older version is not worth crashing over: start the window afresh.
    return parsed.success ? parsed.data : undefined;
  }

  async clearCheckpoint(partition: string): Promise<void> {
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
    await this.access.doc.send(
      new DeleteCommand({ TableName: this.access.table, Key: { pk: partition, sk: keys.checkpoint } }),
    );
  }
}
