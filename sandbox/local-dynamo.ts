/**
 * A real DynamoDB-compatible engine (dynalite, in memory) on a free loopback port, with the
 * reconciliation table created from the same schema as the stack. Used by the sandbox and the tests.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createTableInput } from '../shared/reconciliation/table-schema';

const require = createRequire(import.meta.url);

export interface LocalDynamo {
  endpoint: string;
  tableName: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** Dummy credentials: dynalite ignores them, and the SDK must never look for real ones. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

export async function startLocalDynamo(tableName = 'venue-sync-local'): Promise<LocalDynamo> {
  const dynalite = require('dynalite') as (options: { createTableMs: number }) => import('node:net').Server;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await untilActive(client, tableName);
  return {
    endpoint,
    tableName,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * dynalite answers CreateTable with CREATING and turns the table ACTIVE on a timer. Wait for it, so the
 * first writes never meet a table that is not there yet (under virtual time that timer only fires once
 * everyone waits, which a caller racing ahead would not do).
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
