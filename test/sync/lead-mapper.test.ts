import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedFieldMap } from '../../shared/schema/field-map';
import {
  mapContactToLead,
  TripleseatLeadSchema,
  type ContactProperties,
  type LeadMapResult,
} from '../../shared/sync/lead-mapper';

const fieldMap: ResolvedFieldMap = {
  first_name: { label: 'First Name', propertyName: 'firstname' },
  last_name: { label: 'Last Name', propertyName: 'lastname' },
  email_address: { label: 'Email', propertyName: 'email' },
  phone_number: { label: 'Phone Number', propertyName: 'phone' },
  company: { label: 'Company Name', propertyName: 'company' },
  event_date: { label: 'Event Date', propertyName: 'event_date', type: 'date' },
  guest_count: { label: 'Guest Count', propertyName: 'guest_count', type: 'number' },
  contact_preference: { label: 'Contact Preference', propertyName: 'contact_preference' },
  start_time: { label: 'Start Time', propertyName: 'start_time' },
  additional_information: [
    { label: 'Event Notes', propertyName: 'event_notes' },
    { label: 'Boat Brand', propertyName: 'boat_brand' },
    {
      label: 'Boat Size',
      propertyName: 'boat_size',
      type: 'enumeration',
      options: [{ label: 'Over 40 ft', value: 'large' }],
    },
  ],
};

const contact = (overrides: Record<string, string | null> = {}): ContactProperties => ({
  firstname: 'Ada',
  lastname: 'Lovelace',
  email: ' Ada@Example.COM ',
  phone: '+1 (617) 555-0100',
  company: 'Analytical Engines Ltd',
  event_date: '2026-06-14',
  guest_count: '120',
  contact_preference: 'email',
  start_time: '19:30',
  event_notes: 'Sunset dinner.\r\nVegetarian options please.',
  boat_brand: 'Boston Whaler',
  boat_size: 'large',
  ...overrides,
});

function rejection(result: LeadMapResult): { reason: string; field: string } {
  if (result.ok) throw new Error('expected a rejection');
  return { reason: result.reason, field: result.field };
}

