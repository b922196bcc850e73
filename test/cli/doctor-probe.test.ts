/**
 * `venue-sync doctor --probe` and the plain doctor's vendor rows against the sandbox World, in default
 * mode (every open assumption as the product expects) and in odd mode (every one the other way). Real
 * SDKs over real HTTP to the simulators, dynalite for the table; nothing mocked.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../sandbox/world';
import { tripleseatKeys } from '../../sandbox/world';
import { useWorld, validContact } from '../helpers/world';
import { cli } from './helpers';

const VENUE = 'venue-a';
const FUNCTION_URL = 'https://abcdefghij0123456789.lambda-url.us-east-1.on.aws/';

interface ProbeJson {
  probedAt: string;
  ok: boolean;
  results: Array<{ assumption: string; venueId?: string; verdict: string; seen: string; action: string }>;
}

/** Gives the probe something to look at: a contact ticked, cleared and ticked again; one lead. */
async function seedObservables(w: World): Promise<void> {
  const contact = validContact(w);
  const flag = w.flagProperty(VENUE);
  w.hubspot.setProperty(contact, flag, 'true');
  w.clock.advance(60_000);
  w.hubspot.setProperty(contact, flag, 'false');
  w.clock.advance(60_000);
  w.hubspot.setProperty(contact, flag, 'true');
  const response = await fetch(
    `${w.tripleseat.url}/v1/leads/create.js?public_key=${tripleseatKeys(VENUE).publicKey}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        lead: {
          first_name: 'Ada',
          last_name: 'Probe',
          email_address: 'ada.probe@example.com',
          phone_number: '+1 617 555 0100',
        },
      }),
    },
  );
  if (response.status !== 200) throw new Error(`seeding a lead failed: ${response.status}`);
}

/** The probe over every venue with venue A's credentials (so A's Tripleseat is probed) and Webex. */
async function probe(w: World): Promise<{ code: number; json: ProbeJson }> {
  const result = await cli(w, ['doctor', '--probe', '--json', '--webhook-url', FUNCTION_URL], {
    venue: VENUE,
  });
  return { code: result.code, json: JSON.parse(result.stdout) as ProbeJson };
}

/** assumption -> verdict, for venue A's rows and the account-wide ones. */
function verdicts(report: ProbeJson): Record<string, string> {
  return Object.fromEntries(
    report.results
      .filter((result) => result.venueId === undefined || result.venueId === VENUE)
      .map((result) => [result.assumption, result.verdict]),
  );
}

describe('Command: doctor --probe (default mode)', () => {
  const world = useWorld();

  it('confirms every assumption it can check, prints ISO times in --json, and exits 0', async () => {
    // Prepare
    const w = world();
    await seedObservables(w);

    // Act
    const { code, json } = await probe(w);

    // Assess
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.probedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(verdicts(json)).toEqual({
      'hubspot.flag-type': 'confirmed',
      'hubspot.history-order': 'confirmed',
      'hubspot.rate-limit-tier': 'confirmed',
      // Default venues hold a static token: nothing to refresh, said so.
      'tripleseat.refresh': 'not-checkable',
      'tripleseat.token-lifetime': 'not-checkable',
      'tripleseat.created-at': 'confirmed',
      'webex.fields': 'confirmed',
      'webex.attendees-list': 'confirmed',
      'webex.events-list': 'confirmed',
      'webex.total-count': 'confirmed',
      'webhook.target-url': 'confirmed',
    });
    // Another venue's Tripleseat is not probed with venue A's credentials.
    expect(
      json.results.find((r) => r.venueId === 'venue-b' && r.assumption === 'tripleseat.refresh'),
    ).toMatchObject({
      verdict: 'not-checkable',
    });
  });

  it('prints a human table with a verdict per assumption and what to do', async () => {
    // Act
    const result = await cli(world(), ['doctor', '--probe', VENUE], { venue: VENUE });

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hubspot.rate-limit-tier');
    expect(result.stdout).toContain('CONFIRMED');
    expect(result.stdout).toContain('NOT CHECKABLE');
    expect(result.stdout).toContain('--webhook-url'); // the URL was not given: how to check it
    expect(result.stdout).not.toContain(tripleseatKeys(VENUE).oauthToken);
  });

  it('plain doctor reports the Webex field report line and that the token is static', async () => {
    // Act
    const result = await cli(world(), ['doctor', '--json'], { venue: VENUE });
    const rows = (
      JSON.parse(result.stdout) as { rows: Array<{ check: string; status: string; detail: string }> }
    ).rows;

    // Assess
    expect(rows.find((row) => row.check === 'webex fields')).toMatchObject({ status: 'pass' });
    expect(rows.find((row) => row.check === `tripleseat ${VENUE} oauth`)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('static token: no refresh'),
    });
  });
});

describe('Command: doctor --probe (odd mode)', () => {
  const world = useWorld({ odd: true });

  it('reports "differs" for each odd assumption, with what it saw, and exits 1 for the missing Webex fields', async () => {
    // Prepare
    const w = world();
    await seedObservables(w);

    // Act
    const { code, json } = await probe(w);

    // Assess
    const seen = (id: string) =>
      json.results.find((r) => r.assumption === id && (r.venueId ?? VENUE) === VENUE)?.seen;
    expect(verdicts(json)).toMatchObject({
      'hubspot.history-order': 'differs',
      'tripleseat.refresh': 'confirmed',
      'tripleseat.token-lifetime': 'differs',
      'tripleseat.created-at': 'differs',
      'webex.fields': 'differs',
      'webex.events-list': 'differs',
      'webex.total-count': 'differs',
      // Not odd: still as expected.
      'hubspot.flag-type': 'confirmed',
      'hubspot.rate-limit-tier': 'confirmed',
      'webex.attendees-list': 'confirmed',
    });
    expect(seen('hubspot.history-order')).toContain('oldest-first');
    expect(seen('tripleseat.token-lifetime')).toContain('60 s');
    expect(seen('tripleseat.created-at')).toContain('zoneless');
    expect(seen('webex.fields')).toContain('checkedIn');
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(JSON.stringify(json)).not.toContain(tripleseatKeys(VENUE).clientSecret);
  });

  it('plain doctor passes the refreshing OAuth row and fails the missing Webex fields', async () => {
    // Act
    const result = await cli(world(), ['doctor', VENUE, '--json'], { venue: VENUE });
    const all = await cli(world(), ['doctor', '--json'], { venue: VENUE });
    const rows = (text: string) =>
      (JSON.parse(text) as { rows: Array<{ check: string; status: string; detail: string }> }).rows;

    // Assess
    expect(rows(result.stdout).find((row) => row.check === `tripleseat ${VENUE} oauth`)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('refreshing OAuth 2.0'),
    });
    expect(
      rows(all.stdout)
        .filter((row) => row.check.startsWith('webex field '))
        .map((row) => row.status),
    ).toContain('fail');
  });
});
