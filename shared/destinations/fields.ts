/**
 * The values a destination's body template can take, read from the mapped lead (pure). The lead mapper
 * has already cleaned and validated every value; a template names them by the venue's fieldMap key
 * (`first_name`, `email_address`, `event_date`, ...) or, for a property listed under
 * additional_information (the marina's "Boat Brand"), by its label: the mapper writes those as
 * "Label: value" lines after any free-text notes, and they are read back from there.
 */
import type { TripleseatLead } from '../sync/lead-mapper';
import { cleanSingleLine } from '../sync/lead-mapper';

export type LeadFieldValue = string | number | boolean;

/** Field name -> value; fields without a value are absent. */
export type LeadFields = ReadonlyMap<string, LeadFieldValue>;

export function leadFields(lead: TripleseatLead, labels: readonly string[] = []): LeadFields {
  const fields = new Map<string, LeadFieldValue>();
  for (const [name, value] of Object.entries(lead)) {
    if (value !== undefined) fields.set(name, value);
  }
  const info = lead.additional_information;
  if (info !== undefined && labels.length > 0) {
    // The labelled lines are the last block (notes come first, separated by a blank line).
    const blocks = info.split('\n\n');
    const lines = (blocks[blocks.length - 1] ?? '').split('\n');
    for (const label of labels) {
      const title = cleanSingleLine(label);
      if (title === undefined) continue;
      const line = lines.find((candidate) => candidate.startsWith(`${title}: `));
      const value = line === undefined ? undefined : cleanSingleLine(line.slice(title.length + 2));
      if (value !== undefined) fields.set(label, value);
    }
  }
  return fields;
}
