/**
 * A backlog above HubSpot's 10,000-result search cap drains completely across ticks, each tick
 * stopping before its (simulated) Lambda timeout and continuing from the checkpoint. Everything,
 * dynalite included, shares one process under virtual time: the clock moves only when every participant
 * waits, so the machine's load cannot turn CPU time into simulated Lambda seconds.
 */
import { describe, expect, it } from 'vitest';
import { VirtualTime } from '../../sandbox/virtual-time';
import { World } from '../../sandbox/world';
import { tickPoller } from '../helpers/world';

const BACKLOG = 12_000;
// Virtual time: every limit is enforced on it, none of it is spent on CPU.
const TIME_SCALE = 1;
const LAMBDA_TIMEOUT_MS = 240_000;

describe('Engine: pollVenue backlog', () => {
  it(`drains ${BACKLOG.toLocaleString('en-US')} flagged contacts across ticks, one lead each`, async () => {
    const time = VirtualTime.install();
    const w = await World.start({ timeScale: TIME_SCALE, hubspot: { tenSecondLimit: 190 } });
    try {
      const flag = w.flagProperty('venue-b');
      for (let i = 0; i < BACKLOG; i++) {
        w.hubspot.createContact({
          firstname: 'Guest',
          lastname: `Number ${i}`,
          email: `guest${i}@example.com`,
          phone: '+16175550100',
          [flag]: 'true',
        });
      }

      const reports = [];
      for (let tick = 0; tick < 80; tick++) {
        const deadline = w.clock.now() + LAMBDA_TIMEOUT_MS;
        const report = await tickPoller(w, 'venue-b', { remainingMs: () => deadline - w.clock.now() });
        reports.push(report);
        if (report.status === 'completed') break;
      }

      expect(reports.at(-1)?.status).toBe('completed');
      expect(reports.length).toBeGreaterThan(1); // it really took several ticks
      expect(reports.reduce((sum, r) => sum + r.created, 0)).toBe(BACKLOG);
      expect(new Set(w.tripleseat.leads('venue-b').map((lead) => lead.email_address)).size).toBe(BACKLOG);
      expect(w.tripleseat.leads('venue-b')).toHaveLength(BACKLOG);
      expect(w.hubspot.rateLimited429s).toBe(0);
    } finally {
      await w.close();
      time.uninstall();
    }
  }, 400_000);
});
