/**
 * syncWebex() end to end against the simulators over real HTTP (graphql-request, @hubspot/api-client,
 * dynalite): 5,000 attendees over two events, unchanged and 10 % changed re-syncs, rolled ids. Each case
 * builds its own world (no case depends on another's state).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { WebexAttendee } from '../../sandbox/webex';
import { normalizeEmail } from '../../shared/webex/fields';
import { WebexWorld, peopleWithEmail } from './world';

const MAPPED = (attendee: WebexAttendee): string =>
  JSON.stringify([
    attendee.profile.firstName?.trim() ?? '',
    attendee.profile.lastName?.trim() ?? '',
    attendee.profile.company?.trim() ?? '',
    attendee.registrationStatus,
    attendee.checkedIn,
    attendee.ticketName?.trim() ?? '',
  ]);

/** A world with two events of `perEvent` seeded people each; every case starts its own. */
async function twoEventWorld(perEvent: number) {
  const world = await WebexWorld.start();
  const eventIds = [
    world.webex.addEvent({ name: 'Harbor Summit 2026', startDate: '2026-05-04T09:00:00Z' }),
    world.webex.addEvent({ name: 'Marina Expo 2026', startDate: '2026-09-14T09:00:00Z' }),
  ];
  for (const eventId of eventIds) world.webex.seedAttendees(eventId, perEvent);
  const people = peopleWithEmail(world.webex, eventIds);
  const distinctEmails = new Set(
    eventIds.flatMap((eventId) =>
      world.webex
        .attendees(eventId)
        .map((a) => (a.email ? normalizeEmail(a.email) : ''))
        .filter(Boolean),
    ),
  ).size;
  return { world, eventIds, people, distinctEmails };
}

/** The re-sync cases start from a world whose first sync is done (smaller, so each case stays quick). */
async function syncedWorld() {
  const setup = await twoEventWorld(500);
  const first = await setup.world.sync();
  if (first.status !== 'completed') throw new Error(`first sync ended ${first.status}`);
  setup.world.resetCounters();
  return setup;
}

