/**
 * Records the ops CLI writes about what it did by hand, beside the engines' records in the same table:
 * today, each lead `venue-sync dedupe --apply` deleted (who, when, why), so `status contact` can explain
 * a lead that vanished. Never read by a Lambda.
 *
 *   pk VENUE#<venueId>   sk DEDUPE#<leadId>   gsi1pk CONTACT#<contactId> (when the contact is known)
 */
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from './keys';
import { TableAccess } from './table-access';

export const DedupeRecordSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  kind: z.literal('dedupe'),
  venueId: z.string(),
  leadId: z.string(),
  /** `pending` is written before the delete, so a crash between the two still leaves a trace. */
  outcome: z.enum(['pending', 'deleted', 'failed']),
  /** SHA-256 of the lowercased email: enough to match a person, not to read their address. */
  emailHash: z.string(),
  contactId: z.string().optional(),
  /** The lead of the same person that was kept. */
  keptLeadId: z.string(),
  reason: z.string(),
  /** OS user and host of whoever ran the command (and the AWS caller when known). */
  deletedBy: z.string(),
  /** Epoch ms, like the engines' records. */
  at: z.number(),
  error: z.string().optional(),
});
export type DedupeRecord = z.infer<typeof DedupeRecordSchema>;
export type DedupeRecordInput = Omit<DedupeRecord, 'pk' | 'sk' | 'kind'>;

export class OpsRecords {
  private readonly access: TableAccess;

  constructor(client: DynamoDBClient, tableName: string) {
    this.access = new TableAccess({ client, tableName });
  }

  /** Writes (or overwrites, as the outcome moves on) the record of one deleted lead. */
  async putDedupe(input: DedupeRecordInput): Promise<DedupeRecord> {
    const record: DedupeRecord = {
      ...input,
      pk: keys.venue(input.venueId),
      sk: keys.dedupe(input.leadId),
      kind: 'dedupe',
    };
    await this.access.doc.send(
      new PutCommand({
        TableName: this.access.table,
        Item: {
          ...record,
          ...(record.contactId
            ? { gsi1pk: keys.contactIndex(record.contactId), gsi1sk: `${record.pk}#${record.sk}` }
            : {}),
        },
      }),
    );
    return record;
  }

  async listDedupes(venueId: string): Promise<DedupeRecord[]> {
    const items = await this.access.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.venue(venueId), ':prefix': keys.dedupe('') },
      ConsistentRead: true,
    });
    return items.map((item) => DedupeRecordSchema.parse(item));
  }
}
