/**
 * syncWebex() end to end against the simulators over real HTTP (graphql-request, @hubspot/api-client,
 * dynalite): 5,000 attendees over two events, unchanged and 10 % changed re-syncs, rolled ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('Function: syncWebex (5,000 attendees, 2 events)', () => {
  let world: WebexWorld;
  let eventIds: number[];
  let people: number;
  let distinctEmails: number;
  const callLog: Record<string, unknown> = {};

  beforeAll(async () => {
    world = await WebexWorld.start();
    eventIds = [
      world.webex.addEvent({ name: 'Harbor Summit 2026', startDate: '2026-05-04T09:00:00Z' }),
      world.webex.addEvent({ name: 'Marina Expo 2026', startDate: '2026-09-14T09:00:00Z' }),
    ];
    for (const eventId of eventIds) world.webex.seedAttendees(eventId, 2_500);
    people = peopleWithEmail(world.webex, eventIds);
    distinctEmails = new Set(
      eventIds.flatMap((eventId) =>
        world.webex
          .attendees(eventId)
          .map((a) => (a.email ? normalizeEmail(a.email) : ''))
          .filter(Boolean),
      ),
    ).size;
  });

  afterAll(async () => {
    console.info('webex sync call counts', JSON.stringify(callLog, null, 2));
    await world.close();
  });

  it('syncs every attendee with an email into HubSpot with typed, mapped properties', async () => {
    // Prepare
    world.resetCounters();
    const withoutEmail = eventIds
      .flatMap((id) => world.webex.attendees(id))
      .filter((a) => !a.email?.trim()).length;

    // Act
    const report = await world.sync();

    // Assess
    callLog.firstSync = { hubspot: world.hubspot.callCounts(), webexCalls: world.webexCalls(), report };
    expect(report.status).toBe('completed');
    expect(report.attendeesSeen).toBe(5_000);
    expect(report.quarantined).toBe(withoutEmail);
    expect(report.failed).toBe(0);
    expect(report.conversionProblems).toBe(0);
    expect(world.hubspot.contactCount).toBe(distinctEmails);
    expect(report.created).toBe(distinctEmails);
    expect(report.created + report.updated + report.skippedUnchanged).toBe(people);
    // 100 attendees a page, one upsert call per page at most.
    expect(world.hubspot.callCounts()['POST /crm/v3/objects/contacts/batch/upsert']).toBeLessThanOrEqual(
      report.pages,
    );

    const [firstEvent, secondEvent] = eventIds as [number, number];
    const secondEmails = new Set(
      world.webex.attendees(secondEvent).map((a) => (a.email ? normalizeEmail(a.email) : '')),
    );
    const onlyFirst = world.webex
      .attendees(firstEvent)
      .filter((a) => a.email && !secondEmails.has(normalizeEmail(a.email)));
    const registered = onlyFirst.find((a) => a.registrationStatus === 'REGISTERED' && a.profile.company);
    const attended = onlyFirst.find((a) => a.registrationStatus === 'ATTENDED' && a.checkedIn);
    const contact = world.hubspot.findByEmail(normalizeEmail(registered?.email ?? ''));
    expect(contact?.properties).toMatchObject({
      email: normalizeEmail(registered?.email ?? ''),
      company: registered?.profile.company?.trim(),
      webex_event_name: 'Harbor Summit 2026',
      webex_registration_status: 'Registered',
      webex_checked_in: 'false',
    });
    expect(world.hubspot.findByEmail(normalizeEmail(attended?.email ?? ''))?.properties).toMatchObject({
      webex_registration_status: 'Attended',
      webex_checked_in: 'true',
    });
    const records = await world.store.listPeople(String(firstEvent));
    expect(records.every((record) => record.hubspotContactId && record.syncedHash)).toBe(true);
    expect(await world.store.listQuarantine('webex')).toHaveLength(withoutEmail);
  });

  it('makes zero HubSpot write calls when nothing changed', async () => {
    // Prepare
    world.resetCounters();

    // Act
    const report = await world.sync();

    // Assess
    callLog.unchangedResync = { hubspot: world.hubspot.callCounts(), webexCalls: world.webexCalls(), report };
    expect(report.status).toBe('completed');
    expect(report.skippedUnchanged).toBe(people);
    expect(report.created + report.updated).toBe(0);
    expect(world.hubspotWriteCalls()).toBe(0);
    expect(world.hubspotPort.upserted).toHaveLength(0);
  });

  it('writes only the people whose mapped values changed (10 % mutated)', async () => {
    // Prepare
    const before = new Map(eventIds.flatMap((id) => world.webex.attendees(id)).map((a) => [a.id, a]));
    const mutated = eventIds.flatMap((id) => world.webex.mutateRandomly(id, 0.1));
    const changed = mutated.filter((after) => {
      const previous = before.get(after.id);
      return after.email?.trim() && previous && MAPPED(previous) !== MAPPED(after);
    });
    const changedKeys = new Set(changed.map((a) => `${a.eventId}#${normalizeEmail(a.email ?? '')}`));
    world.resetCounters();

    // Act
    const report = await world.sync();

    // Assess
    callLog.tenPercentResync = {
      hubspot: world.hubspot.callCounts(),
      webexCalls: world.webexCalls(),
      mutated: mutated.length,
      mappedValuesChanged: changedKeys.size,
      upsertedInputs: world.hubspotPort.upserted.length,
      report,
    };
    expect(mutated.length).toBe(500);
    const written = new Set(world.hubspotPort.upserted.map((input) => input.email));
    const changedEmails = new Set(changed.map((a) => normalizeEmail(a.email ?? '')));
    expect([...written].every((email) => changedEmails.has(email))).toBe(true);
    expect(world.hubspotPort.upserted.length).toBe(changedKeys.size);
    expect(report.created).toBe(0);
    expect(report.updated).toBe(changedKeys.size);
    expect(report.skippedUnchanged).toBe(people - changedKeys.size);
    expect(world.hubspot.contactCount).toBe(distinctEmails);
  });

  it('follows rolled Webex ids without creating contacts', async () => {
    // Prepare
    const rolled = world.webex.rollIds();
    const contactsBefore = world.hubspot.contactCount;
    world.resetCounters();

    // Act
    const report = await world.sync();

    // Assess
    callLog.rolledIds = { hubspot: world.hubspot.callCounts(), webexCalls: world.webexCalls(), report };
    const records = (await Promise.all(eventIds.map((id) => world.store.listPeople(String(id))))).flat();
    expect(report.idDrift).toBe(records.length);
    expect(records.length).toBe(people);
    expect(world.hubspot.contactCount).toBe(contactsBefore);
    expect(world.hubspotWriteCalls()).toBe(0);
    const byOldId = new Map(rolled.map((roll) => [roll.before, roll.after]));
    for (const record of records.slice(0, 50)) {
      const oldId = record.previousWebexIds[0];
      expect(oldId).toBeDefined();
      expect(byOldId.get(oldId as number)).toBe(record.webexId);
    }
  });
});
