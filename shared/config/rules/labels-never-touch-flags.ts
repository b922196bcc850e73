/**
 * No configured label other than a venue's own `syncFlagLabel` may name a venue checkbox.
 * - A write-back label that is a checkbox would be written by the poller: venue B writing its status
 *   into "Tripleseat Sync - Venue A" would erase (or set) venue A's ticks.
 * - A field-map label that is a checkbox feeds "true"/"false" into a lead field; it is a mistake, and it
 *   is also how a checkbox ends up labelled like one of the venue's own contact fields.
 * - A Webex label that is a checkbox would be ticked by the Webex sync for every attendee.
 * Labels compare with `normalizeLabel`, as the poller resolves them.
 */
import { fieldMapLabels, flagLabel, venueRef, webexLabels, writeBackLabels, type NamedLabel } from './labels';
import { error, type ConfigFinding, type ConfigRule } from './types';

export const labelsNeverTouchFlags: ConfigRule = (config) => {
  const flags = config.venues
    .map((venue) => ({ venueId: venue.id, ...flagLabel(venue) }))
    .filter((flag) => flag.normalized !== '');
  const checkboxOf = (label: NamedLabel) => flags.find((flag) => flag.normalized === label.normalized);
  const findings: ConfigFinding[] = [];

  for (const venue of config.venues) {
    for (const label of writeBackLabels(venue)) {
      const flag = checkboxOf(label);
      if (flag)
        findings.push(
          error(
            `${venueRef(venue)}: ${label.field} '${label.label}' is venue '${flag.venueId}''s sync checkbox; ` +
              `writing the outcome there would clear or set that checkbox. Give the write-back its own label`,
          ),
        );
    }
    for (const label of fieldMapLabels(venue)) {
      const flag = checkboxOf(label);
      if (flag)
        findings.push(
          error(
            `${venueRef(venue)}: ${label.field} '${label.label}' is venue '${flag.venueId}''s sync checkbox, ` +
              `not a contact field; map the lead field to the contact property that holds its value`,
          ),
        );
    }
  }
  for (const label of webexLabels(config)) {
    const flag = checkboxOf(label);
    if (flag)
      findings.push(
        error(
          `webex: fieldMap label '${label.label}' is venue '${flag.venueId}''s sync checkbox; the Webex sync ` +
            `would set it for every attendee. Map the Webex field to another property`,
        ),
      );
  }
  return findings;
};
