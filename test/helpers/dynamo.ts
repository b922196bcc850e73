/** A fresh dynalite + reconciliation table per test file; the same schema as the stack. */
import { afterAll, beforeAll } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../sandbox/local-dynamo';

export function useLocalDynamo(): () => LocalDynamo {
  let dynamo: LocalDynamo | undefined;
  beforeAll(async () => {
    dynamo = await startLocalDynamo(`test-${process.pid}`);
  });
  afterAll(async () => {
    await dynamo?.close();
  });
  return () => {
    if (!dynamo) throw new Error('local DynamoDB not started yet (use it inside a test)');
    return dynamo;
  };
}
