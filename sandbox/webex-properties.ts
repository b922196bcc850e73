/**
 * The HubSpot contact properties the demo Webex field map (bin/venues.ts `webex.fieldMap`) needs
 * beyond HubSpot's defaults (Email, First Name, Last Name, Company Name), defined the way an admin
 * would create them in the HubSpot UI. Used by the sandbox, the bench and the tests.
 *
 * The registration-status options are UI-style values ("Registered"), not Webex's "REGISTERED": the
 * mapper must send the exact option value (HubSpot compares enumeration values case-sensitively).
 */
import type { HubSpotSimulator, PropertyDefinitionInput } from './hubspot';

export const WEBEX_DEMO_PROPERTIES: readonly PropertyDefinitionInput[] = [
  {
    name: 'webex_event_name',
    label: 'Webex Event Name',
    type: 'string',
    fieldType: 'text',
    groupName: 'webex',
  },
  {
    name: 'webex_registration_status',
    label: 'Webex Registration Status',
    type: 'enumeration',
    fieldType: 'select',
    groupName: 'webex',
    options: [
      { label: 'Registered', value: 'Registered' },
      { label: 'Attended', value: 'Attended' },
      { label: 'Cancelled', value: 'Cancelled' },
    ],
  },
  {
    name: 'webex_checked_in',
    label: 'Webex Checked In',
    type: 'bool',
    fieldType: 'booleancheckbox',
    groupName: 'webex',
  },
  { name: 'webex_ticket', label: 'Webex Ticket', type: 'string', fieldType: 'text', groupName: 'webex' },
];

/** Defines the Webex group and properties in the simulator (idempotent: redefining is allowed). */
export function defineWebexProperties(hubspot: HubSpotSimulator): void {
  hubspot.defineGroup({ name: 'webex', label: 'Webex Events' });
  for (const property of WEBEX_DEMO_PROPERTIES) hubspot.defineProperty(property);
}
