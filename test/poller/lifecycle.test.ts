import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../shared/rate-limit/errors';
import { keys, ReconciliationStore } from '../../shared/reconciliation';
import { LabelResolutionError } from '../../shared/schema';
import { World } from '../../sandbox/world';
import { capturingObservability, tickPoller, useWorld, validContact } from '../helpers/world';

const world = useWorld();

const store = (w: World) =>
  new ReconciliationStore({ client: w.dynamo.client, tableName: w.dynamo.tableName });
const leadsFor = (w: World, venueId: string, contactId: string) => {
  const email = w.hubspot.getContact(contactId)?.properties['email'];
  return w.tripleseat.leads(venueId).filter((lead) => lead.email_address === email);
};

describe('Engine: pollVenue lifecycle', () => {
  it('a contact ticked again after it was synced gets a second lead, once', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-a');
    await tickPoller(w, 'venue-a');
    w.clock.advance(60_000);

    w.tick(contact, 'venue-a');
    await tickPoller(w, 'venue-a');
    await tickPoller(w, 'venue-a');

    expect(leadsFor(w, 'venue-a', contact)).toHaveLength(2);
    expect((await store(w).listLedger('venue-a')).filter((e) => e.contactId === contact)).toHaveLength(2);
  });

  it('stops inside a page when time runs short and the next tick picks up exactly where it stopped', async () => {
    const w = world();
    const contacts = Array.from({ length: 30 }, () => validContact(w));
    for (const id of contacts) w.tick(id, 'venue-b');
    const createsBefore = w.tripleseat.log.count((entry) => entry.path.endsWith('create.js'));
    // The "Lambda" has plenty of time until 10 leads have been sent, then almost none.
    const remainingMs = () =>
      w.tripleseat.log.count((entry) => entry.path.endsWith('create.js')) - createsBefore >= 10
        ? 1_000
        : 240_000;

    const first = await tickPoller(w, 'venue-b', { remainingMs });
    const second = await tickPoller(w, 'venue-b');

    expect(first.status).toBe('stopped-for-time');
    expect(first.created).toBeGreaterThanOrEqual(10);
    expect(first.created).toBeLessThan(30);
    expect(second).toMatchObject({ status: 'completed', created: 30 - first.created });
    for (const id of contacts) expect(leadsFor(w, 'venue-b', id)).toHaveLength(1);
  });

  it('rejects a contact that cannot be a lead, says why on the contact, and never blocks the batch', async () => {
    const w = world();
    const noLastName = validContact(w, { lastname: '' });
    const fine = validContact(w);
    w.tick(noLastName, 'venue-a');
    w.tick(fine, 'venue-a');

    const report = await tickPoller(w, 'venue-a');

    expect(report).toMatchObject({ rejected: 1, created: 1 });
    expect(report.rejections).toEqual([{ contactId: noLastName, reason: 'last name missing' }]);
    const rejected = w.hubspot.getContact(noLastName)?.properties;
    expect(rejected?.['tripleseat_status_venue_a']).toBe('Rejected: last name missing');
    expect(rejected?.[w.flagProperty('venue-a')]).toBe('false');
    expect((await store(w).listLedger('venue-a')).find((e) => e.contactId === noLastName)?.state).toBe(
      'REJECTED',
    );
  });

  it('treats a Tripleseat HTTP 422 on create as a rejection', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, status: 422, times: 1 });

    const report = await tickPoller(w, 'venue-b');

    expect(report.rejected).toBe(1);
    expect(report.rejections[0]?.reason).toMatch(/^Tripleseat:|HTTP 422/);
  });

  it('treats a Tripleseat 200 with errors as a rejection naming the field', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-b');
    const leadsBefore = w.tripleseat.leads('venue-b').length;

    // The lead form answers 200 with `{"errors":{"location_id":[...]}}` for a location of another account.
    const report = await tickPoller(w, 'venue-b', { env: { TRIPLESEAT_LOCATION_ID: '999999' } });

    expect(report).toMatchObject({ rejected: 1, created: 0 });
    expect(report.rejections).toEqual([
      { contactId: contact, reason: expect.stringMatching(/^Tripleseat: location_id /) },
    ]);
    expect(w.tripleseat.leads('venue-b')).toHaveLength(leadsBefore);
    expect(w.tripleseat.log.entries.at(-1)).toMatchObject({
      path: expect.stringMatching(/create\.js$/),
      status: 200,
    });
  });

  it('retries temporary Tripleseat failures on later ticks and quarantines after 5 attempts', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, status: 503 });
    try {
      const reports = [];
      for (let tick = 0; tick < 6; tick++) reports.push(await tickPoller(w, 'venue-b'));

      expect(reports.map((r) => r.retried + r.quarantined * 10)).toEqual([1, 1, 1, 1, 10, 0]);
      const quarantine = await store(w).listQuarantine(keys.venueSource('venue-b'));
      expect(quarantine.find((q) => q.key.startsWith(`${contact}#`))?.reason).toMatch(/failed 5 times/);
      expect(w.hubspot.getContact(contact)?.properties[w.flagProperty('venue-b')]).toBe('false');
    } finally {
      w.tripleseat.faults.clear();
    }
  });

  it('stops on a revoked Tripleseat key with a message that explains public key vs OAuth, losing nothing', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-a');

    const error = await tickPoller(w, 'venue-a', { env: { TRIPLESEAT_PUBLIC_KEY: 'ts-pk-revoked' } }).catch(
      (e) => e,
    );
    await tickPoller(w, 'venue-a');

    expect(error).toBeInstanceOf(AuthError);
    expect(String(error.message)).toMatch(/PUBLIC KEY/);
    expect(String(error.message)).not.toContain('ts-pk-revoked');
    expect(leadsFor(w, 'venue-a', contact)).toHaveLength(1);
  });

  it('stops on a HubSpot 401 with a clear message and no retry', async () => {
    const w = world();
    const before = w.hubspot.log.entries.length;

    const error = await tickPoller(w, 'venue-a', { env: { HUBSPOT_TOKEN: 'pat-revoked' } }).catch((e) => e);

    expect(error).toBeInstanceOf(AuthError);
    expect(String(error.message)).toMatch(/401/);
    expect(String(error.message)).not.toContain('pat-revoked');
    expect(w.hubspot.log.entries.length - before).toBe(1);
  });

  it('ends the run cleanly on the HubSpot daily limit', async () => {
    // A portal with a tiny daily budget answers the real DAILY 429 body after three calls.
    const daily = await World.start({ timeScale: 50, hubspot: { dailyLimit: 3 } });
    try {
      const id = validContact(daily);
      daily.tick(id, 'venue-a');

      const report = await tickPoller(daily, 'venue-a');

      expect(report.status).toBe('daily-limit');
      expect(daily.hubspot.rateLimited429sByPolicy.DAILY).toBeGreaterThan(0);
    } finally {
      await daily.close();
    }
  });

  it('never crashes on malformed contacts: each is rejected with a reason naming the field', async () => {
    const w = world();
    const text = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 40 }),
      fc.constant('   '),
      fc.constant('\u0000x'),
    );
    const contactArb = fc.record({
      firstname: text,
      lastname: text,
      email: fc.oneof(fc.constant('not-an-email'), fc.constant(''), fc.emailAddress(), text),
      phone: fc.oneof(fc.constant('call me'), fc.constant(''), fc.constant('+1 617 555 0100'), text),
      guest_count: fc.oneof(fc.constant('-3'), fc.constant('2.5'), fc.constant('40'), fc.constant('')),
      event_date: fc.oneof(fc.constant('2027-02-30'), fc.constant('2027-06-12'), fc.constant('')),
    });
    const samples = fc.sample(contactArb, { numRuns: 60, seed: 7 });
    const ids: string[] = [];
    for (const [index, sample] of samples.entries()) {
      // Emails must be unique in HubSpot; keep the malformed shape but make duplicates distinct.
      const email = sample.email.includes('@') ? `${index}.${sample.email}` : sample.email;
      try {
        const id = w.hubspot.createContact({ ...sample, email });
        w.tick(id, 'venue-b');
        ids.push(id);
      } catch {
        // The simulator refuses values HubSpot itself would refuse (e.g. an invalid date); skip those.
      }
    }

    const report = await tickPoller(w, 'venue-b');

    expect(report.created + report.rejected).toBe(ids.length);
    for (const rejection of report.rejections) {
      expect(rejection.reason).toMatch(
        /first name|last name|email address|phone number|guest count|event date|Tripleseat/,
      );
    }
    for (const id of ids)
      expect(w.hubspot.getContact(id)?.properties[w.flagProperty('venue-b')]).toBe('false');
  });
});

describe('Engine: pollVenue label resolution', () => {
  it('resolves an en dash and case differences to the venue checkbox', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-a');

    const report = await tickPoller(w, 'venue-a', { env: { SYNC_FLAG_LABEL: 'tripleseat sync – VENUE A' } });

    expect(report.created).toBe(1);
    expect(leadsFor(w, 'venue-a', contact)).toHaveLength(1);
  });

  it('refuses "Venue C" when only Venue A/B-like checkboxes exist, naming the closest, and sends nothing', async () => {
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-a');
    const leadsBefore = w.tripleseat.allLeads().length;
    const log = capturingObservability();

    const error = await tickPoller(w, 'venue-a', {
      env: { SYNC_FLAG_LABEL: 'Tripleseat Sync - Venue C' },
      observability: log,
    }).catch((e) => e);

    expect(error).toBeInstanceOf(LabelResolutionError);
    expect(error.message).toMatch(
      /'Tripleseat Sync - Venue C' not found; closest: 'Tripleseat Sync - Venue [AB]' \(0\.\d+/,
    );
    expect(w.tripleseat.allLeads()).toHaveLength(leadsBefore);
  });
});
