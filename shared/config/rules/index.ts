/** The synth-time config rules, each in its own file with a passing and a failing test. */
import { destinationValid } from './destination-valid';
import { flagLabelHasLettersOrDigits } from './flag-label-has-letters';
import { flagLabelsNotConfusable } from './flag-labels-not-confusable';
import { flagNotContactProperty } from './flag-not-contact-property';
import { labelsNeverTouchFlags } from './labels-never-touch-flags';
import { leadFieldsReadDistinctLabels } from './lead-fields-distinct-labels';
import { statusWriteBackRequired } from './status-write-back-required';
import type { ConfigRule } from './types';
import { writeBackLabelsOwnedByOneVenue } from './write-back-labels-own';

export type { ConfigFinding, ConfigRule } from './types';
export {
  destinationValid,
  flagLabelHasLettersOrDigits,
  flagLabelsNotConfusable,
  flagNotContactProperty,
  labelsNeverTouchFlags,
  leadFieldsReadDistinctLabels,
  statusWriteBackRequired,
  writeBackLabelsOwnedByOneVenue,
};

export const CONFIG_RULES: readonly ConfigRule[] = [
  flagLabelHasLettersOrDigits,
  flagNotContactProperty,
  flagLabelsNotConfusable,
  labelsNeverTouchFlags,
  writeBackLabelsOwnedByOneVenue,
  leadFieldsReadDistinctLabels,
  statusWriteBackRequired,
  destinationValid,
];