describe('Function: mapContactToLead', () => {
  it('maps a complete contact, with extras as labelled lines under the notes', () => {
    // Prepare
    const properties = contact();

    // Act
    const result = mapContactToLead(properties, fieldMap, { locationId: '3', leadFormId: '77' });

    // Assess
    expect(result).toEqual({
      ok: true,
      lead: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email_address: 'ada@example.com',
        phone_number: '+16175550100',
        company: 'Analytical Engines Ltd',
        event_date: '06/14/2026',
        start_time: '7:30pm',
        guest_count: 120,
        contact_preference: 'Email',
        additional_information:
          'Sunset dinner.\nVegetarian options please.\n\nBoat Brand: Boston Whaler\nBoat Size: Over 40 ft',
        location_id: '3',
        lead_form_id: '77',
      },
    });
  });

  it('skips empty extras and leaves optional fields out', () => {
    // Prepare
    const properties = contact({ event_notes: null, boat_size: '', company: '  ', event_date: null });

    // Act
    const result = mapContactToLead(properties, fieldMap);

    // Assess
    expect(result.ok && result.lead.additional_information).toBe('Boat Brand: Boston Whaler');
    expect(result.ok && 'company' in result.lead).toBe(false);
    expect(result.ok && 'event_date' in result.lead).toBe(false);
  });

  it('keeps unicode names and strips control characters', () => {
    // Prepare
    const properties = contact({ firstname: 'Zoë\u0000 ', lastname: '  Ångström-Ōtsuka 李\u202E' });

    // Act
    const result = mapContactToLead(properties, fieldMap);

    // Assess
    expect(result.ok && [result.lead.first_name, result.lead.last_name]).toEqual([
      'Zoë',
      'Ångström-Ōtsuka 李',
    ]);
  });

  it('reads an epoch-ms event date as its UTC calendar day', () => {
    // Act
    const result = mapContactToLead(contact({ event_date: '1781395200000' }), fieldMap);

    // Assess
    expect(result.ok && result.lead.event_date).toBe('06/14/2026');
  });

  it('caps very long text', () => {
    // Act
    const result = mapContactToLead(contact({ company: 'x'.repeat(500) }), fieldMap);

    // Assess
    expect(result.ok && Array.from(result.lead.company ?? '').length).toBe(150);
  });

  it.each([
    [{ lastname: null }, 'last name missing', 'last_name'],
    [{ firstname: ' \t ' }, 'first name missing', 'first_name'],
    [{ email: null }, 'email address missing', 'email_address'],
    [{ email: 'ada.example.com' }, 'email address invalid', 'email_address'],
    [{ phone: '' }, 'phone number missing', 'phone_number'],
    [{ phone: '555-CALL-NOW' }, 'phone number invalid', 'phone_number'],
    [{ phone: '12345' }, 'phone number invalid', 'phone_number'],
    [{ guest_count: '12.5' }, 'guest count not a whole number', 'guest_count'],
    [{ guest_count: 'about 50' }, 'guest count not a whole number', 'guest_count'],
    [{ guest_count: '0' }, 'guest count must be at least 1', 'guest_count'],
    [{ guest_count: '5000000' }, 'guest count too large', 'guest_count'],
    [{ event_date: '2026-02-30' }, 'event date invalid', 'event_date'],
    [{ event_date: 'next June' }, 'event date invalid', 'event_date'],
    [
      { contact_preference: 'Carrier pigeon' },
      'contact preference must be Email or Phone',
      'contact_preference',
    ],
    [{ start_time: '25:00' }, 'start time invalid', 'start_time'],
  ])('rejects %j with %j', (overrides, reason, field) => {
    // Act
    const result = mapContactToLead(contact(overrides), fieldMap);

    // Assess
    expect(rejection(result)).toEqual({ reason, field });
  });

  it('never echoes personal data in a reason', () => {
    // Act
    const result = mapContactToLead(contact({ email: 'secret.person@', phone: '+1 555 SECRET' }), fieldMap);

    // Assess
    const { reason } = rejection(result);
    expect(reason).toBe('email address invalid');
    expect(reason).not.toContain('secret');
  });

  it('accepts guest counts written as 1,200 or 40.0', () => {
    // Act
    const grouped = mapContactToLead(contact({ guest_count: '1,200' }), fieldMap);
    const decimal = mapContactToLead(contact({ guest_count: '40.0' }), fieldMap);

    // Assess
    expect(grouped.ok && grouped.lead.guest_count).toBe(1200);
    expect(decimal.ok && decimal.lead.guest_count).toBe(40);
  });

  it('does not read inherited keys as contact properties', () => {
    // Prepare
    const map: ResolvedFieldMap = { ...fieldMap, company: { label: 'Company', propertyName: 'constructor' } };

    // Act
    const result = mapContactToLead(contact(), map);

    // Assess
    expect(result.ok && 'company' in result.lead).toBe(false);
  });

  it('never throws on malformed contacts; it yields a valid lead or a reason naming a field', () => {
    // Prepare
    const nasty = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', ' ', '\u0000', 'true', '-1', '1e5', 'NaN', '2026-13-01', '99999999999999999', '+'),
      fc.emailAddress(),
      fc.integer().map(String),
      fc.double().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constant(null),
    );
    const keys = [
      'firstname',
      'lastname',
      'email',
      'phone',
      'company',
      'event_date',
      'guest_count',
      'contact_preference',
      'start_time',
      'event_notes',
      'boat_brand',
      'boat_size',
    ];
    const record = fc.record(Object.fromEntries(keys.map((key) => [key, nasty])), { requiredKeys: [] });
    const fieldNames = Object.keys(TripleseatLeadSchema.shape);

    // Act + Assess
    fc.assert(
      fc.property(record, (properties) => {
        const result = mapContactToLead(properties as ContactProperties, fieldMap);
        if (result.ok) return TripleseatLeadSchema.safeParse(result.lead).success;
        return (
          fieldNames.includes(result.field) &&
          result.reason.startsWith(result.field.replace(/_/g, ' ').split(' ')[0] ?? '')
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('maps every contact with plausible required values to a lead that passes the schema', () => {
    // Prepare: any text around a letter, everyday email shapes, phone numbers as people type them.
    const valid = fc.record({
      firstname: fc.string({ unit: 'grapheme' }).map((rest) => `Ä${rest}`),
      lastname: fc.string({ unit: 'grapheme' }).map((rest) => `${rest}李`),
      email: fc.stringMatching(/^[A-Za-z0-9]+([._+-][a-z0-9]+)*@[a-z0-9]+(-[a-z0-9]+)*\.[a-z]{2,6}$/),
      phone: fc.stringMatching(/^\+?[1-9]\d{2}[ .-]?\d{3}[ .-]?\d{1,9}$/),
    });

    // Act + Assess
    fc.assert(
      fc.property(valid, (properties) => {
        const result = mapContactToLead(properties, fieldMap);
        return result.ok && TripleseatLeadSchema.safeParse(result.lead).success;
      }),
      { numRuns: 500 },
    );
  });
});
