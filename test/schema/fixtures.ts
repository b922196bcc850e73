import type { HubSpotProperty } from '../../shared/schema/hubspot-property';

/** A contact property as GET /crm/v3/properties/contacts returns it (only what resolution reads). */
export function property(
  label: string,
  name: string,
  overrides: Partial<HubSpotProperty> = {},
): HubSpotProperty {
  return {
    label,
    name,
    type: 'string',
    fieldType: 'text',
    groupName: 'contactinformation',
    options: [],
    ...overrides,
  };
}

export function flag(label: string, name: string): HubSpotProperty {
  return property(label, name, {
    type: 'bool',
    fieldType: 'booleancheckbox',
    options: [
      { label: 'Yes', value: 'true' },
      { label: 'No', value: 'false' },
    ],
  });
}

/** Venue flags A and B plus a few HubSpot defaults, like a real portal. */
export function portal(): HubSpotProperty[] {
  return [
    flag('Tripleseat Sync - Venue A', 'tripleseat_sync_venue_a'),
    flag('Tripleseat Sync - Venue B', 'tripleseat_sync_venue_b'),
    property('First Name', 'firstname'),
    property('Last Name', 'lastname'),
    property('Email', 'email'),
    property('Phone Number', 'phone', { type: 'phone_number', fieldType: 'phonenumber' }),
    property('Boat Brand', 'boat_brand'),
  ];
}

/**
 * The portal after two admin slips: Venue B's checkbox was archived, then Venue A's checkbox
 * (internal name `tripleseat_sync_venue_a`) was relabelled "Tripleseat Sync - Venue B". Venue A still
 * finds its box by internal name, Venue B finds the same box by label.
 */
export function archivedAndRelabelledPortal(): HubSpotProperty[] {
  return [
    flag('Tripleseat Sync - Venue B', 'tripleseat_sync_venue_a'),
    { ...flag('Tripleseat Sync - Venue B', 'tripleseat_sync_venue_b'), archived: true },
    ...portal().filter((p) => p.type !== 'bool'),
  ];
}
