import { describe, expect, it } from 'vitest';
import { HubSpotPropertiesResponseSchema, HubSpotPropertySchema } from '../../shared/schema/hubspot-property';

/** Shaped like one entry of GET /crm/v3/properties/contacts (HubSpot's properties API). */
const checkbox = {
  updatedAt: '2025-01-02T10:00:00.000Z',
  createdAt: '2025-01-02T10:00:00.000Z',
  name: 'tripleseat_sync_venue_a',
  label: 'Tripleseat Sync - Venue A',
  type: 'bool',
  fieldType: 'booleancheckbox',
  description: '',
  groupName: 'contactinformation',
  options: [
    { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
    { label: 'No', value: 'false', displayOrder: 1, hidden: false },
  ],
  displayOrder: -1,
  calculated: false,
  externalOptions: false,
  hasUniqueValue: false,
  hidden: false,
  hubspotDefined: false,
  modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
  formField: true,
};

describe('Schema: HubSpotPropertySchema', () => {
  it('parses a property and keeps unknown keys', () => {
    // Act
    const parsed = HubSpotPropertySchema.parse(checkbox);

    // Assess
    expect(parsed.name).toBe('tripleseat_sync_venue_a');
    expect(parsed.options.map((o) => o.value)).toEqual(['true', 'false']);
    expect(parsed).toHaveProperty('externalOptions', false);
  });

  it('accepts a property without options and a type it does not know yet', () => {
    // Prepare
    const { options: _options, ...rest } = checkbox;

    // Act
    const parsed = HubSpotPropertySchema.parse({ ...rest, type: 'object_coordinates' });

    // Assess
    expect(parsed.options).toEqual([]);
    expect(parsed.type).toBe('object_coordinates');
  });

  it('refuses a property without a name', () => {
    // Act
    const result = HubSpotPropertySchema.safeParse({ ...checkbox, name: undefined });

    // Assess
    expect(result.success).toBe(false);
  });

  it('parses the list answer', () => {
    // Act
    const parsed = HubSpotPropertiesResponseSchema.parse({ results: [checkbox] });

    // Assess
    expect(parsed.results).toHaveLength(1);
  });
});
