/** The lease: one runner per partition (overlapping schedule ticks, webhook-triggered polls). */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { LeaseSchema, type Lease } from './records';
import type { TableAccess } from './table-access';

export class LeaseStore {
  constructor(private readonly access: TableAccess) {}

  /** Takes the lease if free, expired, or already ours. Returns false while another runner holds it. */
  async acquireLease(partition: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.access.now();
    return this.access.ifConditionHolds(() =>
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
      this.access.doc.send(
        new PutCommand({
          TableName: this.access.table,
          Item: { pk: partition, sk: keys.lease, owner, leaseExpiresAt: now + ttlMs, acquiredAt: now },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseExpiresAt < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now, ':owner': owner },
        }),
      ),
    );
  }

  /**
   * Extends the lease we hold; false when it is no longer ours (it lapsed and another run took it). A
   * lapsed lease nobody took is still ours: no other run can have taken over our claims. A run that
   * cannot renew must stop before it sends anything else.
   */
  async renewLease(partition: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.access.now();
    return this.access.ifConditionHolds(() =>
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
      this.access.doc.send(
        new UpdateCommand({
          TableName: this.access.table,
          Key: { pk: partition, sk: keys.lease },
          UpdateExpression: 'SET leaseExpiresAt = :until',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner, ':until': now + ttlMs },
        }),
      ),
    );
  }

  async releaseLease(partition: string, owner: string): Promise<void> {
    await this.access.ifConditionHolds(() =>
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
      this.access.doc.send(
        new DeleteCommand({
          TableName: this.access.table,
          Key: { pk: partition, sk: keys.lease },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  async getLease(partition: string): Promise<Lease | undefined> {
    const item = await this.access.get(partition, keys.lease);
    return item ? LeaseSchema.parse(item) : undefined;
  }
}
