/**
 * syncWebex() resuming and failing well: a run stopped for time or by the daily limit resumes from its
 * checkpoint; people without email are quarantined; labels that do not resolve fail the run; a value
 * that does not convert is reported per record; a 429 MAX_COST_EXCEEDED storm is waited out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LabelResolutionError } from '../../shared/schema';
import type { WebexSourcePort } from '../../shared/sync/ports';
import { normalizeEmail } from '../../shared/webex/fields';
import { DEMO_FIELD_MAP, WEBEX_TOKEN, WebexWorld, peopleWithEmail } from './world';

describe('Function: syncWebex (resume and faults)', () => {
  let world: WebexWorld | undefined;

  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('resumes a run stopped for time from its checkpoint without re-writing finished pages', async () => {
    // Prepare
    world = await WebexWorld.start();
    const w = world;
    const eventId = w.webex.addEvent({ name: 'Harbor Summit 2026' });
    w.webex.seedAttendees(eventId, 1_000);
    const people = peopleWithEmail(w.webex, [eventId]);
    // Pages handed to the engine (counted at the port, so the stop point does not depend on when the
    // read-ahead request happens to leave).
    let pagesYielded = 0;
    const countingPages: WebexSourcePort = {
      readableFields: (fields) => w.webexClient.readableFields(fields),
      listEventIds: () => w.webexClient.listEventIds(),
      attendeePages: async function* (id, after, request) {
        for await (const page of w.webexClient.attendeePages(id, after, request)) {
          pagesYielded += 1;
          yield page;
        }
      },
    };

    // Act: the "Lambda" runs out of time once 4 pages were synced (the 5th, read ahead, is dropped),
    // then a second run finishes.
    const first = await w.sync({
      webex: countingPages,
      eventIds: [eventId],
      remainingMs: () => (pagesYielded >= 4 ? 1_000 : 900_000),
    });
    const upsertedFirst = w.hubspotPort.upserted.length;
    const checkpoint = await w.store.loadCheckpoint(`WEBEX#${eventId}`, z.object({ after: z.string() }));
    const second = await w.sync({ webex: countingPages, eventIds: [eventId] });

    // Assess
    expect(first.status).toBe('stopped-for-time');
    expect(first.pages).toBe(4);
    expect(checkpoint?.after).toBeDefined();
    expect(second.status).toBe('completed');
    expect(second.pages).toBe(6);
    expect(first.created + second.created).toBe(people);
    // Nobody upserted twice across the two runs.
    const emails = w.hubspotPort.upserted.map((input) => input.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(upsertedFirst).toBeGreaterThan(0);
    expect(w.hubspot.contactCount).toBe(new Set(emails).size);
    expect(await w.store.loadCheckpoint(`WEBEX#${eventId}`, z.unknown())).toBeUndefined();
  });

  it('ends cleanly on the Webex daily limit and resumes from the saved cursor the next day', async () => {
    // Prepare: 3 pages a day fit (each costs 101; the last one of the day may overdraw).
    world = await WebexWorld.start({ webex: { dailyCostLimit: 250 } });
    const w = world;
    const eventId = w.webex.addEvent({ name: 'Marina Expo 2026' });
    w.webex.seedAttendees(eventId, 1_000);
    const people = peopleWithEmail(w.webex, [eventId]);

    // Act
    const first = await w.sync({ eventIds: [eventId] });
    const upsertsDayOne = w.hubspotPort.upserted.length;
    const later = [];
    for (let day = 1; day <= 6; day += 1) {
      w.clock.advance(24 * 60 * 60 * 1000);
      const report = await w.sync({ eventIds: [eventId] });
      later.push(report);
      if (report.status === 'completed') break;
    }

    // Assess
    expect(first.status).toBe('daily-limit');
    expect(first.pages).toBe(3);
    // Each day reads the next three pages (10 pages in all), never the finished ones again.
    expect(later.map((report) => report.status)).toEqual(['daily-limit', 'daily-limit', 'completed']);
    expect(first.pages + later.reduce((sum, report) => sum + report.pages, 0)).toBe(10);
    const emails = w.hubspotPort.upserted.map((input) => input.email);
    expect(upsertsDayOne).toBeGreaterThan(0);
    expect(new Set(emails).size).toBe(emails.length);
    expect(w.hubspot.contactCount).toBe(people);
  });

  it('quarantines people without email, reports a value that does not convert, and syncs the rest', async () => {
    // Prepare
    world = await WebexWorld.start();
    const w = world;
    w.hubspot.defineProperty({
      name: 'webex_ticket_tier',
      label: 'Webex Ticket Tier',
      type: 'enumeration',
      fieldType: 'select',
      options: [
        { label: 'General Admission', value: 'general_admission' },
        { label: 'Early Bird', value: 'early_bird' },
      ],
    });
    const eventId = w.webex.addEvent({ name: 'Harbor Summit 2026' });
    const noEmail = w.webex.addAttendee(eventId, { email: null, profile: { firstName: 'Nomail' } });
    w.webex.addAttendee(eventId, {
      email: ' Ada@Example.com ',
      ticketName: 'VIP',
      profile: { firstName: 'Ada' },
    });
    w.webex.addAttendee(eventId, {
      email: 'grace@example.com',
      ticketName: 'early bird',
      profile: { firstName: 'Grace' },
    });
    w.webex.addAttendee(eventId, {
      email: 'GRACE@example.com',
      ticketName: 'General Admission',
      profile: { company: 'Navy' },
    });
    const fieldMapRaw = { ...DEMO_FIELD_MAP, 'Webex Ticket Tier': 'ticketName' };

    // Act
    const report = await w.sync({ eventIds: [eventId], fieldMapRaw });

    // Assess
    expect(report.quarantined).toBe(1);
    const quarantine = await w.store.listQuarantine('webex');
    expect(quarantine).toEqual([
      expect.objectContaining({
        key: `${eventId}#webex-${noEmail.id}`,
        reason: expect.stringMatching(/no email/),
      }),
    ]);
    expect(report.conversionProblems).toBe(1);
    expect(
      w.log.lines.some(
        (line) =>
          /not converted/.test(line.message) && /'VIP' is not an option/.test(String(line.fields?.reason)),
      ),
    ).toBe(true);
    expect(report.created).toBe(2);
    expect(w.hubspot.findByEmail('ada@example.com')?.properties).toMatchObject({
      firstname: 'Ada',
      webex_ticket: 'VIP',
    });
    expect(w.hubspot.findByEmail('ada@example.com')?.properties['webex_ticket_tier']).toBeUndefined();
    // Two registrations with one email: one upsert input, merged, no 400.
    expect(w.hubspot.findByEmail('grace@example.com')?.properties).toMatchObject({
      firstname: 'Grace',
      company: 'Navy',
      webex_ticket_tier: 'general_admission',
    });
    expect(w.hubspotPort.upserted.map((input) => input.email).sort()).toEqual([
      'ada@example.com',
      'grace@example.com',
    ]);
    expect(w.hubspot.callCounts()['POST /crm/v3/objects/contacts/batch/upsert']).toBe(1);
  });

  it('merges a person registered for two events and creates one contact', async () => {
    // Prepare
    world = await WebexWorld.start();
    const w = world;
    const harbor = w.webex.addEvent({ name: 'Harbor Summit 2026' });
    const marina = w.webex.addEvent({ name: 'Marina Expo 2026' });
    w.webex.addAttendee(harbor, { email: 'lin@example.com', profile: { firstName: 'Lin' } });
    w.webex.addAttendee(marina, { email: ' LIN@example.com', profile: { firstName: 'Lin' } });

    // Act
    const report = await w.sync();

    // Assess
    expect(report.events.map((event) => event.status)).toEqual(['completed', 'completed']);
    expect(w.hubspot.contactCount).toBe(1);
    expect(report.failed).toBe(0);
    expect(w.hubspot.findByEmail('lin@example.com')?.properties['webex_event_name']).toBe('Marina Expo 2026');
    const records = [
      ...(await w.store.listPeople(String(harbor))),
      ...(await w.store.listPeople(String(marina))),
    ];
    expect(new Set(records.map((record) => record.hubspotContactId)).size).toBe(1);
  });

  it('fails the run when a label does not resolve, naming it and its closest candidates', async () => {
    // Prepare
    world = await WebexWorld.start();
    const w = world;
    w.webex.addEvent({ name: 'Harbor Summit 2026' });
    const fieldMapRaw = { ...DEMO_FIELD_MAP, 'Webex Tickett Typ': 'ticketName' };

    // Act
    const run = w.sync({ fieldMapRaw });

    // Assess
    await expect(run).rejects.toBeInstanceOf(LabelResolutionError);
    await expect(run).rejects.toThrow(/'Webex Tickett Typ' not found.*'Webex Ticket'/);
    expect(w.webexCalls()).toBe(0);
    expect(w.hubspotWriteCalls()).toBe(0);
  });

  it('waits out a 429 MAX_COST_EXCEEDED storm from Webex', async () => {
    // Prepare: another client of the same token spends the second's cost budget right before each of
    // our first three requests, so each gets a real 429 with X-Secondly-Retry-After from the simulator.
    let rivalShots = 3;
    let simUrl = '';
    const rivalFetch: typeof fetch = async (input, init) => {
      if (rivalShots > 0) {
        rivalShots -= 1;
        await fetch(simUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${WEBEX_TOKEN}`, 'content-type': 'application/json' },
          // Cost 1 + 100 + 49 = 150: the whole second's budget.
          body: JSON.stringify({
            query:
              '{ a: eventsConnection(first: 100) { nodes { id } } b: eventsConnection(first: 49) { nodes { id } } }',
          }),
        });
      }
      return fetch(input, init);
    };
    world = await WebexWorld.start({ webex: { secondlyCostLimit: 150 }, timeScale: 5, fetch: rivalFetch });
    const w = world;
    simUrl = w.webex.url;
    const eventId = w.webex.addEvent({ name: 'Harbor Summit 2026' });
    w.webex.seedAttendees(eventId, 300);
    const people = peopleWithEmail(w.webex, [eventId]);

    // Act
    const report = await w.sync({ eventIds: [eventId] });

    // Assess
    expect(report.status).toBe('completed');
    expect(w.caller.stats().rateLimited.webex).toBeGreaterThanOrEqual(2);
    expect(w.webex.log.count((entry) => entry.status === 429)).toBeGreaterThanOrEqual(2);
    expect(report.created).toBe(people);
    expect(w.hubspot.contactCount).toBe(people);
    expect(normalizeEmail(' A@B.co ')).toBe('a@b.co');
  });
});
