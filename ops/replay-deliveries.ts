/**
 * `venue-sync replay <venue> --deliveries`: applies the signed Tripleseat deliveries the venue's receiver
 * kept because it could not read them (lambdas/tripleseat-webhook). Tripleseat does not publish its
 * payload, so the reader's field names are assumptions; once the reader is fixed and deployed, this
 * re-reads each kept body with it and applies it through the same rules as the receiver
 * (shared/tripleseat/webhook/apply.ts). A body still unreadable stays kept, with the reason.
 */
import { randomUUID } from 'node:crypto';
import { LeadIndex, type UnreadableDeliveryRecord } from '../shared/reconciliation/lead-index';
import { silentLog, type DecisionLog } from '../shared/sync/decision-log';
import { LeadOutcomeApplier, type ApplyResult } from '../shared/tripleseat/webhook/apply';
import { parseTripleseatDelivery } from '../shared/tripleseat/webhook/payload';
import { OpsContext } from './context';

export type DeliveryReplayOutcome = ApplyResult['kind'] | 'still-unreadable' | 'failed';

export interface DeliveryReplayItem {
  key: string;
  outcome: DeliveryReplayOutcome;
  /** What the reader or the apply said (field names and reasons, never the body's values). */
  detail: string;
}

export interface DeliveryReplayReport {
  venueId: string;
  items: DeliveryReplayItem[];
}

export async function listKeptDeliveries(
  ctx: OpsContext,
  venueId: string,
): Promise<UnreadableDeliveryRecord[]> {
  return indexOf(ctx).listUnreadableDeliveries(venueId);
}

export async function replayDeliveries(
  ctx: OpsContext,
  venueId: string,
  options: {
    /** The kept deliveries as already listed (listKeptDeliveries); read again when absent. */
    kept?: readonly UnreadableDeliveryRecord[];
    log?: DecisionLog;
    onRecord?: () => void;
  } = {},
): Promise<DeliveryReplayReport> {
  const venue = ctx.venue(venueId);
  const found = await ctx.credentials(venue, 'write');
  const index = indexOf(ctx);
  const applier = new LeadOutcomeApplier({
    venue: { id: venue.id, writeBack: venue.writeBack },
    store: ctx.store,
    index,
    hubspot: ctx.hubspotAdmin(OpsContext.hubspotToken(found)),
    runId: `cli-replay-deliveries-${randomUUID()}`,
    now: ctx.now,
    log: options.log ?? silentLog,
  });
  const report: DeliveryReplayReport = { venueId, items: [] };
  for (const kept of options.kept ?? (await index.listUnreadableDeliveries(venueId))) {
    report.items.push(await replayOne(applier, index, kept));
    options.onRecord?.();
  }
  return report;
}

async function replayOne(
  applier: LeadOutcomeApplier,
  index: LeadIndex,
  kept: UnreadableDeliveryRecord,
): Promise<DeliveryReplayItem> {
  const parsed = parseTripleseatDelivery(kept.body);
  if (!parsed.ok)
    return { key: kept.sk, outcome: 'still-unreadable', detail: `${parsed.reason}: ${parsed.detail}` };
  let result: ApplyResult;
  try {
    result = await applier.apply(parsed.delivery);
  } catch (error) {
    return {
      key: kept.sk,
      outcome: 'failed',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  // Busy: a poll or replay holds the venue's lease; the delivery stays kept for the next replay.
  if (result.kind !== 'busy') await index.removeUnreadableDelivery(kept.venueId, kept.sk);
  return { key: kept.sk, outcome: result.kind, detail: describe(result, parsed.delivery.trigger) };
}

function describe(result: ApplyResult, trigger: string): string {
  switch (result.kind) {
    case 'applied':
      return `${trigger}: lead ${result.leadId} -> contact ${result.contactId} (${result.stage ?? 'no stage'})`;
    case 'ignored':
      return `${trigger}: lead ${result.leadId} already as new or newer (${result.why})`;
    case 'unknown-lead':
      return `${trigger}: ${result.why} (recorded for ops)`;
    case 'busy':
      return `${trigger}: lead ${result.leadId}: the venue's lease is held (a poll is running); run again`;
  }
}

function indexOf(ctx: OpsContext): LeadIndex {
  const { client, tableName } = ctx.dynamo;
  return new LeadIndex({ client, tableName, now: ctx.now });
}

export function renderDeliveryReplay(report: DeliveryReplayReport): string {
  if (report.items.length === 0) return `No kept Tripleseat deliveries for venue '${report.venueId}'.`;
  const lines = [`Kept Tripleseat deliveries of venue '${report.venueId}': ${report.items.length}`];
  for (const item of report.items) lines.push(`  ${item.outcome.padEnd(16)} ${item.detail}`);
  const left = report.items.filter((item) => ['still-unreadable', 'failed', 'busy'].includes(item.outcome));
  if (left.length > 0)
    lines.push(`${left.length} still kept; run 'venue-sync replay ${report.venueId} --deliveries' again`);
  return lines.join('\n');
}
