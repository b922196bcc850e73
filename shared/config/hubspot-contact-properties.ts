/**
 * HubSpot's default contact properties that people edit or that integrations write (internal name and
 * the label HubSpot shows), from "HubSpot's default contact properties":
 * https://knowledge.hubspot.com/properties/hubspots-default-contact-properties
 *
 * Config validation refuses a venue checkbox or a write-back label that is one of these: a checkbox
 * labelled "Email" would never be a sync request, and writing "Sent to Tripleseat" into "First Name"
 * would damage the contact. The list is the common subset, not every default property.
 */
export interface HubSpotDefaultProperty {
  readonly name: string;
  readonly label: string;
}

export const HUBSPOT_DEFAULT_CONTACT_PROPERTIES: readonly HubSpotDefaultProperty[] = [
  { name: 'email', label: 'Email' },
  { name: 'firstname', label: 'First Name' },
  { name: 'lastname', label: 'Last Name' },
  { name: 'phone', label: 'Phone Number' },
  { name: 'mobilephone', label: 'Mobile Phone Number' },
  { name: 'fax', label: 'Fax Number' },
  { name: 'company', label: 'Company Name' },
  { name: 'jobtitle', label: 'Job Title' },
  { name: 'website', label: 'Website URL' },
  { name: 'address', label: 'Street Address' },
  { name: 'city', label: 'City' },
  { name: 'state', label: 'State/Region' },
  { name: 'zip', label: 'Postal Code' },
  { name: 'country', label: 'Country/Region' },
  { name: 'industry', label: 'Industry' },
  { name: 'message', label: 'Message' },
  { name: 'salutation', label: 'Salutation' },
  { name: 'date_of_birth', label: 'Date of birth' },
  { name: 'annualrevenue', label: 'Annual Revenue' },
  { name: 'numemployees', label: 'Number of Employees' },
  { name: 'lifecyclestage', label: 'Lifecycle Stage' },
  { name: 'hs_lead_status', label: 'Lead Status' },
  { name: 'hubspot_owner_id', label: 'Contact owner' },
  { name: 'createdate', label: 'Create Date' },
  { name: 'lastmodifieddate', label: 'Last Modified Date' },
  { name: 'notes_last_updated', label: 'Last Activity Date' },
  { name: 'hs_marketable_status', label: 'Marketing contact status' },
];
