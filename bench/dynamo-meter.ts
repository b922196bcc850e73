/**
 * DynamoDB work during a bench phase, counted at dynalite's HTTP server (Node's
 * `http.server.request.start` diagnostics channel), and priced as on-demand capacity units.
 *
 * Units (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html):
 * a write of an item up to 1 KB is 1 WRU (2 in a transaction); a strongly consistent read of up
 * to 4 KB is 1 RRU (half for eventually consistent, which we do not credit: an upper bound). Items
 * here are small ledger/budget records, so a write counts 1 WRU per item (ceil(request KB) when the
 * request is larger), a GetItem 1 RRU, a Query ceil(answer bytes / 4 KB), a batch 1 per item.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoUsage {
  requests: number;
  readUnits: number;
  writeUnits: number;
  byOperation: Record<string, number>;
}

interface ServerRequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

function itemsIn(body: string, key: 'RequestItems' | 'TransactItems'): number {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return 1;
    const items = (parsed as Record<string, unknown>)[key];
    if (Array.isArray(items)) return items.length;
    if (typeof items === 'object' && items !== null) {
      return Object.values(items).reduce<number>((sum, table) => {
        if (Array.isArray(table)) return sum + table.length;
        const keys = (table as { Keys?: unknown }).Keys;
        return sum + (Array.isArray(keys) ? keys.length : 1);
      }, 0);
    }
  } catch {
    // Not JSON: count the request as one unit.
  }
  return 1;
}

/** Starts counting requests to the DynamoDB endpoint `endpoint`; `stop()` returns the usage. */
export function meterDynamo(endpoint: string): { stop: () => DynamoUsage } {
  const port = Number(new URL(endpoint).port);
  const usage: DynamoUsage = { requests: 0, readUnits: 0, writeUnits: 0, byOperation: {} };
  const listener = (message: unknown): void => {
    const { request, response, server } = message as ServerRequestStart;
    if ((server.address() as AddressInfo | null)?.port !== port) return;
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1) || 'unknown';
    usage.requests += 1;
    usage.byOperation[operation] = (usage.byOperation[operation] ?? 0) + 1;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('finish', () => {
      if (response.statusCode >= 400) return;
      const body = Buffer.concat(chunks);
      const answerBytes = Number(response.getHeader('content-length') ?? 0);
      if (WRITES.has(operation)) usage.writeUnits += Math.max(1, Math.ceil(body.length / 1024));
      else if (operation === 'BatchWriteItem') usage.writeUnits += itemsIn(body.toString(), 'RequestItems');
      else if (operation === 'TransactWriteItems')
        usage.writeUnits += 2 * itemsIn(body.toString(), 'TransactItems');
      else if (operation === 'GetItem') usage.readUnits += 1;
      else if (operation === 'BatchGetItem') usage.readUnits += itemsIn(body.toString(), 'RequestItems');
      else if (operation === 'Query' || operation === 'Scan')
        usage.readUnits += Math.max(1, Math.ceil(answerBytes / 4096));
    });
  };
  dc.subscribe('http.server.request.start', listener);
  return {
    stop: () => {
      dc.unsubscribe('http.server.request.start', listener);
      return usage;
    },
  };
}
