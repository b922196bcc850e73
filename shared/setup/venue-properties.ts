/**
 * The HubSpot properties a venue needs (its sync checkbox and the optional write-back properties),
 * derived from its config. `venue-sync setup` creates them; the sandbox seeds them the same way.
 */
import type { VenueConfig } from '../config/app-config';
import { snakeCaseLabel } from '../schema';

export const VENUE_SYNC_GROUP = { name: 'venue_sync', label: 'venue-sync' } as const;

export interface PropertySpec {
  name: string;
  label: string;
  type: 'bool' | 'string' | 'datetime';
  fieldType: 'booleancheckbox' | 'text' | 'date';
  groupName: string;
  description: string;
  options?: Array<{ label: string; value: string; displayOrder: number }>;
}

export function venuePropertySpecs(
  venue: Pick<VenueConfig, 'displayName' | 'syncFlagLabel' | 'writeBack'>,
): PropertySpec[] {
  const base = { groupName: VENUE_SYNC_GROUP.name };
  const specs: PropertySpec[] = [
    {
      ...base,
      name: snakeCaseLabel(venue.syncFlagLabel),
      label: venue.syncFlagLabel,
      type: 'bool',
      fieldType: 'booleancheckbox',
      description: `Tick to send this contact to ${venue.displayName}'s Tripleseat as a lead. venue-sync clears it when done.`,
      options: [
        { label: 'Yes', value: 'true', displayOrder: 0 },
        { label: 'No', value: 'false', displayOrder: 1 },
      ],
    },
  ];
  const { status, leadId, syncedAt } = venue.writeBack ?? {};
  if (status) {
    specs.push({
      ...base,
      name: snakeCaseLabel(status),
      label: status,
      type: 'string',
      fieldType: 'text',
      description: `Outcome of the last Tripleseat sync for ${venue.displayName} (written by venue-sync).`,
    });
  }
  if (leadId) {
    specs.push({
      ...base,
      name: snakeCaseLabel(leadId),
      label: leadId,
      type: 'string',
      fieldType: 'text',
      description: `Tripleseat lead id created for ${venue.displayName} (written by venue-sync).`,
    });
  }
  if (syncedAt) {
    specs.push({
      ...base,
      name: snakeCaseLabel(syncedAt),
      label: syncedAt,
      type: 'datetime',
      fieldType: 'date',
      description: `When venue-sync last sent this contact to ${venue.displayName}'s Tripleseat.`,
    });
  }
  specs.push(...leadOutcomePropertySpecs(venue));
  return specs;
}

/** The lead-outcome write-back properties (docs/lead-outcomes.md), written by the Tripleseat webhook. */
function leadOutcomePropertySpecs(venue: Pick<VenueConfig, 'displayName' | 'writeBack'>): PropertySpec[] {
  const where = `${venue.displayName}'s Tripleseat`;
  const roles = [
    [
      'outcome',
      'string',
      `What became of the lead in ${where}: Lead open, Converted, Booked, Turned down, Lost: <reason>.`,
    ],
    ['eventDate', 'string', `Date of the lead's event in ${where}.`],
    ['lostReason', 'string', `Why the lead's event was lost in ${where}.`],
    ['bookingLink', 'string', `Link to the lead's event in ${where}.`],
    ['outcomeUpdatedAt', 'datetime', `When the lead's outcome last changed in ${where}.`],
  ] as const;
  return roles.flatMap(([role, type, description]) => {
    const label = venue.writeBack?.[role];
    if (!label) return [];
    return [
      {
        groupName: VENUE_SYNC_GROUP.name,
        name: snakeCaseLabel(label),
        label,
        type,
        fieldType: type === 'datetime' ? ('date' as const) : ('text' as const),
        description: `${description} (written by venue-sync)`,
      },
    ];
  });
}
