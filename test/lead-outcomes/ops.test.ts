/**
 * Lead outcomes as ops and the sandbox see them: World.start({ leadOutcomes: true }) serves each
 * Tripleseat venue's real receiver on a local Function URL and registers it in the simulated Tripleseat;
 * `venue-sync doctor` reads that endpoint over OAuth (failed_count, disabled); `venue-sync status` counts
 * outcomes and the medians from the OUTCOME# items. Real HTTP to the simulators, dynalite; nothing mocked.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { validateAppConfig, type AppConfigInput } from '../../shared/config/app-config';
import { LeadIndex, type LeadOutcomeRecord } from '../../shared/reconciliation/lead-index';
import { endpointRow } from '../../ops/lead-outcomes-check';
import { median, summarizeLeadOutcomes } from '../../ops/lead-outcomes-status';
import { World } from '../../sandbox/world';
import { cli } from '../cli/helpers';
import { contactValue, sendLead as sendLeadIn } from './helpers';

const SITE_ID = 'site-a';
const OUTCOME_LABEL = 'Tripleseat Outcome - Venue A';

function configWithSite(): AppConfigInput {
  return {
    ...appConfig,
    venues: appConfig.venues.map((v) => (v.id === 'venue-a' ? { ...v, tripleseatSiteId: SITE_ID } : v)),
  };
}

type Row = { check: string; status: string; detail: string };

describe('lead outcomes in the sandbox, doctor and status', () => {
  let world: World;
  let configFile: string;

  beforeAll(async () => {
    configFile = join(await mkdtemp(join(tmpdir(), 'venue-sync-outcomes-')), 'config.json');
    await writeFile(configFile, JSON.stringify(configWithSite()));
  });
  // A world per test: no test sees another's leads, outcomes or endpoint state.
  beforeEach(async () => {
    world = await World.start({
      timeScale: 50,
      config: validateAppConfig(configWithSite()),
      leadOutcomes: true,
    });
  });
  afterEach(async () => {
    await world?.close();
  });

  async function doctorRows(env: Record<string, string> = {}): Promise<{ code: number; rows: Row[] }> {
    const result = await cli(world, ['doctor', 'venue-a', '--json', '--config', configFile], {
      venue: 'venue-a',
      env,
    });
    const rows = (JSON.parse(result.stdout) as { rows: Row[] }).rows.filter(
      (r) => r.check.endsWith('webhook secret') || r.check.endsWith('webhook endpoint'),
    );
    return { code: result.code, rows };
  }

  const sendLead = () => sendLeadIn(world, 'venue-a');

  it('World.start({ leadOutcomes }) registers a receiver per Tripleseat venue, so a lead becomes a booking on the contact', async () => {
    // Prepare
    const { contactId, leadId } = await sendLead();

    // Act
    world.tripleseat.webhooks.convertLead('venue-a', leadId, { toBooking: true });
    await world.tripleseat.webhooks.settled();

    // Assess
    expect([...world.receivers.keys()]).toEqual(['venue-a', 'venue-b']);
    expect(world.tripleseat.webhooks.endpoint('marina')).toBeUndefined();
    expect(world.tripleseat.webhooks.endpoint('venue-a')?.url).toBe(world.receivers.get('venue-a')?.url);
    expect(contactValue(world, contactId, OUTCOME_LABEL)).toBe('Booked');
    expect(world.tripleseat.webhooks.endpoint('venue-a')?.failed_count).toBe(0);
  });

  it('doctor passes the webhook secret and the registered endpoint read over OAuth', async () => {
    // Act
    const { rows } = await doctorRows();

    // Assess
    expect(rows).toEqual([
      expect.objectContaining({ check: 'tripleseat venue-a webhook secret', status: 'pass' }),
      expect.objectContaining({
        check: 'tripleseat venue-a webhook endpoint',
        status: 'pass',
        detail: expect.stringContaining(`${world.receivers.get('venue-a')?.url} failed_count 0`),
      }),
    ]);
  });

  it('status counts the outcomes per venue and gives the medians', async () => {
    // Prepare: one lead booked, one lost with a reason
    const booked = await sendLead();
    const lost = await sendLead();
    world.tripleseat.webhooks.convertLead('venue-a', booked.leadId, { toBooking: true });
    world.tripleseat.webhooks.changeEventStatus('venue-a', lost.leadId, 'Lost', 'Chose another venue');
    await world.tripleseat.webhooks.settled();

    // Act
    const json = await cli(world, ['status', 'venue-a', '--json'], { venue: 'venue-a' });
    const human = await cli(world, ['status', 'venue-a'], { venue: 'venue-a' });
    const outcomes = (
      JSON.parse(json.stdout) as { venues: Array<{ leadOutcomes?: Record<string, unknown> }> }
    ).venues[0]?.leadOutcomes;

    // Assess
    expect(outcomes).toMatchObject({
      leads: 2,
      byStage: { booked: 1, lost: 1 },
      reached: { booked: 1, lost: 1, turnedDown: 0 },
      lostReasons: [{ reason: 'Chose another venue', leads: 1 }],
      unknownLeads: 0,
      medianLeadToBookingSeconds: expect.any(Number),
      medianTickToLeadSeconds: expect.any(Number),
    });
    expect(human.stdout).toMatch(/lead outcomes: 2 lead\(s\) with an outcome; converted \d, booked 1/);
    expect(human.stdout).toContain('lost: Chose another venue (1)');
  });

  it('doctor warns with failed_count once deliveries fail, and fails once Tripleseat disables the endpoint', async () => {
    // Prepare: the endpoint signs with a secret the receiver does not know, so every attempt gets 401
    const { leadId } = await sendLead();
    const url = world.receivers.get('venue-a')!.url;
    world.tripleseat.webhooks.register('venue-a', url, 'not-the-venue-secret');
    world.tripleseat.webhooks.turnDownLead('venue-a', leadId);
    await world.tripleseat.webhooks.settled();

    // Act
    const failing = await doctorRows();
    world.tripleseat.webhooks.disable('venue-a');
    const disabled = await doctorRows();

    // Assess
    expect(failing.rows[1]).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/failed_count [1-9]/),
    });
    expect(disabled.rows[1]).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('disabled at'),
    });
    expect(disabled.code).toBe(1);
  });

  it('doctor says which way the payload turned out: pass once deliveries read, fail naming the fields of one kept unread', async () => {
    // Prepare: a delivery that reads as assumed
    const { leadId } = await sendLead();
    world.tripleseat.webhooks.convertLead('venue-a', leadId);
    await world.tripleseat.webhooks.settled();
    const index = new LeadIndex({ client: world.dynamo.client, tableName: world.dynamo.tableName });
    const payloadRow = async () => {
      const result = await cli(world, ['doctor', 'venue-a', '--json', '--config', configFile], {
        venue: 'venue-a',
      });
      return (JSON.parse(result.stdout) as { rows: Row[] }).rows.find((r) => r.check.endsWith('payload'));
    };

    // Act: before and after the receiver kept a signed delivery it could not read
    const readable = await payloadRow();
    await index.keepUnreadableDelivery('venue-a', '{"hook":"LeadBooked"}', {
      reason: 'unknown-trigger',
      detail: "trigger '' is none of CREATE_LEAD, CONVERT_LEAD",
    });
    const unreadable = await payloadRow();
    for (const kept of await index.listUnreadableDeliveries('venue-a')) {
      await index.removeUnreadableDelivery('venue-a', kept.sk);
    }

    // Assess
    expect(readable).toMatchObject({
      check: 'tripleseat venue-a webhook payload',
      status: 'pass',
      detail: expect.stringContaining('deliveries read as assumed'),
    });
    expect(unreadable).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        "1 signed deliveries did not read as assumed (unknown-trigger: trigger ''",
      ),
      next: expect.stringContaining("'venue-sync replay venue-a --deliveries'"),
    });
  });

  it('doctor fails without the webhook secret for a venue whose writeBack asks for outcomes', async () => {
    // Act
    const { rows } = await doctorRows({ TRIPLESEAT_WEBHOOK_SECRET: '' });

    // Assess
    expect(rows[0]).toMatchObject({ check: 'tripleseat venue-a webhook secret', status: 'fail' });
    expect(JSON.stringify(rows)).not.toContain('whsec-');
  });
});

describe('lead outcome figures (pure)', () => {
  const outcome = (over: Partial<LeadOutcomeRecord>): LeadOutcomeRecord => ({
    pk: 'VENUE#v',
    sk: 'OUTCOME#1',
    venueId: 'v',
    leadId: '1',
    contactId: 'c',
    flagSetAt: '2026-01-01T00:00:00.000Z',
    appliedAtMs: 0,
    appliedRank: 0,
    appliedTrigger: 'CREATE_LEAD',
    version: 1,
    updatedAt: Date.parse('2026-01-02T00:00:00.000Z'),
    ...over,
  });

  it('takes medians over the leads that have both ends, the middle two averaged', () => {
    // Prepare
    const t0 = Date.parse('2026-01-01T00:00:00.000Z');
    const records = [
      outcome({ stage: 'booked', leadCreatedAtMs: t0 + 60_000, bookedAtMs: t0 + 60_000 + 86_400_000 }),
      outcome({ stage: 'booked', leadCreatedAtMs: t0 + 180_000, bookedAtMs: t0 + 180_000 + 3 * 86_400_000 }),
      outcome({ stage: 'lost', lostAtMs: t0 + 1, lostReason: 'Budget' }),
    ];

    // Act
    const summary = summarizeLeadOutcomes(records, []);

    // Assess
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeUndefined();
    expect(summary.medianTickToLeadSeconds).toBe(120);
    expect(summary.medianLeadToBookingSeconds).toBe(2 * 86_400);
    expect(summary.byStage).toEqual({ booked: 2, lost: 1 });
    expect(summary.lostReasons).toEqual([{ reason: 'Budget', leads: 1 }]);
    expect(summary.lastReconcileStartedAt).toBeUndefined();
  });

  it('says where to register the endpoint when the site has none', () => {
    // Act
    const row = endpointRow(validateAppConfig(configWithSite()).venues[0]!, []);

    // Assess
    expect(row).toMatchObject({
      status: 'fail',
      next: expect.stringContaining('VenueATripleseatWebhookUrl'),
    });
  });
});
