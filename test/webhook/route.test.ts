import { describe, expect, it } from 'vitest';
import { createFlagRouter, parseVenuePollers, routeDelivery, routeEvents } from '../../shared/webhook/route';
import { VENUE_FLAGS, propertyChange } from './fixtures';

const router = createFlagRouter(VENUE_FLAGS);

describe('Function: routeEvents', () => {
  it('triggers exactly the venues whose flag was ticked, each once per delivery', () => {
    // Prepare
    const events = [
      propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 1 }),
      propertyChange('firstname', 'Ada'),
      propertyChange('tripleseat_sync_venue_b', 'true', { eventId: 2 }),
      propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 3 }),
      propertyChange('email', 'ada@example.com'),
    ];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([
      { venueId: 'venue-a', eventIds: ['1', '3'] },
      { venueId: 'venue-b', eventIds: ['2'] },
    ]);
    expect(routed.counts).toMatchObject({ received: 5, matched: 3, ignoredOtherProperty: 2, malformed: 0 });
  });

  it('ignores a flag set to "false" (unticked, or cleared by the poller)', () => {
    // Prepare
    const events = [
      propertyChange('tripleseat_sync_venue_a', 'false'),
      propertyChange('tripleseat_sync_venue_b', ''),
    ];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([]);
    expect(routed.counts.ignoredNotTicked).toBe(2);
  });

  it.each([
    ['an unconfigured venue', 'tripleseat_sync_venue_c'],
    ['a typo', 'tripleseat_sync_venu_a'],
    ['a prefix', 'tripleseat_sync_venue'],
    ['an extra word', 'tripleseat_sync_venue_a_old'],
    ['a run-together name', 'tripleseatsync_venue_a'],
  ])('triggers nothing for a near-miss property name (%s)', (_case, propertyName) => {
    // Prepare
    const events = [propertyChange(propertyName, 'true')];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([]);
    expect(routed.counts.ignoredOtherProperty).toBe(1);
  });

  it("accepts the internal name HubSpot's UI generates from the label (separators kept)", () => {
    // Prepare
    const events = [propertyChange('tripleseat_sync___venue_b', 'true', { eventId: 7 })];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([{ venueId: 'venue-b', eventIds: ['7'] }]);
  });

  it.each([
    ['objectTypeId "0-1" alone (what the current developer platform sends)', { objectTypeId: '0-1' }],
    ['objectTypeId and objectName together', { objectTypeId: '0-1', objectName: 'CONTACT' }],
    ['objectName alone', { objectName: 'contact' }],
  ])('routes a generic object.propertyChange for a contact with %s', (_case, objectFields) => {
    // Prepare
    const events = [
      propertyChange('tripleseat_sync_venue_b', 'true', {
        eventId: 21,
        subscriptionType: 'object.propertyChange',
        ...objectFields,
      }),
    ];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([{ venueId: 'venue-b', eventIds: ['21'] }]);
    expect(routed.otherObjectTypes).toEqual([]);
  });

  it('ignores generic property changes of other, unnamed or contradictory object types, listing them', () => {
    // Prepare
    const generic = { subscriptionType: 'object.propertyChange' };
    const events = [
      propertyChange('tripleseat_sync_venue_a', 'true', { ...generic, objectTypeId: '0-3' }),
      propertyChange('tripleseat_sync_venue_a', 'true', {
        ...generic,
        objectTypeId: '0-2',
        objectName: 'contact',
      }),
      propertyChange('tripleseat_sync_venue_a', 'true', generic),
    ];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([]);
    expect(routed.counts.ignoredNotContactPropertyChange).toBe(3);
    expect(routed.otherObjectTypes).toEqual(['0-2', '0-3', 'unknown']);
  });

  it('accepts object.propertyChange for contacts only', () => {
    // Prepare
    const events = [
      propertyChange('tripleseat_sync_venue_a', 'true', {
        eventId: 8,
        subscriptionType: 'object.propertyChange',
        objectName: 'contact',
      }),
      propertyChange('tripleseat_sync_venue_b', 'true', {
        subscriptionType: 'object.propertyChange',
        objectName: 'deal',
      }),
      propertyChange('tripleseat_sync_venue_b', 'true', { subscriptionType: 'deal.propertyChange' }),
    ];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.triggers).toEqual([{ venueId: 'venue-a', eventIds: ['8'] }]);
    expect(routed.counts.ignoredNotContactPropertyChange).toBe(2);
  });

  it('counts malformed events without throwing, and still routes the good ones', () => {
    // Prepare
    const good = propertyChange('tripleseat_sync_venue_a', 'true', { eventId: 9 });
    const { eventId: _dropped, ...noEventId } = propertyChange('tripleseat_sync_venue_b', 'true');
    const events = [
      noEventId,
      'not an event',
      null,
      { ...good, objectId: 'abc' },
      good,
      { ...good, eventId: 10, somethingNew: { x: 1 } },
    ];

    // Act
    const routed = routeEvents(events, router);

    // Assess
    expect(routed.counts.malformed).toBe(4);
    expect(routed.malformed.map((entry) => entry.index)).toEqual([0, 1, 2, 3]);
    expect(routed.malformed[0]?.problem).toContain('eventId');
    expect(routed.triggers).toEqual([{ venueId: 'venue-a', eventIds: ['9', '10'] }]);
  });
});

