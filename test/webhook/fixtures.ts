/** HubSpot webhook events as HubSpot sends them (HubSpot's webhooks docs), for the webhook tests. */
export const VENUE_FLAGS = {
  'venue-a': { flagLabel: 'Tripleseat Sync - Venue A', functionName: 'venue-sync-poller-venue-a' },
  'venue-b': { flagLabel: 'Tripleseat Sync - Venue B', functionName: 'venue-sync-poller-venue-b' },
} as const;

let nextEventId = 1000;

export function propertyChange(
  propertyName: string,
  propertyValue: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  nextEventId += 1;
  return {
    eventId: nextEventId,
    subscriptionId: 2_345_678,
    portalId: 62_515,
    appId: 54_321,
    occurredAt: Date.UTC(2026, 10, 23, 11, 59, 0),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 501 + (nextEventId % 7),
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
    sourceId: 'userId:1234',
    ...overrides,
  };
}
