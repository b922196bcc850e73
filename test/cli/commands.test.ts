/**
 * The `venue-sync` commands against the sandbox World (dynalite + the HubSpot, Tripleseat and Webex
 * simulators), in-process through runCli with captured output, human and --json.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { TripleseatClient } from '../../shared/tripleseat/client';
import { createApiCaller } from '../../shared/rate-limit';
import { ReconciliationStore } from '../../shared/reconciliation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tripleseatKeys } from '../../sandbox/world';
import { useWorld, validContact } from '../helpers/world';
import { cli } from './helpers';

const world = useWorld();

function storeOf() {
  const w = world();
  return new ReconciliationStore({
    client: new DynamoDBClient({
      endpoint: w.dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    tableName: w.dynamo.tableName,
    now: () => w.clock.now(),
  });
}

describe('Command: setup', () => {
  it('creates a new venue group member idempotently and reports a near-miss label instead of duplicating it', async () => {
    // Prepare: a config with a fourth venue HubSpot does not know yet; its status label exists with a typo
    const w = world();
    w.hubspot.defineProperty({
      name: 'ts_status_c',
      label: 'Tripleseat Status - Venu C',
      type: 'string',
      fieldType: 'text',
    });
    const config = {
      ...appConfig,
      venues: [
        ...appConfig.venues,
        {
          id: 'venue-c',
          displayName: 'Venue C',
          syncFlagLabel: 'Tripleseat Sync - Venue C',
          fieldMap: appConfig.venues[0]?.fieldMap ?? {},
          secretName: 'venue-sync/venue-c',
          writeBack: { status: 'Tripleseat Status - Venue C', leadId: 'Tripleseat Lead ID - Venue C' },
        },
      ],
    };
    const dir = await mkdtemp(join(tmpdir(), 'venue-sync-cli-'));
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify(config));

    // Act
    const dry = await cli(w, ['setup', 'venue-c', '--dry-run', '--config', file]);
    const afterDryRun = w.hubspot.property('tripleseat_sync_venue_c');
    // Creating properties needs credentials that name the venue (as .sandbox/venue-c.env would).
    const venueC = { env: { VENUE_ID: 'venue-c' } };
    const created = await cli(w, ['setup', 'venue-c', '--config', file, '--json'], venueC);
    const again = await cli(w, ['setup', 'venue-c', '--config', file, '--json'], venueC);

    // Assess
    expect(dry.stdout).toContain('Dry run');
    expect(dry.stdout).toMatch(/would-create\s+Tripleseat Sync - Venue C \[bool\]/);
    expect(afterDryRun).toBeUndefined();
    const first = JSON.parse(created.stdout);
    const states = Object.fromEntries(
      first.properties.map((p: { label: string; state: string }) => [p.label, p.state]),
    );
    expect(states).toEqual({
      'Tripleseat Sync - Venue C': 'created',
      'Tripleseat Status - Venue C': 'near-miss',
      'Tripleseat Lead ID - Venue C': 'created',
    });
    expect(created.code).toBe(1); // the near miss needs a person
    expect(w.hubspot.property('tripleseat_sync_venue_c')?.type).toBe('bool');
    expect(w.hubspot.property('tripleseat_status_venue_c')).toBeUndefined();
    const second = JSON.parse(again.stdout);
    expect(second.properties.map((p: { state: string }) => p.state)).toEqual([
      'present',
      'near-miss',
      'present',
    ]);
  });
});

describe('Command: doctor', () => {
  it('passes for a healthy venue, with a table of checks, and exits 0', async () => {
    const result = await cli(world(), ['doctor', 'venue-a'], { venue: 'venue-a' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/hubspot token\s+PASS/);
    expect(result.stdout).toMatch(/labels venue-a\s+PASS/);
    expect(result.stdout).toMatch(/tripleseat venue-a oauth\s+PASS/);
    expect(result.stdout).toMatch(
      /tripleseat venue-a public key\s+SKIP\s+present; the lead form API has no read call/,
    );
    expect(result.stdout).toContain('All required checks passed.');
  });

  it('fails with next steps for a venue without OAuth and a wrong label, exit code 1 (--json)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'venue-sync-cli-'));
    const file = join(dir, 'config.json');
    const venues = appConfig.venues.map((venue) =>
      venue.id === 'marina' ? { ...venue, syncFlagLabel: 'Tripleseat Sync - Marine Deck' } : venue,
    );
    await writeFile(file, JSON.stringify({ ...appConfig, venues }));
    const result = await cli(world(), ['doctor', 'marina', '--json', '--config', file], { venue: 'marina' });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const row = (check: string) => report.rows.find((r: { check: string }) => r.check === check);
    expect(row('labels marina').status).toBe('fail');
    expect(row('labels marina').detail).toContain(
      "label 'Tripleseat Sync - Marine Deck' not found; closest:",
    );
    expect(row('labels marina').next).toContain('venue-sync setup marina');
    // The marina sends its leads to its own platform: doctor checks that, and no Tripleseat row appears.
    expect(report.rows.filter((r: { check: string }) => r.check.startsWith('tripleseat'))).toEqual([]);
    expect(report.rows.map((r: { check: string }) => r.check)).toContain('destination marina');
  });

  it('fails the HubSpot row on a bad token and checks Webex when no venue is named', async () => {
    const result = await cli(world(), ['doctor'], { env: { HUBSPOT_TOKEN: 'pat-wrong' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/hubspot token\s+FAIL/);
    expect(result.stdout).toContain('the token is wrong or revoked');
    expect(result.stdout).toMatch(/webex token\s+PASS/);
  });
});

describe('Command: run, status, status contact', () => {
  it('plans without writing, runs the real handler, then reports status per venue and per contact', async () => {
    // Prepare
    const w = world();
    const good = validContact(w);
    const noLastName = validContact(w, { lastname: '' });
    w.tick(good, 'venue-a');
    w.tick(noLastName, 'venue-a');
    w.tick(good, 'venue-b');

    // Act 1: dry run
    const plan = await cli(w, ['run', 'venue-a', '--dry-run', '--json'], { venue: 'venue-a' });
    const human = await cli(w, ['run', 'venue-a', '--dry-run'], { venue: 'venue-a' });

    // Assess 1: the plan, and nothing written
    const parsed = JSON.parse(plan.stdout);
    expect(parsed.leadsToCreate).toEqual([
      expect.objectContaining({
        contactId: good,
        attempt: 1,
        fields: expect.arrayContaining(['email_address', 'last_name']),
      }),
    ]);
    expect(JSON.stringify(parsed)).not.toContain('@example.com'); // no personal data in the plan
    expect(parsed.rejections).toEqual([
      expect.objectContaining({ contactId: noLastName, reason: 'last name missing' }),
    ]);
    expect(parsed.flagsToClear.map((f: { statusText: string }) => f.statusText)).toContain(
      'Rejected: last name missing',
    );
    expect(human.stdout).toContain("Dry run for venue 'venue-a': nothing was written.");
    expect(w.hubspot.getContact(good)?.properties[w.flagProperty('venue-a')]).toBe('true');
    expect(await storeOf().listLedger('venue-a')).toEqual([]);
    expect(w.tripleseat.leads('venue-a')).toHaveLength(0);

    // Act 2: one real tick for venue-a and venue-b
    const ran = await cli(w, ['run', 'venue-a'], { venue: 'venue-a' });
    await cli(w, ['run', 'venue-b', '--json'], { venue: 'venue-b' });

    // Assess 2
    expect(ran.stdout).toContain("Ran venue 'venue-a' once: completed");
    expect(ran.stdout).toContain(`rejected ${noLastName}: last name missing`);
    expect(w.tripleseat.leads('venue-a')).toHaveLength(1);

    // Act 3: status
    const status = await cli(w, ['status', 'venue-a', '--json'], { venue: 'venue-a' });
    const statusHuman = await cli(w, ['status', 'venue-a'], { venue: 'venue-a' });
    const report = JSON.parse(status.stdout);
    expect(report.venues[0].ledger).toMatchObject({ DONE: 1, REJECTED: 1, CLAIMED: 0 });
    expect(report.venues[0].backlog).toBe(0);
    expect(report.venues[0].recentRejections[0]).toMatchObject({
      contactId: noLastName,
      reason: 'last name missing',
    });
    expect(statusHuman.stdout).toMatch(/ledger: CLAIMED 0, .*DONE 1, REJECTED 1, QUARANTINED 0/);
    expect(statusHuman.stdout).toContain(`contact ${noLastName}: last name missing`);

    // Act 4: status contact by email (HubSpot search) across venues
    const email = w.hubspot.getContact(good)?.properties.email ?? '';
    const byEmail = await cli(w, ['status', 'contact', email, '--json']);
    const contact = JSON.parse(byEmail.stdout);
    expect(contact.contactIds).toEqual([good]);
    expect(
      contact.ledger.map((e: { venueId: string; state: string }) => `${e.venueId}:${e.state}`).sort(),
    ).toEqual(['venue-a:DONE', 'venue-b:DONE']);
    const venueA = contact.hubspot[0].venues.find((v: { venueId: string }) => v.venueId === 'venue-a');
    expect(venueA).toMatchObject({
      flag: 'false',
      status: expect.stringMatching(/^Sent to Tripleseat \(lead \d+\)$/),
    });
    const byId = await cli(w, ['status', 'contact', good]);
    expect(byId.stdout).toContain(`Records for ${good}`);
    expect(byId.stdout).toMatch(/venue-a\s+\S+\s+DONE\s+1\s+\d+/);
  });

  it('refuses a --timeout that is not a positive number, before running anything', async () => {
    const w = world();
    const callsBefore = w.hubspot.log.entries.length;
    const result = await cli(w, ['run', 'venue-a', '--timeout', 'soon'], { venue: 'venue-a' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--timeout must be a positive number of seconds');
    expect(w.hubspot.log.entries.length).toBe(callsBefore);
  });

  it('explains a missing table', async () => {
    const result = await cli(world(), ['status'], { env: { TABLE_NAME: '' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('this command reads the reconciliation table: set TABLE_NAME');
  });
});

describe('Command: replay', () => {
  it('asks first, then re-drives a quarantined request through the engine rules and writes back', async () => {
    // Prepare: a request quarantined by an earlier run (its checkbox already cleared)
    const w = world();
    const store = storeOf();
    const contactId = validContact(w);
    w.tick(contactId, 'venue-a');
    const flagSetAt = new Date(
      w.hubspot.history(contactId, w.flagProperty('venue-a'))[0]?.timestamp ?? 0,
    ).toISOString();
    const key = { venueId: 'venue-a', contactId, flagSetAt };
    await store.claim(key, 'run-1', 60_000);
    await store.quarantineLedger(key, 'run-1', 'Tripleseat failed 5 times (503)');
    w.hubspot.setProperty(contactId, w.flagProperty('venue-a'), 'false');

    // Act
    const declined = await cli(w, ['replay', 'venue-a'], { venue: 'venue-a', confirm: false });
    const replayed = await cli(w, ['replay', 'venue-a', '--json'], { venue: 'venue-a', confirm: true });
    const empty = await cli(w, ['replay', 'venue-a', '--yes'], { venue: 'venue-a' });

    // Assess
    expect(declined.code).toBe(1);
    expect(declined.stderr).toContain('Tripleseat failed 5 times (503)');
    expect(declined.stderr).toContain('Nothing changed.');
    const report = JSON.parse(replayed.stdout);
    expect(report.items).toEqual([
      expect.objectContaining({ contactId, outcome: 'created', leadId: expect.any(String) }),
    ]);
    expect((await store.getLedger(key))?.state).toBe('DONE');
    expect(await store.listQuarantine('venue:venue-a')).toEqual([]);
    const status = w.hubspot.getContact(contactId)?.properties['tripleseat_status_venue_a'];
    expect(status).toBe(`Sent to Tripleseat (lead ${report.items[0].leadId})`);
    expect(empty.stdout).toContain("Nothing quarantined for venue 'venue-a'.");
  });

  it('leaves the request quarantined when reading the contact fails, so it stays replayable', async () => {
    // Prepare: a quarantined request, and HubSpot refusing the next contact read
    const w = world();
    const store = storeOf();
    const contactId = validContact(w);
    w.tick(contactId, 'venue-a');
    const flagSetAt = new Date(
      w.hubspot.history(contactId, w.flagProperty('venue-a'))[0]?.timestamp ?? 0,
    ).toISOString();
    const key = { venueId: 'venue-a', contactId, flagSetAt };
    await store.claim(key, 'run-1', 60_000);
    await store.quarantineLedger(key, 'run-1', 'Tripleseat failed 5 times (503)');
    w.hubspot.setProperty(contactId, w.flagProperty('venue-a'), 'false');
    w.hubspot.faults.add({ match: /batch\/read$/, status: 400, times: 1 });

    // Act
    const failed = await cli(w, ['replay', 'venue-a', '--yes', '--json'], { venue: 'venue-a' });
    const again = await cli(w, ['replay', 'venue-a', '--yes', '--json'], { venue: 'venue-a' });

    // Assess: still visible after the failure, and the next replay finishes it
    expect(JSON.parse(failed.stdout).items).toEqual([
      expect.objectContaining({
        contactId,
        outcome: 'skipped',
        detail: expect.stringMatching(/still quarantined/),
      }),
    ]);
    expect(JSON.parse(again.stdout).items).toEqual([
      expect.objectContaining({ contactId, outcome: 'created', leadId: expect.any(String) }),
    ]);
    expect((await store.getLedger(key))?.state).toBe('DONE');
    const email = w.hubspot.getContact(contactId)?.properties.email;
    expect(w.tripleseat.leads('venue-a').filter((lead) => lead.email_address === email)).toHaveLength(1);
  });
});

describe('Command: replay (one decision core)', () => {
  it('keeps a request whose lookup Tripleseat refuses quarantined (never rejects a valid contact)', async () => {
    // Prepare: venue-b (OAuth) with a request whose create answer was lost, and a lookup that is refused
    const w = world();
    const store = storeOf();
    const contactId = validContact(w);
    w.tick(contactId, 'venue-b');
    const flagSetAt = new Date(
      w.hubspot.history(contactId, w.flagProperty('venue-b'))[0]?.timestamp ?? 0,
    ).toISOString();
    const key = { venueId: 'venue-b', contactId, flagSetAt };
    const email = w.hubspot.getContact(contactId)?.properties.email ?? '';
    await store.claim(key, 'run-1', 60_000);
    await store.markSending(key, 'run-1', { email });
    await store.quarantineLedger(key, 'run-1', 'answer lost', { maybeSent: true });
    w.tripleseat.faults.add({ match: /search\.json/, status: 404, times: 1 });

    // Act
    const refused = await cli(w, ['replay', 'venue-b', '--yes', '--json'], { venue: 'venue-b' });

    // Assess: back in quarantine, still marked as maybe sent, nothing rejected, nothing created
    expect(JSON.parse(refused.stdout).items).toEqual([
      expect.objectContaining({ contactId, outcome: 'requarantined' }),
    ]);
    expect(await store.getLedger(key)).toMatchObject({ state: 'QUARANTINED', sendingAt: expect.any(Number) });
    expect(w.tripleseat.leads('venue-b').filter((lead) => lead.email_address === email)).toHaveLength(0);
  });
});

describe('Command: dedupe', () => {
  it('finds same-email leads within the window, keeps the oldest, deletes the extras with --apply --yes', async () => {
    // Prepare: three leads for one email (two within the window), one for another email
    const w = world();
    const client = new TripleseatClient(
      { ...tripleseatKeys('venue-b'), baseUrl: w.tripleseat.url },
      createApiCaller({ hubspotTenSecondLimit: 100 }),
    );
    const lead = (email: string) => ({
      first_name: 'Dup',
      last_name: 'Licate',
      email_address: email,
      phone_number: '6175550100',
    });
    const first = (await client.createLead(lead('dup@example.com'))).leadId;
    await client.createLead(lead('dup@example.com'));
    await client.createLead(lead('dup@example.com'));
    await client.createLead(lead('single@example.com'));
    const dir = await mkdtemp(join(tmpdir(), 'venue-sync-cli-'));
    const file = join(dir, 'emails.txt');
    await writeFile(file, '# contamination period\ndup@example.com\nsingle@example.com\n');

    // Act
    const report = await cli(w, ['dedupe', 'venue-b', '--emails-from', file], { venue: 'venue-b' });
    const applied = await cli(w, ['dedupe', 'venue-b', '--emails-from', file, '--apply', '--yes', '--json'], {
      venue: 'venue-b',
    });
    const noOauth = await cli(w, ['dedupe', 'venue-a', '--emails-from', file], {
      venue: 'venue-a',
      env: { TRIPLESEAT_OAUTH_TOKEN: undefined },
    });
    const otherPlatform = await cli(w, ['dedupe', 'marina', '--emails-from', file], { venue: 'marina' });

    // Assess
    expect(report.stdout).toContain('2 email(s) checked, 1 duplicate group(s), 2 extra lead(s)');
    expect(report.stdout).toContain(`dup@example.com: keep ${first}`);
    const result = JSON.parse(applied.stdout);
    expect(result.deleted).toHaveLength(2);
    expect(
      w.tripleseat
        .leads('venue-b')
        .filter((l) => l.email_address === 'dup@example.com')
        .map((l) => String(l.id)),
    ).toEqual([first]);
    expect(noOauth.code).toBe(1);
    expect(noOauth.stderr).toContain("needs the venue's OAuth token");
    expect(otherPlatform.code).toBe(1);
    expect(otherPlatform.stderr).toContain(
      "venue 'marina' sends its leads to Marina platform, not Tripleseat",
    );
  });
});