describe('Function: routeDelivery', () => {
  it.each([
    ['not JSON', '[{"eventId":', 'not-json'],
    ['an object instead of an array', '{"eventId":1}', 'not-an-array'],
    ['more than 100 events', JSON.stringify(Array.from({ length: 101 }, () => ({}))), 'too-many-events'],
  ])('refuses a delivery that is %s', (_case, body, reason) => {
    // Act
    const routed = routeDelivery(body, router);

    // Assess
    expect(routed).toMatchObject({ ok: false, reason });
  });

  it('routes a JSON array body', () => {
    // Prepare
    const body = JSON.stringify([propertyChange('tripleseat_sync_venue_b', 'true', { eventId: 11 })]);

    // Act
    const routed = routeDelivery(body, router);

    // Assess
    expect(routed).toMatchObject({ ok: true, triggers: [{ venueId: 'venue-b', eventIds: ['11'] }] });
  });
});

describe('Function: createFlagRouter', () => {
  it('skips (never throws for) two venues whose flags normalize to the same label, and routes neither', () => {
    // Act
    const clashing = createFlagRouter({
      'venue-a': { flagLabel: 'Tripleseat Sync - Venue A' },
      'venue-a2': { flagLabel: 'tripleseat sync venue a' },
      'venue-b': { flagLabel: 'Tripleseat Sync - Venue B' },
    });

    // Assess
    expect(clashing.skipped).toEqual([
      { venueId: 'venue-a', cause: expect.stringContaining("same as venue venue-a2's once normalized") },
      { venueId: 'venue-a2', cause: expect.stringContaining("same as venue venue-a's once normalized") },
    ]);
    expect(clashing.venueFor('tripleseat_sync_venue_a')).toBeUndefined();
    expect(clashing.venueFor('tripleseat_sync_venue_b')).toBe('venue-b');
  });

  it('skips a venue whose flag has no letters or digits and keeps routing the others', () => {
    // Act
    const partly = createFlagRouter({
      party: { flagLabel: '🎉🎉' },
      'venue-b': { flagLabel: 'Tripleseat Sync - Venue B' },
    });

    // Assess
    expect(partly.skipped).toEqual([
      { venueId: 'party', cause: "flag label '🎉🎉' has no letters or digits" },
    ]);
    expect(partly.venueFor('tripleseat_sync_venue_b')).toBe('venue-b');
    expect(partly.venueFor('')).toBeUndefined();
  });

  it('names the internal name venue-sync setup creates for each flag', () => {
    // Assess
    expect(router.internalNames).toEqual({
      'venue-a': 'tripleseat_sync_venue_a',
      'venue-b': 'tripleseat_sync_venue_b',
    });
  });
});

describe('Function: parseVenuePollers', () => {
  it('keeps the well-formed entries and names each malformed one with its cause', () => {
    // Act
    const parsed = parseVenuePollers(
      JSON.stringify({
        'venue-a': { flagLabel: 'Tripleseat Sync - Venue A', functionName: 'poller-a' },
        broken: { flagLabel: 'Tripleseat Sync - Broken' },
        odd: 'not an object',
      }),
    );

    // Assess
    expect(parsed).toEqual({
      ok: true,
      venues: { 'venue-a': { flagLabel: 'Tripleseat Sync - Venue A', functionName: 'poller-a' } },
      skipped: [
        {
          venueId: 'broken',
          cause: expect.stringMatching(/^VENUE_POLLERS entry is malformed: functionName: /),
        },
        { venueId: 'odd', cause: expect.stringMatching(/^VENUE_POLLERS entry is malformed: \(entry\): /) },
      ],
    });
  });

  it.each([
    ['not JSON', '{"venue-a":', 'VENUE_POLLERS is not valid JSON'],
    ['an array', '[]', 'VENUE_POLLERS is not a JSON object of venues'],
  ])('reports a value that is %s as unreadable as a whole', (_case, text, detail) => {
    expect(parseVenuePollers(text)).toEqual({ ok: false, detail });
  });
});
