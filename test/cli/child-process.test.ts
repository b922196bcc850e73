/** One true child-process run of the CLI (`npx tsx bin/cli.ts ... --json`) against the sandbox World. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useWorld, validContact, tickPoller } from '../helpers/world';

const run = promisify(execFile);
const world = useWorld();

describe('CLI process', () => {
  it('prints `status contact <id> --json` on stdout and exits 0', async () => {
    // Prepare
    const w = world();
    const contactId = validContact(w);
    w.tick(contactId, 'venue-a');
    await tickPoller(w, 'venue-a');

    // Act
    const { stdout } = await run('npx', ['tsx', 'bin/cli.ts', 'status', 'contact', contactId, '--json'], {
      env: { ...process.env, ...w.pollerEnv('venue-a') },
      timeout: 25_000,
    });

    // Assess
    const result = JSON.parse(stdout);
    expect(result.contactIds).toEqual([contactId]);
    expect(result.ledger).toEqual([expect.objectContaining({ venueId: 'venue-a', state: 'DONE' })]);
    expect(result.hubspot[0].venues[0]).toMatchObject({ venueId: 'venue-a', flag: 'false' });
  });

  it('exits 1 with the reason on stderr for an unknown venue', async () => {
    const failure = await run('npx', ['tsx', 'bin/cli.ts', 'run', 'venue-z', '--dry-run'], {
      env: { ...process.env, ...world().pollerEnv('venue-a') },
      timeout: 25_000,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(
      "unknown venue 'venue-z'; the config has: venue-a, venue-b, marina",
    );
  });
});
