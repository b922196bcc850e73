/**
 * The sync against a Webex server that has only the fields real code shows (the simulator's reduced
 * schema): it introspects, leaves out what is missing, warns with the field and the HubSpot label, and
 * still creates every contact with the fields it can read. Then, on the full schema, nothing was lost:
 * the same people gain the other values without new contacts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { webexFieldReport } from '../../shared/webex/field-report';
import { DEMO_FIELD_MAP, WebexWorld, peopleWithEmail } from './world';

describe('Function: syncWebex (reduced Webex schema)', () => {
  let world: WebexWorld | undefined;

  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('creates contacts with the fields the schema has and warns about the rest', async () => {
    // Prepare
    const w = await WebexWorld.start({ webex: { schemaMode: 'reduced' } });
    world = w;
    const eventId = w.webex.addEvent({ name: 'Harbor Summit 2026' });
    w.webex.seedAttendees(eventId, 250);
    const people = peopleWithEmail(w.webex, [eventId]);
    const someone = w.webex
      .attendees(eventId)
      .find((a) => a.email && a.profile.lastName && a.profile.company);

    // Act
    const report = await w.sync({ eventIds: [eventId] });
    const readable = (await w.webexClient.readableFields(['email', 'profile.firstName', 'profile.lastName']))
      .readable;

    // Assess
    expect(report.status).toBe('completed');
    expect(report.created).toBe(people);
    expect(w.hubspot.contactCount).toBe(people);
    expect(report.missingFields.map((missing) => missing.label).sort()).toEqual([
      'Company Name',
      'Webex Checked In',
      'Webex Event Name',
      'Webex Registration Status',
      'Webex Ticket',
    ]);
    const contact = w.hubspot.findByEmail(someone?.email?.trim().toLowerCase() ?? '');
    expect(contact?.properties).toMatchObject({ lastname: someone?.profile.lastName });
    expect(contact?.properties['company']).toBeUndefined();
    const warnings = w.log.lines.filter((line) => line.level === 'warn' && line.fields?.['field']);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        fields: expect.objectContaining({ field: 'ticketName', label: 'Webex Ticket' }),
      }),
    );
    expect(webexFieldReport(readable, DEMO_FIELD_MAP).filter((row) => row.status === 'fail')).toHaveLength(5);
  });

  it('loses nothing: the full schema later fills the missing values into the same contacts', async () => {
    // Prepare: the same store and HubSpot, first served by a reduced then by a full Webex schema.
    const reduced = await WebexWorld.start({ webex: { schemaMode: 'reduced', seed: 5 } });
    world = reduced;
    const eventId = reduced.webex.addEvent({ name: 'Harbor Summit 2026' });
    reduced.webex.seedAttendees(eventId, 120);
    const people = peopleWithEmail(reduced.webex, [eventId]);
    await reduced.sync({ eventIds: [eventId] });
    reduced.resetCounters();
    reduced.webex.useSchema('full');
    const fullClient = reduced.newWebexClient();

    // Act
    const report = await reduced.sync({ eventIds: [eventId], webex: fullClient });

    // Assess
    expect(report.missingFields).toEqual([]);
    expect(report.created).toBe(0);
    expect(report.updated).toBe(people);
    expect(reduced.hubspot.contactCount).toBe(people);
    const someone = reduced.webex.attendees(eventId).find((a) => a.email);
    expect(reduced.hubspot.findByEmail(someone?.email?.trim().toLowerCase() ?? '')?.properties).toMatchObject(
      {
        webex_event_name: 'Harbor Summit 2026',
      },
    );
  });
});