describe('Function: syncWebex (2 events, real adapters and simulators)', () => {
  let world: WebexWorld | undefined;
  const callLog: Record<string, unknown> = {};

  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  afterAll(() => {
    console.info('webex sync call counts', JSON.stringify(callLog, null, 2));
  });

  it('syncs 5,000 attendees with an email into HubSpot with typed, mapped properties', async () => {
    // Prepare
    const setup = await twoEventWorld(2_500);
    const w = setup.world;
    world = w;
    const { eventIds, people, distinctEmails } = setup;
    const withoutEmail = eventIds
      .flatMap((id) => w.webex.attendees(id))
      .filter((a) => !a.email?.trim()).length;

    // Act
    const report = await w.sync();

    // Assess
    callLog.firstSync = { hubspot: w.hubspot.callCounts(), webexCalls: w.webexCalls(), report };
    expect(report.status).toBe('completed');
    expect(report.attendeesSeen).toBe(5_000);
    expect(report.quarantined).toBe(withoutEmail);
    expect(report.failed).toBe(0);
    expect(report.conversionProblems).toBe(0);
    expect(w.hubspot.contactCount).toBe(distinctEmails);
    expect(report.created).toBe(distinctEmails);
    expect(report.created + report.updated + report.skippedUnchanged).toBe(people);
    // 100 attendees a page, one upsert call per page at most.
    expect(w.hubspot.callCounts()['POST /crm/v3/objects/contacts/batch/upsert']).toBeLessThanOrEqual(
      report.pages,
    );

    const [firstEvent, secondEvent] = eventIds as [number, number];
    const secondEmails = new Set(
      w.webex.attendees(secondEvent).map((a) => (a.email ? normalizeEmail(a.email) : '')),
    );
    const onlyFirst = w.webex
      .attendees(firstEvent)
      .filter((a) => a.email && !secondEmails.has(normalizeEmail(a.email)));
    const registered = onlyFirst.find((a) => a.registrationStatus === 'REGISTERED' && a.profile.company);
    const attended = onlyFirst.find((a) => a.registrationStatus === 'ATTENDED' && a.checkedIn);
    const contact = w.hubspot.findByEmail(normalizeEmail(registered?.email ?? ''));
    expect(contact?.properties).toMatchObject({
      email: normalizeEmail(registered?.email ?? ''),
      company: registered?.profile.company?.trim(),
      webex_event_name: 'Harbor Summit 2026',
      webex_registration_status: 'Registered',
      webex_checked_in: 'false',
    });
    expect(w.hubspot.findByEmail(normalizeEmail(attended?.email ?? ''))?.properties).toMatchObject({
      webex_registration_status: 'Attended',
      webex_checked_in: 'true',
    });
    const records = await w.store.listPeople(String(firstEvent));
    expect(records.every((record) => record.hubspotContactId && record.syncedHash)).toBe(true);
    expect(await w.store.listQuarantine('webex')).toHaveLength(withoutEmail);
  });

  it('makes zero HubSpot write calls when nothing changed', async () => {
    // Prepare
    const setup = await syncedWorld();
    const w = setup.world;
    world = w;
    const { people } = setup;

    // Act
    const report = await w.sync();

    // Assess
    callLog.unchangedResync = { hubspot: w.hubspot.callCounts(), webexCalls: w.webexCalls(), report };
    expect(report.status).toBe('completed');
    expect(report.skippedUnchanged).toBe(people);
    expect(report.created + report.updated).toBe(0);
    expect(w.hubspotWriteCalls()).toBe(0);
    expect(w.hubspotPort.upserted).toHaveLength(0);
  });

  it('writes only the people whose mapped values changed (10 % mutated)', async () => {
    // Prepare
    const setup = await syncedWorld();
    const w = setup.world;
    world = w;
    const { eventIds, people, distinctEmails } = setup;
    const before = new Map(eventIds.flatMap((id) => w.webex.attendees(id)).map((a) => [a.id, a]));
    const mutated = eventIds.flatMap((id) => w.webex.mutateRandomly(id, 0.1));
    const changed = mutated.filter((after) => {
      const previous = before.get(after.id);
      return after.email?.trim() && previous && MAPPED(previous) !== MAPPED(after);
    });
    const changedKeys = new Set(changed.map((a) => `${a.eventId}#${normalizeEmail(a.email ?? '')}`));
    w.resetCounters();

    // Act
    const report = await w.sync();

    // Assess
    callLog.tenPercentResync = {
      hubspot: w.hubspot.callCounts(),
      webexCalls: w.webexCalls(),
      mutated: mutated.length,
      mappedValuesChanged: changedKeys.size,
      upsertedInputs: w.hubspotPort.upserted.length,
      report,
    };
    expect(mutated.length).toBe(100);
    const written = new Set(w.hubspotPort.upserted.map((input) => input.email));
    const changedEmails = new Set(changed.map((a) => normalizeEmail(a.email ?? '')));
    expect([...written].every((email) => changedEmails.has(email))).toBe(true);
    expect(w.hubspotPort.upserted.length).toBe(changedKeys.size);
    expect(report.created).toBe(0);
    expect(report.updated).toBe(changedKeys.size);
    expect(report.skippedUnchanged).toBe(people - changedKeys.size);
    expect(w.hubspot.contactCount).toBe(distinctEmails);
  });

  it('follows rolled Webex ids without creating contacts', async () => {
    // Prepare
    const setup = await syncedWorld();
    const w = setup.world;
    world = w;
    const { eventIds, people } = setup;
    const rolled = w.webex.rollIds();
    const contactsBefore = w.hubspot.contactCount;
    w.resetCounters();

    // Act
    const report = await w.sync();

    // Assess
    callLog.rolledIds = { hubspot: w.hubspot.callCounts(), webexCalls: w.webexCalls(), report };
    const records = (await Promise.all(eventIds.map((id) => w.store.listPeople(String(id))))).flat();
    expect(report.idDrift).toBe(records.length);
    expect(records.length).toBe(people);
    expect(w.hubspot.contactCount).toBe(contactsBefore);
    expect(w.hubspotWriteCalls()).toBe(0);
    const byOldId = new Map(rolled.map((roll) => [roll.before, roll.after]));
    for (const record of records.slice(0, 50)) {
      const oldId = record.previousWebexIds[0];
      expect(oldId).toBeDefined();
      expect(byOldId.get(oldId as number)).toBe(record.webexId);
    }
  });
});
