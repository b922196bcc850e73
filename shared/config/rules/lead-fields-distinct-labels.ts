/**
 * Two lead fields must not read the same HubSpot property (after normalization): `first_name` and
 * `last_name` both mapped to "Name" means one of them is wrong, and the lead would carry one value twice.
 *
 * additional_information is the exception, on purpose: it collects extra "Label: value" lines for the
 * venue's coordinator, and repeating a value that also fills a lead field there (say the event date, in
 * the notes too) is a legitimate choice that cannot damage anything. A label listed twice inside
 * additional_information itself is still refused (the same line would appear twice).
 */
import { normalizeLabel } from '../../schema/normalize';
import { venueRef } from './labels';
import { error, type ConfigFinding, type ConfigRule } from './types';

const NOTES_FIELD = 'additional_information';

export const leadFieldsReadDistinctLabels: ConfigRule = (config) => {
  const findings: ConfigFinding[] = [];
  for (const venue of config.venues) {
    const direct = new Map<string, string>();
    const notes = new Set<string>();
    for (const [field, labels] of Object.entries(venue.fieldMap)) {
      for (const label of Array.isArray(labels) ? labels : [labels]) {
        const normalized = normalizeLabel(label);
        if (normalized === '') continue;
        if (field === NOTES_FIELD) {
          if (notes.has(normalized))
            findings.push(
              error(
                `${venueRef(venue)}: fieldMap.${NOTES_FIELD} lists '${label}' twice; list each label once`,
              ),
            );
          notes.add(normalized);
          continue;
        }
        const other = direct.get(normalized);
        if (other !== undefined)
          findings.push(
            error(
              `${venueRef(venue)}: fieldMap.${field} reads '${label}', which fieldMap.${other} already reads; ` +
                `each lead field needs its own contact property`,
            ),
          );
        else direct.set(normalized, field);
      }
    }
  }
  return findings;
};
