/**
 * A signed Tripleseat delivery the receiver cannot read (Tripleseat does not publish its payload, so the
 * reader's field names are assumptions) is kept whole and answered 200, shown by `venue-sync status`, and
 * applied by `venue-sync replay <venue> --deliveries` once the reader can read it. Real receiver over
 * HTTP, real CLI, dynalite and the simulators; nothing is mocked.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAD_OUTCOME_METRIC_NAMES } from '../../shared/observability/lead-outcome-metric-names';
import { signTripleseatBody } from '../../shared/tripleseat/webhook/signature';
import { cli } from '../cli/helpers';
import {
  OUTCOME_LABELS,
  contactValue,
  outcomeConfig,
  sendLead,
  useOutcomeWorld,
  webhookSecret,
} from './helpers';

const A = OUTCOME_LABELS['venue-a'];

describe('Tripleseat deliveries the receiver cannot read', () => {
  const ctx = useOutcomeWorld(['venue-a']);

  async function post(body: string, signature?: string): Promise<number> {
    const response = await fetch(ctx().receivers['venue-a']?.url ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) },
      body,
    });
    await response.text();
    return response.status;
  }

  const signed = (body: string) => signTripleseatBody(body, webhookSecret('venue-a'));

  it('keeps a signed delivery of an unknown shape once per body, answered 200, counted, HubSpot untouched', async () => {
    const { world, index, observability } = ctx();
    const body = JSON.stringify({ hook: 'LeadConverted', payload: { leadIdentifier: 9 } });
    const before = (await index.listUnreadableDeliveries('venue-a')).length;
    const hubspotCallsBefore = world.hubspot.log.entries.length;

    const first = await post(body, signed(body));
    const resent = await post(body, signed(body));
    const forged = await post('{"not":"signed"}', 'sha256=00');

    expect([first, resent, forged]).toEqual([200, 200, 401]);
    const kept = await index.listUnreadableDeliveries('venue-a');
    expect(kept).toHaveLength(before + 1);
    const record = kept.find((candidate) => candidate.body === body);
    expect(record).toMatchObject({ venueId: 'venue-a', deliveries: 2, reason: 'unknown-trigger' });
    expect(record?.detail).not.toContain('LeadConverted');
    const published = observability.published.flatMap((entry) => Object.keys(entry.values));
    expect(published).toContain(LEAD_OUTCOME_METRIC_NAMES.deliveriesUnreadable);
    expect(world.hubspot.log.entries.length).toBe(hubspotCallsBefore);
  });

  it('status shows the kept deliveries; replay --deliveries applies what now reads, keeps what does not', async () => {
    const { world, index } = ctx();
    const { contactId, leadId } = await sendLead(world, 'venue-a');
    // Kept under a reader that could not read it (as if the reader was fixed since): readable now.
    const readable = JSON.stringify({
      webhook_trigger_type: 'CONVERT_LEAD_TO_BOOKING',
      lead: { id: leadId, updated_at: new Date(world.clock.now() + 60_000).toISOString() },
      event: { id: 91, lead_id: leadId, status: 'Definite' },
    });
    await index.keepUnreadableDelivery('venue-a', readable, {
      reason: 'unknown-shape',
      detail: 'unreadable fields: lead.updated_at',
    });
    const stillUnreadable = JSON.stringify({ hook: 'EventLost', payload: { eventIdentifier: 5 } });
    expect(await post(stillUnreadable, signed(stillUnreadable))).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), 'venue-sync-unreadable-'));
    const configFile = join(dir, 'config.json');
    await writeFile(configFile, JSON.stringify(outcomeConfig()));

    const status = await cli(world, ['status', 'venue-a', '--config', configFile], { venue: 'venue-a' });
    const replay = await cli(
      world,
      ['replay', 'venue-a', '--deliveries', '--yes', '--json', '--config', configFile],
      { venue: 'venue-a' },
    );

    expect(status.stdout).toMatch(/UNREADABLE Tripleseat deliveries kept: \d+/);
    expect(replay.code).toBe(0);
    const items = JSON.parse(replay.stdout).items as Array<{ outcome: string; detail: string }>;
    expect(
      items.find((item) => item.detail.includes(`lead ${leadId} -> contact ${contactId}`))?.outcome,
    ).toBe('applied');
    expect(items.filter((item) => item.outcome === 'still-unreadable').length).toBeGreaterThan(0);
    expect(contactValue(world, contactId, A.outcome)).toBe('Booked');
    const left = (await index.listUnreadableDeliveries('venue-a')).map((record) => record.body);
    expect(left).toContain(stillUnreadable);
    expect(left).not.toContain(readable);
  });
});
