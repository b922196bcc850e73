import { describe, expect, it } from 'vitest';
import { fieldMapPropertyNames, resolveFieldMap } from '../../shared/schema/field-map';
import { LabelResolutionError } from '../../shared/schema/resolve-label';
import { portal, property } from './fixtures';

describe('Function: resolveFieldMap', () => {
  it('resolves every label to its internal name, keeping lists for additional_information', () => {
    // Prepare
    const properties = [
      ...portal(),
      property('Event Notes', 'event_notes', { fieldType: 'textarea' }),
      property('Boat Size', 'boat_size', { type: 'enumeration', options: [{ label: 'Large', value: 'l' }] }),
    ];

    // Act
    const resolved = resolveFieldMap(
      {
        first_name: 'First Name',
        email_address: 'email',
        additional_information: ['Event Notes', 'Boat Brand', 'Boat Size'],
      },
      properties,
    );

    // Assess
    expect(resolved.first_name).toEqual({ label: 'First Name', propertyName: 'firstname', type: 'string' });
    expect(resolved.email_address).toMatchObject({ propertyName: 'email' });
    expect(resolved.additional_information).toEqual([
      { label: 'Event Notes', propertyName: 'event_notes', type: 'string' },
      { label: 'Boat Brand', propertyName: 'boat_brand', type: 'string' },
      {
        label: 'Boat Size',
        propertyName: 'boat_size',
        type: 'enumeration',
        options: [{ label: 'Large', value: 'l' }],
      },
    ]);
    expect(fieldMapPropertyNames(resolved)).toEqual([
      'firstname',
      'email',
      'event_notes',
      'boat_brand',
      'boat_size',
    ]);
  });

  it('throws one error naming every label that does not resolve', () => {
    // Prepare
    const properties = portal();

    // Act
    const act = () =>
      resolveFieldMap({ first_name: 'Frist Nme', additional_information: ['Shoe Size'] }, properties);

    // Assess
    expect(act).toThrow(LabelResolutionError);
    expect(act).toThrow(/Frist Nme[\s\S]*Shoe Size/);
  });
});
