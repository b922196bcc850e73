/**
 * Each write-back label (status, lead id, synced at) is written only by its own venue, once:
 * - not another venue's write-back label (the two venues would overwrite each other's outcome);
 * - not a second role of the same venue (the lead id would overwrite the status);
 * - not a label any venue reads into a lead, nor one the Webex sync writes (the poller would overwrite
 *   contact data with "Sent to Tripleseat ...");
 * - not one of HubSpot's default contact properties ("Email", "First Name", ...).
 * Checkbox labels are `labelsNeverTouchFlags`'s concern. Labels compare with `normalizeLabel`.
 */
import { normalizeLabel } from '../../schema/normalize';
import { HUBSPOT_DEFAULT_CONTACT_PROPERTIES } from '../hubspot-contact-properties';
import { fieldMapLabels, venueRef, webexLabels, writeBackLabels } from './labels';
import { error, type ConfigFinding, type ConfigRule } from './types';

export const writeBackLabelsOwnedByOneVenue: ConfigRule = (config) => {
  const findings: ConfigFinding[] = [];
  const written: Array<{ venueId: string; field: string; normalized: string }> = [];
  const read = config.venues.flatMap((venue) =>
    fieldMapLabels(venue).map((label) => ({ who: `venue '${venue.id}' ${label.field}`, ...label })),
  );
  const webexWritten = webexLabels(config).map((label) => ({ who: 'the Webex sync', ...label }));
  const defaults = HUBSPOT_DEFAULT_CONTACT_PROPERTIES.map((property) => ({
    ...property,
    normalizedLabel: normalizeLabel(property.label),
    normalizedName: normalizeLabel(property.name),
  }));

  for (const venue of config.venues) {
    for (const label of writeBackLabels(venue)) {
      const where = `${venueRef(venue)}: ${label.field} '${label.label}'`;
      if (label.normalized === '') {
        findings.push(error(`${where} has no letters or digits; give the write-back a readable label`));
        continue;
      }
      const previous = written.find((other) => other.normalized === label.normalized);
      if (previous && previous.venueId === venue.id)
        findings.push(
          error(`${where} is also its ${previous.field}; each write-back needs its own property`),
        );
      else if (previous)
        findings.push(
          error(
            `${where} is also venue '${previous.venueId}''s ${previous.field}; the two venues would overwrite ` +
              `each other's outcome. Put the venue in the label, e.g. 'Tripleseat Status - ${venue.displayName}'`,
          ),
        );
      written.push({ venueId: venue.id, field: label.field, normalized: label.normalized });

      for (const other of [...read, ...webexWritten].filter((r) => r.normalized === label.normalized)) {
        findings.push(
          error(
            `${where} is a contact field that ${other.who} uses; writing the outcome there would overwrite ` +
              `contact data. Give the write-back its own label`,
          ),
        );
      }
      const standard = defaults.find(
        (d) => d.normalizedLabel === label.normalized || d.normalizedName === label.normalized,
      );
      if (standard)
        findings.push(
          error(
            `${where} is HubSpot's default contact property '${standard.label}' (${standard.name}); ` +
              `writing the outcome there would overwrite contact data. Give the write-back its own label`,
          ),
        );
    }
  }
  return findings;
};
