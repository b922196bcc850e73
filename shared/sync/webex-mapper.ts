/**
 * Webex registrant (as the source port reads it) -> HubSpot contact properties, through the resolved
 * field map. Pure.
 *
 * - The person key is the normalized email (trimmed, lowercased, NFC). No usable email: the record
 *   cannot be upserted by email at all, so it is quarantined by the caller (`ok: false`).
 * - Each value goes through toHubSpotValue for its property's type: bool "true"/"false", date as
 *   midnight-UTC epoch ms, number, enumeration as the option's exact value (Webex "REGISTERED" ->
 *   HubSpot option value "Registered"). A value that does not convert is a per-record problem: that
 *   property is left out (and counted), the rest of the record still syncs.
 * - An empty Webex value is left out rather than clearing HubSpot: the contact may hold the value from
 *   another source (a form, a venue), and Webex does not tell "cleared" from "never given".
 */
import { createHash } from 'node:crypto';
import { toHubSpotValue, type HubSpotProperty } from '../schema';
import { isUsableEmail, normalizeEmail, type WebexField } from '../webex/fields';
import type { WebexSourceRegistrant } from './ports';

/** One entry of the field map after label resolution. */
export interface ResolvedWebexField {
  /** The HubSpot label as configured. */
  label: string;
  field: WebexField;
  property: HubSpotProperty;
}

export interface ConversionProblem {
  property: string;
  field: WebexField;
  reason: string;
}

export type WebexMapResult =
  | {
      ok: true;
      email: string;
      /** Internal property name -> value HubSpot accepts. */
      properties: Record<string, string>;
      problems: ConversionProblem[];
    }
  | { ok: false; reason: string };

export function mapWebexAttendee(
  registrant: WebexSourceRegistrant,
  fields: readonly ResolvedWebexField[],
): WebexMapResult {
  const rawEmail = registrant.values.email;
  const raw = typeof rawEmail === 'string' ? rawEmail : '';
  const email = normalizeEmail(raw);
  if (email === '')
    return { ok: false, reason: 'no email address in Webex; HubSpot contacts are keyed by email' };
  if (!isUsableEmail(email)) return { ok: false, reason: 'email address in Webex is not a valid address' };

  const properties: Record<string, string> = {};
  const problems: ConversionProblem[] = [];
  for (const { field, property } of fields) {
    const value = field === 'email' ? email : (registrant.values[field] ?? null);
    if (value === null || (typeof value === 'string' && value.trim() === '')) continue;
    const converted = toHubSpotValue(property, value);
    if (converted.ok) properties[property.name] = converted.value;
    else problems.push({ property: property.name, field, reason: converted.reason });
  }
  return { ok: true, email, properties, problems };
}

/** Stable fingerprint of what we would write: sha256 hex over the properties with sorted keys. */
export function propertiesHash(properties: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(properties)
    .sort()
    .map((key) => [key, properties[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
