/**
 * One venue poller invocation in its own process, for crash tests that need a real SIGKILL (a thrown
 * exception would run the handler's `finally` and release the lease; a killed Lambda does not).
 *
 * Input (environment): POLLER_ENV (JSON, the handler's environment), CLOCK_OFFSET_MS (added to
 * Date.now(), so the parent can put this run minutes after the last one), REMAINING_MS (what
 * getRemainingTimeInMillis answers), and optionally KILL_AT_STEP + KILL_CONTACT: the process kills
 * itself with SIGKILL at that step boundary for that contact. Prints the poll report as JSON on success.
 */
import { randomUUID } from 'node:crypto';
import { createHandler } from '../../../lambdas/venue-poller/handler';

const offset = Number(process.env['CLOCK_OFFSET_MS'] ?? '0');
const remaining = Number(process.env['REMAINING_MS'] ?? '240000');
const killAt = process.env['KILL_AT_STEP'];
const killContact = process.env['KILL_CONTACT'];
const silent = { info: () => {}, warn: () => {}, error: () => {} };

const handler = createHandler(JSON.parse(process.env['POLLER_ENV'] ?? '{}') as Record<string, string>, {
  observability: { log: silent, metrics: { publish: () => {} } },
  now: () => Date.now() + offset,
  onStep: (step, contactId) => {
    if (step === killAt && (killContact === undefined || killContact === contactId)) {
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
const report = await handler(
  {},
  { awsRequestId: `child-${randomUUID()}`, getRemainingTimeInMillis: () => remaining },
);
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
