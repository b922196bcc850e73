/**
 * Two venue checkboxes must not look alike. Labels equal after normalization are already refused (the
 * duplicate-flag check); this rule catches the ones that differ in code points but not to the eye, such as
 * "Tripleseat Sync - Venue А" with a Cyrillic А next to "Tripleseat Sync - Venue A": a marketer would tick
 * the wrong venue's box without any way to tell. See `confusableSkeleton`.
 */
import { confusableSkeleton } from '../confusable';
import { flagLabel, venueRef } from './labels';
import { error, type ConfigRule } from './types';

export const flagLabelsNotConfusable: ConfigRule = (config) => {
  const findings = [];
  const seen: Array<{ venueId: string; label: string; normalized: string; skeleton: string }> = [];
  for (const venue of config.venues) {
    const { normalized } = flagLabel(venue);
    const skeleton = confusableSkeleton(venue.syncFlagLabel);
    const twin = seen.find(
      (other) => skeleton !== '' && other.skeleton === skeleton && other.normalized !== normalized,
    );
    if (twin) {
      findings.push(
        error(
          `${venueRef(venue)}: syncFlagLabel '${venue.syncFlagLabel}' looks like venue '${twin.venueId}''s ` +
            `'${twin.label}' (they differ only in lookalike characters such as Cyrillic or Greek letters); ` +
            `retype the label in plain Latin letters or make it visibly different`,
        ),
      );
    }
    seen.push({ venueId: venue.id, label: venue.syncFlagLabel, normalized, skeleton });
  }
  return findings;
};
