/**
 * Every venue writes its outcome ("Sent to Tripleseat (lead 123)", "Rejected: last name missing") to a
 * status property on the contact: without it, marketers tick a box and never learn what happened.
 * A venue may opt out only explicitly, with a reason (`statusWriteBackOptOut`); that passes with a loud
 * warning. Setting both a status label and an opt-out is a contradiction and refused.
 */
import { venueRef } from './labels';
import { error, warning, type ConfigFinding, type ConfigRule } from './types';

export const statusWriteBackRequired: ConfigRule = (config) => {
  const findings: ConfigFinding[] = [];
  for (const venue of config.venues) {
    const status = venue.writeBack?.status;
    const optOut = venue.statusWriteBackOptOut;
    if (status !== undefined && optOut !== undefined)
      findings.push(
        error(
          `${venueRef(venue)}: has writeBack.status '${status}' and statusWriteBackOptOut; keep one of the two`,
        ),
      );
    else if (status === undefined && optOut === undefined)
      findings.push(
        error(
          `${venueRef(venue)}: writeBack.status is missing, so marketers would never see whether a contact ` +
            `was sent or rejected; add e.g. writeBack: { status: 'Tripleseat Status - ${venue.displayName}' } ` +
            `(or, if there is a reason not to, statusWriteBackOptOut: '<reason>')`,
        ),
      );
    else if (optOut !== undefined)
      findings.push(
        warning(
          `${venueRef(venue)}: writes no status to contacts (statusWriteBackOptOut: '${optOut}'); marketers ` +
            `will not see on the contact whether a lead was sent or rejected`,
        ),
      );
  }
  return findings;
};
