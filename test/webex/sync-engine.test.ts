/**
 * syncWebex() against in-memory fakes of its ports (test/webex/fakes.ts): the engine's rules, fast.
 * The same engine over the real adapters and simulators is covered by sync-webex.test.ts and
 * resume-and-faults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { syncWebex, type SyncWebexDeps } from '../../shared/sync/sync-webex';
import { parseWebexFieldMap } from '../../shared/webex/fields';
import { FakeHubSpot, FakeStore, FakeWebexSource, property, registrants } from './fakes';
import { recordingLog } from './world';

const FIELD_MAP = parseWebexFieldMap({
  Email: 'email',
  'First Name': 'profile.firstName',
  'Company Name': 'profile.company',
});
const PROPERTIES = [
  property('email', 'Email'),
  property('firstname', 'First Name'),
  property('company', 'Company Name'),
];

function setup(options: { people?: number; lacking?: Array<'profile.company'> } = {}) {
  const webex = new FakeWebexSource(new Map([[7, registrants(options.people ?? 250)]]), options.lacking);
  const hubspot = new FakeHubSpot(PROPERTIES);
  const store = new FakeStore();
  const log = recordingLog();
  let runs = 0;
  const sync = (overrides: Partial<SyncWebexDeps> = {}) =>
    syncWebex({
      webex,
      hubspot,
      store,
      fieldMap: FIELD_MAP,
      eventIds: [],
      runId: `run-${(runs += 1)}`,
      remainingMs: () => 900_000,
      log,
      ...overrides,
    });
  return { webex, hubspot, store, log, sync };
}

describe('Function: syncWebex (engine over port fakes)', () => {
  it('creates every person, 100 a call, and clears the checkpoint at the end of the pass', async () => {
    // Prepare
    const { hubspot, store, sync } = setup();

    // Act
    const report = await sync();

    // Assess
    expect(report).toMatchObject({ status: 'completed', pages: 3, attendeesSeen: 250, created: 250 });
    expect(hubspot.calls.map((call) => call.length)).toEqual([100, 100, 50]);
    expect(hubspot.contacts.get('person1@example.com')?.properties).toEqual({
      email: 'person1@example.com',
      firstname: 'Person 1',
      company: 'Acme',
    });
    expect(store.checkpoints.size).toBe(0);
    expect(store.leases.size).toBe(0);
  });

  it('makes no HubSpot call for people whose mapped values did not change', async () => {
    // Prepare
    const { hubspot, sync } = setup();
    await sync();
    hubspot.calls.length = 0;

    // Act
    const report = await sync();

    // Assess
    expect(report.skippedUnchanged).toBe(250);
    expect(hubspot.calls).toEqual([]);
  });

  it('goes on without a field the source lacks, warning with the field and its label', async () => {
    // Prepare
    const { hubspot, log, sync } = setup({ people: 3, lacking: ['profile.company'] });

    // Act
    const report = await sync();

    // Assess
    expect(report.created).toBe(3);
    expect(report.missingFields).toEqual([{ label: 'Company Name', field: 'profile.company' }]);
    expect(hubspot.contacts.get('person1@example.com')?.properties).toEqual({
      email: 'person1@example.com',
      firstname: 'Person 1',
    });
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ field: 'profile.company', label: 'Company Name' }),
      }),
    );
  });

  it('stops for time after a page with its changes confirmed, and the next run resumes after it', async () => {
    // Prepare
    const { webex, hubspot, store, sync } = setup();
    let pagesSeen = 0;
    const counted = new FakeWebexSource(webex.events);
    const countingSource = {
      readableFields: counted.readableFields.bind(counted),
      listEventIds: counted.listEventIds.bind(counted),
      attendeePages: async function* (...args: Parameters<FakeWebexSource['attendeePages']>) {
        for await (const page of counted.attendeePages(...args)) {
          pagesSeen += 1;
          yield page;
        }
      },
    };

    // Act
    const first = await sync({ webex: countingSource, remainingMs: () => (pagesSeen >= 1 ? 1 : 900_000) });
    const checkpoint = store.checkpoints.get('WEBEX#7');
    const second = await sync();

    // Assess
    expect(first).toMatchObject({ status: 'stopped-for-time', pages: 1, created: 100 });
    expect(checkpoint).toEqual({ after: '100' });
    expect(second).toMatchObject({ status: 'completed', pages: 2, created: 150 });
    expect(webex.requests[0]?.after).toBe('100');
    expect(hubspot.contacts.size).toBe(250);
  });

  it('resends a person HubSpot did not confirm on the next pass, and only that person', async () => {
    // Prepare
    const { hubspot, sync } = setup({ people: 5 });
    hubspot.refuse.add('person2@example.com');
    const first = await sync();
    hubspot.refuse.clear();
    hubspot.calls.length = 0;

    // Act
    const second = await sync();

    // Assess
    expect(first).toMatchObject({ created: 4, failed: 1 });
    expect(second).toMatchObject({ created: 1, skippedUnchanged: 4 });
    expect(hubspot.calls.flat().map((input) => input.email)).toEqual(['person2@example.com']);
  });

  it('follows a re-issued Webex id without writing to HubSpot, and quarantines people without email', async () => {
    // Prepare
    const { webex, hubspot, store, sync } = setup({ people: 2 });
    await sync();
    hubspot.calls.length = 0;
    const people = webex.events.get(7) ?? [];
    webex.events.set(7, [
      ...people.map((person) => ({ ...person, id: person.id + 1_000 })),
      { id: 99, externalId: 'REG-1', values: { email: '  ', 'profile.firstName': 'Nomail' } },
    ]);

    // Act
    const report = await sync();

    // Assess
    expect(report).toMatchObject({ idDrift: 2, quarantined: 1, skippedUnchanged: 2 });
    expect(hubspot.calls).toEqual([]);
    expect(store.people.get('7#person1@example.com')).toMatchObject({
      webexId: 1_001,
      previousWebexIds: [1],
    });
    expect(store.quarantine).toEqual([
      expect.objectContaining({ key: '7#webex-99', reason: expect.stringMatching(/no email/) }),
    ]);
  });
});
