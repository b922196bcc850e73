/**
 * Sizes. Every scenario runs in virtual time (sandbox/virtual-time.ts): the clock moves only when the
 * handlers, the simulators and dynalite are all waiting, so local CPU takes no simulated time and a
 * loaded machine gives the same figures. The time scale stays 1 (kept in the plan for the table).
 */
export interface SidePlan {
  pollerCalls: { contacts: number; timeScale: number; maxTicks: number };
  pollerDrain: { contacts: number; timeScale: number; maxTicks: number };
  webexResyncs: { attendees: number; timeScale: number };
  webexDrain: { attendees: number; timeScale: number };
  capProbe?: { contacts: number; timeScale: number };
}

/** Simulated round-trip latency of every API call (HubSpot, Tripleseat, Webex), in ms. */
export const LATENCY_MS = 100;

export const TARGET = { pollerCalls: 1_000, pollerDrain: 10_000, webexResyncs: 5_000, webexDrain: 10_000 };

export function plans(quick: boolean): { ours: SidePlan; naive: SidePlan } {
  const f = quick ? 10 : 1;
  return {
    ours: {
      pollerCalls: { contacts: TARGET.pollerCalls / f, timeScale: 1, maxTicks: 10 },
      pollerDrain: { contacts: TARGET.pollerDrain / f, timeScale: 1, maxTicks: 40 },
      webexResyncs: { attendees: TARGET.webexResyncs / f, timeScale: 1 },
      webexDrain: { attendees: TARGET.webexDrain / f, timeScale: 1 },
    },
    naive: {
      // Sequential and latency-bound: ~0.3 s of simulated time per contact, ~0.1 s per person.
      pollerCalls: { contacts: TARGET.pollerCalls / f, timeScale: 1, maxTicks: 10 },
      // Two Lambda ticks on the full backlog, then projected (a full naive drain takes ~1 h simulated).
      pollerDrain: { contacts: TARGET.pollerDrain / f, timeScale: 1, maxTicks: 2 },
      webexResyncs: { attendees: 2_000 / f, timeScale: 1 },
      webexDrain: { attendees: 2_000 / f, timeScale: 1 },
      // Needs a backlog above 10,000 whatever the mode; skipped by --quick (seeding costs ~10 s).
      ...(quick ? {} : { capProbe: { contacts: 10_050, timeScale: 1 } }),
    },
  };
}
