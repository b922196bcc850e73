/**
 * `venue-sync dedupe` consults the ledger: leads it records as separate requests are never proposed;
 * a stray lead nobody asked for is proposed, deleted only with confirmation, and its deletion recorded
 * where `status contact` finds it. Real CLI, real handler, simulators and dynalite.
 */
import { describe, expect, it } from 'vitest';
import { createApiCaller } from '../../shared/rate-limit';
import { TripleseatClient } from '../../shared/tripleseat/client';
import { tripleseatKeys, type World } from '../../sandbox/world';
import { tickPoller, useWorld, validContact } from '../helpers/world';
import { cli } from './helpers';

const world = useWorld();

/** A contact ticked for venue-a and sent by the real poller `times` times (re-ticked on purpose). */
async function sentTimes(w: World, times: number): Promise<{ contactId: string; email: string }> {
  const contactId = validContact(w);
  for (let i = 0; i < times; i++) {
    w.tick(contactId, 'venue-a');
    await tickPoller(w, 'venue-a');
  }
  return { contactId, email: w.hubspot.getContact(contactId)?.properties.email ?? '' };
}

function leadIdsOf(w: World, email: string): string[] {
  return w.tripleseat
    .leads('venue-a')
    .filter((lead) => lead.email_address === email)
    .map((lead) => String(lead.id));
}

describe('Command: dedupe (ledger-aware)', () => {
  it('proposes nothing for a contact re-ticked on purpose: both leads are DONE requests', async () => {
    // Prepare
    const w = world();
    const { email } = await sentTimes(w, 2);
    expect(leadIdsOf(w, email)).toHaveLength(2);

    // Act
    const result = await cli(w, ['dedupe', 'venue-a', '--json'], { venue: 'venue-a' });

    // Assess
    const report = JSON.parse(result.stdout);
    expect(result.code).toBe(0);
    expect(report.groups.filter((g: { email: string }) => g.email === email)).toEqual([]);
    expect(report.keptForLedger).toBeGreaterThanOrEqual(1);
  });

  it('proposes a stray duplicate, refuses --apply without a terminal or --yes, deletes it with --yes and records it', async () => {
    // Prepare: one real request, plus a lead with the same email created directly at Tripleseat
    const w = world();
    const { contactId, email } = await sentTimes(w, 1);
    const [ledgerLead] = leadIdsOf(w, email);
    const stray = (
      await new TripleseatClient(
        { ...tripleseatKeys('venue-a'), baseUrl: w.tripleseat.url },
        createApiCaller({ hubspotTenSecondLimit: 100 }),
      ).createLead({
        first_name: 'Ada',
        last_name: 'Stray',
        email_address: email,
        phone_number: '6175550100',
      })
    ).leadId;

    // Act
    const proposed = await cli(w, ['dedupe', 'venue-a', '--json'], { venue: 'venue-a' });
    const noTerminal = await cli(w, ['dedupe', 'venue-a', '--apply'], { venue: 'venue-a' });
    const afterRefusal = leadIdsOf(w, email);
    const applied = await cli(w, ['dedupe', 'venue-a', '--apply', '--yes', '--json'], { venue: 'venue-a' });
    const status = await cli(w, ['status', 'contact', contactId, '--json']);
    const statusHuman = await cli(w, ['status', 'contact', contactId]);

    // Assess: only the stray was proposed and deleted; the ledger's lead stays
    const group = JSON.parse(proposed.stdout).groups.find((g: { email: string }) => g.email === email);
    expect(group).toMatchObject({ keep: { id: ledgerLead }, extras: [{ id: stray }] });
    expect(group.keep.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(noTerminal.code).toBe(1);
    expect(noTerminal.stderr).toContain('No terminal to ask on: pass --yes to confirm. Nothing changed.');
    expect(afterRefusal).toEqual(expect.arrayContaining([ledgerLead, stray]));
    expect(JSON.parse(applied.stdout).deleted).toEqual([stray]);
    expect(leadIdsOf(w, email)).toEqual([ledgerLead]);
    const dedupe = JSON.parse(status.stdout).dedupe;
    expect(dedupe).toEqual([
      expect.objectContaining({
        venueId: 'venue-a',
        leadId: stray,
        outcome: 'deleted',
        keptLeadId: ledgerLead,
        deletedBy: expect.stringContaining('@'),
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
        reason: expect.stringContaining('no ledger entry claims it'),
      }),
    ]);
    expect(statusHuman.stdout).toContain(`lead ${stray} deleted`);
    expect(JSON.stringify(dedupe)).not.toContain(email); // the record keeps a hash, not the address
  });
});
