/**
 * `npm start -- --once --chaos --json` as ops run it: a child process (tsx), the whole product on
 * loopback with 429 storms, outages, slow and lost answers injected by a seeded plan, then settle,
 * replay and the end-state checks. Timing differs run to run; the checks must hold whatever the
 * interleaving, so only outcomes are asserted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OnceSummary } from '../../sandbox/summary';
import { runSandbox, type SandboxRun } from '../helpers/sandbox-process';

describe('Sandbox: npm start -- --once --chaos --json', () => {
  let result: SandboxRun;
  let summary: OnceSummary;

  beforeAll(async () => {
    // Prepare + Act: seed 11 puts HubSpot batch-update outages, Tripleseat outages and lost create
    // answers into the window.
    result = await runSandbox(
      ['--once', '--chaos', '--seed', '11', '--json', '--time-scale', '120'],
      110_000,
    );
    summary = JSON.parse(result.stdout) as OnceSummary;
  }, 120_000);

  it('exits 0 with every invariant holding end to end', () => {
    // Assess
    expect(result.code, `${result.stderr}\n${JSON.stringify(summary.checks, null, 2)}`).toBe(0);
    expect(summary.failedChecks).toEqual([]);
    expect(summary.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'one-lead-per-valid-request',
        'no-duplicate-leads',
        'right-venue-only',
        'nothing-lost',
        'quarantine-justified',
        'settled-after-chaos',
        'flags-cleared',
        'rejections-have-reasons',
        'lead-outcomes',
      ]),
    );
  });

  it('really injected trouble: the plan has every kind, and answers were changed', () => {
    // Assess
    const chaos = summary.chaos!;
    expect(chaos.seed).toBe(11);
    const labels = chaos.episodes.map((episode) => episode.label).join('\n');
    for (const kind of [/429 storm/, /outage/, /slow answers/, /answer lost/]) expect(labels).toMatch(kind);
    const injected = Object.values(chaos.injected);
    expect(injected.reduce((n, api) => n + api.lostAnswers + api.status503, 0)).toBeGreaterThan(0);
    expect(chaos.requestsDuringChaos).toBeGreaterThan(0);
  });

  it('replays whatever was quarantined and leaves only what a person must confirm', () => {
    // Assess
    const chaos = summary.chaos!;
    for (const venue of chaos.replay) {
      if (venue.quarantined === 0) continue;
      expect(venue.report?.items.length, venue.venueId).toBe(venue.quarantined);
      // With OAuth nothing is left for a person; without, only requests whose lead exists are skipped.
      if (venue.hasOauth)
        expect(venue.report?.items.filter((item) => item.outcome === 'skipped')).toEqual([]);
    }
  });
});
