/**
 * A venue checkbox label must keep at least one letter or digit once normalized. A label such as
 * "🎉🎉" normalizes to nothing: it cannot be resolved to a HubSpot property, would equal every other
 * such label, and could not be routed by the webhook.
 */
import { flagLabel, venueRef } from './labels';
import { error, type ConfigRule } from './types';

export const flagLabelHasLettersOrDigits: ConfigRule = (config) =>
  config.venues
    .filter((venue) => flagLabel(venue).normalized === '')
    .map((venue) =>
      error(
        `${venueRef(venue)}: syncFlagLabel '${venue.syncFlagLabel}' has no letters or digits, so it cannot ` +
          `name a HubSpot checkbox; use a label such as 'Tripleseat Sync - ${venue.displayName}'`,
      ),
    );
