/**
 * HubSpot contact property definitions, as returned by the Properties API.
 * https://developers.hubspot.com/docs/api/crm/properties
 *
 * Parsed leniently on purpose: unknown keys pass through and `type` stays an open string, so a new
 * HubSpot property type on one property cannot stop every venue's poller. Code that writes values
 * handles the known types and refuses the rest (see hubspot-value.ts).
 */
import { z } from 'zod';

/** Property types of the v3 spec (`POST /crm/v3/properties/{objectType}` enum). */
export const HUBSPOT_PROPERTY_TYPES = [
  'bool',
  'date',
  'datetime',
  'enumeration',
  'number',
  'phone_number',
  'string',
] as const;
export type HubSpotPropertyType = (typeof HUBSPOT_PROPERTY_TYPES)[number];

export function isHubSpotPropertyType(type: string): type is HubSpotPropertyType {
  return (HUBSPOT_PROPERTY_TYPES as readonly string[]).includes(type);
}

export const HubSpotPropertyOptionSchema = z.looseObject({
  label: z.string(),
  value: z.string(),
  hidden: z.boolean().optional(),
  displayOrder: z.number().optional(),
  description: z.string().optional(),
});
export type HubSpotPropertyOption = z.infer<typeof HubSpotPropertyOptionSchema>;

export const HubSpotPropertySchema = z.looseObject({
  /** Internal name, e.g. `tripleseat_sync_venue_a`; what the CRM objects API reads and writes. */
  name: z.string().min(1),
  /** What marketers see and what our config names, e.g. "Tripleseat Sync - Venue A". */
  label: z.string(),
  /** One of HUBSPOT_PROPERTY_TYPES in practice; kept open (see the file comment). */
  type: z.string().min(1),
  fieldType: z.string(),
  groupName: z.string().optional(),
  description: z.string().optional(),
  options: z.array(HubSpotPropertyOptionSchema).default([]),
  hidden: z.boolean().optional(),
  hubspotDefined: z.boolean().optional(),
  formField: z.boolean().optional(),
  calculated: z.boolean().optional(),
  hasUniqueValue: z.boolean().optional(),
  displayOrder: z.number().optional(),
  archived: z.boolean().optional(),
  modificationMetadata: z
    .looseObject({
      readOnlyValue: z.boolean().optional(),
      readOnlyDefinition: z.boolean().optional(),
      archivable: z.boolean().optional(),
    })
    .optional(),
});
export type HubSpotProperty = z.infer<typeof HubSpotPropertySchema>;

/** `GET /crm/v3/properties/contacts` answers every property at once (no paging). */
export const HubSpotPropertiesResponseSchema = z.looseObject({
  results: z.array(HubSpotPropertySchema),
});
export type HubSpotPropertiesResponse = z.infer<typeof HubSpotPropertiesResponseSchema>;
