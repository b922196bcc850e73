/**
 * Reads a destination's lookup answer (a GET by email) into the leads the decision core matches against
 * what an earlier attempt sent (pure). Records are taken from `itemsPath`; id, email and created time
 * from their JSON paths. A record without an id or a readable created time is skipped: it cannot be
 * proven to be this request's lead, so it never is.
 */
import type { HttpLookup } from '../config/destination';
import { parseCreatedAt } from '../tripleseat/created-at';
import type { ExistingLead } from '../sync/ports';
import { readJsonPath, readJsonText } from './json-path';

export function leadsFromLookupAnswer(lookup: HttpLookup, body: unknown, email: string): ExistingLead[] {
  const items = readJsonPath(body, lookup.itemsPath ?? '$');
  if (!Array.isArray(items)) return [];
  const wanted = email.trim().toLowerCase();
  const leads: ExistingLead[] = [];
  for (const item of items as unknown[]) {
    const id = readJsonText(item, lookup.idPath);
    const itemEmail = readJsonText(item, lookup.emailPath)?.trim().toLowerCase();
    if (id === undefined || itemEmail !== wanted) continue;
    const createdAt = readJsonText(item, lookup.createdAtPath);
    const window = parseCreatedAt(createdAt).window;
    const optional = (path: string | undefined) => (path ? readJsonText(item, path) : undefined);
    const firstName = optional(lookup.firstNamePath);
    const lastName = optional(lookup.lastNamePath);
    const phone = optional(lookup.phonePath);
    leads.push({
      id,
      email: wanted,
      createdAt,
      ...(window ? { createdWindow: window } : {}),
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
      ...(phone ? { phone } : {}),
    });
  }
  return leads;
}
