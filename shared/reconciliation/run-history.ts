/**
 * One item per poller run, so `venue-sync runs <venue>` can say when the venue last ran, why (the
 * schedule, a HubSpot webhook, or an operator's `venue-sync run`), what it did and how it ended, without
 * CloudWatch Logs access. Items expire after 30 days through the table's TTL attribute.
 *
 *   pk VENUE#<venueId>   sk RUN#<startedAt ISO 8601>#<runId>
 *
 * The ISO start time sorts lexically in time order, so the newest runs are one descending Query on the
 * `RUN#` prefix. The run id keeps two runs that start in the same millisecond apart.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from './keys';
import { TableAccess } from './table-access';

/** The sort-key prefix of run items (the other item kinds of a venue partition never start with it). */
export const RUN_SK_PREFIX = 'RUN#';
/** How long a run item is kept. */
export const RUN_RETENTION_DAYS = 30;
/**
 * The table's TTL attribute (lib/reconciliation-table.ts, ReconciliationTable.TTL_ATTRIBUTE): epoch
 * seconds. shared/ may not import lib/, so the name is spelled here too.
 */
export const TTL_ATTRIBUTE = 'expiresAt';

export const RUN_TRIGGERS = ['schedule', 'webhook', 'cli'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** What a run did, in the poll report's own words. */
export const RunCountsSchema = z.object({
  flagged: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  retried: z.number().int().nonnegative(),
  quarantined: z.number().int().nonnegative(),
});
export type RunCounts = z.infer<typeof RunCountsSchema>;

export const RunRecordSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  kind: z.literal('run'),
  venueId: z.string(),
  runId: z.string(),
  trigger: z.enum(RUN_TRIGGERS),
  /** ISO 8601, as in the sort key. */
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  /** The poll report's status (`completed`, `lease-held`, ...), or `failed` when the run threw. */
  status: z.string(),
  counts: RunCountsSchema,
  /** The error's message when the run failed; never a credential (error messages are redacted upstream). */
  error: z.string().optional(),
  /** TTL, epoch seconds. */
  expiresAt: z.number().int(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export interface RunRecordInput {
  venueId: string;
  runId: string;
  trigger: RunTrigger;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  status: string;
  counts: RunCounts;
  error?: string;
}

/** The webhook's payload to a poller (lambdas/hubspot-webhook/handler.ts, WebhookPollerPayload). */
const WebhookEventSchema = z.object({ source: z.literal('hubspot-webhook') });
/** `venue-sync run` names its invocations `cli-<uuid>` (ops/run.ts). */
const CLI_REQUEST_PREFIX = 'cli-';

/**
 * Why the handler was invoked: the webhook says so in its payload, the CLI in its request id, and
 * anything else is EventBridge Scheduler (its Lambda target sends no payload of ours).
 */
export function runTriggerOf(event: unknown, requestId: string): RunTrigger {
  if (WebhookEventSchema.safeParse(event).success) return 'webhook';
  if (requestId.startsWith(CLI_REQUEST_PREFIX)) return 'cli';
  return 'schedule';
}

export class RunHistory {
  private readonly access: TableAccess;

  constructor(client: DynamoDBClient, tableName: string) {
    this.access = new TableAccess({ client, tableName });
  }

  static sortKey(startedAt: number, runId: string): string {
    return `${RUN_SK_PREFIX}${new Date(startedAt).toISOString()}#${runId}`;
  }

  async record(input: RunRecordInput): Promise<RunRecord> {
    const startedAt = new Date(input.startedAt).toISOString();
    const record: RunRecord = {
      pk: keys.venue(input.venueId),
      sk: RunHistory.sortKey(input.startedAt, input.runId),
      kind: 'run',
      venueId: input.venueId,
      runId: input.runId,
      trigger: input.trigger,
      startedAt,
      durationMs: input.durationMs,
      status: input.status,
      counts: input.counts,
      ...(input.error ? { error: input.error } : {}),
      [TTL_ATTRIBUTE]: Math.floor(input.startedAt / 1000) + RUN_RETENTION_DAYS * 24 * 60 * 60,
    };
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    await this.access.doc.send(new PutCommand({ TableName: this.access.table, Item: record }));
    return record;
  }

  /** The venue's runs, newest first. Items that do not parse are skipped and counted, never guessed. */
  async list(venueId: string, limit = 20): Promise<{ runs: RunRecord[]; unreadable: number }> {
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
    const answer = await this.access.doc.send(
      new QueryCommand({
        TableName: this.access.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.venue(venueId), ':prefix': RUN_SK_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const runs: RunRecord[] = [];
    let unreadable = 0;
    for (const item of answer.Items ?? []) {
      const parsed = RunRecordSchema.safeParse(item);
      if (parsed.success) runs.push(parsed.data);
      else unreadable += 1;
    }
    return { runs, unreadable };
  }
}
