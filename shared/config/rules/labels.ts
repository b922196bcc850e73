/** The HubSpot labels a config names, with where each comes from (for rule messages). Pure. */
import type { AppConfig, VenueConfig } from '../app-config';
import { normalizeLabel } from '../../schema/normalize';

export const WRITE_BACK_ROLES = [
  'status',
  'leadId',
  'syncedAt',
  'outcome',
  'eventDate',
  'lostReason',
  'bookingLink',
  'outcomeUpdatedAt',
] as const;
export type WriteBackRole = (typeof WRITE_BACK_ROLES)[number];

export interface NamedLabel {
  /** The label as configured. */
  readonly label: string;
  /** `normalizeLabel(label)`: how the poller and the router compare labels. */
  readonly normalized: string;
  /** Where it is configured, e.g. `writeBack.status` or `fieldMap.first_name`. */
  readonly field: string;
}

const named = (label: string, field: string): NamedLabel => ({
  label,
  normalized: normalizeLabel(label),
  field,
});

/** The labels the poller writes on the contact after a decision. */
export function writeBackLabels(venue: VenueConfig): NamedLabel[] {
  return WRITE_BACK_ROLES.flatMap((role) => {
    const label = venue.writeBack?.[role];
    return label === undefined ? [] : [named(label, `writeBack.${role}`)];
  });
}

/** The labels the poller reads into the lead (additional_information may list several). */
export function fieldMapLabels(venue: VenueConfig): NamedLabel[] {
  return Object.entries(venue.fieldMap).flatMap(([field, labels]) =>
    (Array.isArray(labels) ? labels : [labels]).map((label) => named(label, `fieldMap.${field}`)),
  );
}

/** The labels the Webex sync writes (the keys of its field map). */
export function webexLabels(config: AppConfig): NamedLabel[] {
  return Object.keys(config.webex?.fieldMap ?? {}).map((label) => named(label, 'fieldMap'));
}

export function flagLabel(venue: VenueConfig): NamedLabel {
  return named(venue.syncFlagLabel, 'syncFlagLabel');
}

export const venueRef = (venue: VenueConfig): string => `venue '${venue.id}'`;
