/**
 * `npm start -- --once --json` as a user runs it: a child process (tsx), the whole product on loopback,
 * one cycle, a JSON summary on stdout and an exit code. The expectations are computed here from the
 * demo data, not taken from the summary's own checks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONTACTS, WEBHOOK_CONTACT } from '../../sandbox/demo-data';
import type { OnceSummary } from '../../sandbox/summary';
import { runSandbox, type SandboxRun } from '../helpers/sandbox-process';

/** Seeded contacts flagged for a venue whose data makes a valid lead (the expected leads). */
function expectedLeads(venueId: string): string[] {
  return [...DEMO_CONTACTS, WEBHOOK_CONTACT]
    .filter((contact) => contact.flags.includes(venueId) && 'lead' in contact.expect)
    .map((contact) => contact.name)
    .sort();
}

function expectedRejections(venueId: string): number {
  return DEMO_CONTACTS.filter((contact) => contact.flags.includes(venueId) && !('lead' in contact.expect))
    .length;
}

describe('Sandbox: npm start -- --once --json', () => {
  let result: SandboxRun;
  let summary: OnceSummary;

  beforeAll(async () => {
    // Prepare + Act: one full cycle in a child process, as `npm start -- --once --json` runs it.
    result = await runSandbox(['--once', '--json', '--time-scale', '120'], 28_000);
    summary = JSON.parse(result.stdout) as OnceSummary;
  }, 30_000);

  it('exits 0 with every invariant check passing', () => {
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(summary.ok).toBe(true);
    expect(summary.failedChecks).toEqual([]);
    expect(summary.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'every-valid-flag-one-lead',
        'no-cross-venue-leads',
        'rejections-have-reasons',
        'flags-cleared',
        'handlers-completed',
        'webex-people-synced',
        'webhook-early-poll',
        'lead-outcomes',
      ]),
    );
  });

  it('creates exactly the seeded valid flagged contacts as leads, in their own venue only', () => {
    // Assess
    expect(summary.venues.map((venue) => venue.venueId)).toEqual(['venue-a', 'venue-b', 'marina']);
    for (const venue of summary.venues) {
      const leadOwners = venue.leads.map((lead) => lead.contact ?? `unknown ${lead.email}`).sort();
      expect(leadOwners, venue.venueId).toEqual(expectedLeads(venue.venueId));
      expect(venue.leadsInAccount).toBe(expectedLeads(venue.venueId).length);
    }
    expect(summary.crossVenueLeads).toBe(0);
    // The contact flagged for Venue A and the Marina is one lead in each, none in Venue B.
    const dual = DEMO_CONTACTS.find((contact) => contact.flags.length === 2)!;
    const holders = summary.venues.filter((venue) => venue.leads.some((lead) => lead.contact === dual.name));
    expect(holders.map((venue) => venue.venueId).sort()).toEqual([...dual.flags].sort());
  });

  it('rejects every flawed contact with a reason', () => {
    // Assess
    for (const venue of summary.venues) {
      expect(venue.rejections, venue.venueId).toHaveLength(expectedRejections(venue.venueId));
      for (const rejection of venue.rejections) expect(rejection.reason.trim()).not.toBe('');
    }
    const reasons = summary.venues.flatMap((venue) => venue.rejections.map((rejection) => rejection.reason));
    expect(reasons).toEqual(
      expect.arrayContaining([
        'phone number missing',
        expect.stringMatching(/email address/),
        expect.stringMatching(/guest count/),
      ]),
    );
  });

  it('syncs Webex attendees to HubSpot and wakes a poller early through the signed webhook', () => {
    // Assess
    expect(summary.webex.status).toBe('completed');
    expect(summary.webex.peopleSynced).toBeGreaterThan(0);
    expect(summary.webex.created).toBeGreaterThan(0);
    expect(summary.webhook.answers).toEqual({ 204: 1, 401: 1 });
    expect(summary.webhook.earlyPolls).toEqual([
      expect.objectContaining({ functionName: 'venue-sync-poller-venue-b', status: 'succeeded', created: 1 }),
    ]);
    expect(summary.api.hubspot.calls).toBeGreaterThan(0);
    expect(summary.api.tripleseat.calls).toBeGreaterThan(0);
    expect(summary.api.webex.calls).toBeGreaterThan(0);
  });

  it('lets the sales team book, convert, turn down and lose leads, each outcome confirmed on its contact', () => {
    // Assess
    const outcomes = summary.leadOutcomes!;
    expect(outcomes.acted.book).toBeGreaterThan(0);
    expect(outcomes.acted.convert).toBeGreaterThan(0);
    expect(outcomes.acted['turn-down']).toBeGreaterThan(0);
    expect(outcomes.acted.lose).toBeGreaterThan(0);
    const acted = Object.values(outcomes.acted).reduce((sum, n) => sum + n, 0);
    expect(outcomes.confirmed).toBe(acted);
    expect(outcomes.problems).toEqual([]);
  });
});
