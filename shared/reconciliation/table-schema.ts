/**
 * The reconciliation table's key schema: the single source for the CDK stack, the sandbox and the
 * test helper, so local tables are created exactly like the deployed one (docs/design.md section 4).
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

/** CreateTable input for local engines (dynalite); the stack declares the same keys in CDK. */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_KEYS.gsi.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_KEYS.gsi.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: TABLE_KEYS.gsi.name,
        KeySchema: [
          { AttributeName: TABLE_KEYS.gsi.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: TABLE_KEYS.gsi.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
}
