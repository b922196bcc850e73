/**
 * A venue checkbox must not be one of HubSpot's ordinary contact properties ("Email", "First Name",
 * "Phone Number", ... by label or internal name): the poller would search for contacts whose email is
 * "true" and clear people's data. A flag equal to a label in the venue's own field map is refused by
 * `labelsNeverTouchFlags` (it checks every field map against every checkbox).
 */
import { normalizeLabel } from '../../schema/normalize';
import { HUBSPOT_DEFAULT_CONTACT_PROPERTIES } from '../hubspot-contact-properties';
import { flagLabel, venueRef } from './labels';
import { error, type ConfigFinding, type ConfigRule } from './types';

export const flagNotContactProperty: ConfigRule = (config) => {
  const findings: ConfigFinding[] = [];
  for (const venue of config.venues) {
    const { normalized } = flagLabel(venue);
    if (normalized === '') continue;
    const standard = HUBSPOT_DEFAULT_CONTACT_PROPERTIES.find(
      (property) =>
        normalizeLabel(property.label) === normalized || normalizeLabel(property.name) === normalized,
    );
    if (standard)
      findings.push(
        error(
          `${venueRef(venue)}: syncFlagLabel '${venue.syncFlagLabel}' is HubSpot's contact property ` +
            `'${standard.label}' (${standard.name}), not a sync checkbox; use a label such as ` +
            `'Tripleseat Sync - ${venue.displayName}'`,
        ),
      );
  }
  return findings;
};
