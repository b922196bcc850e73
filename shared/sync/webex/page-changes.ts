/**
 * One page of registrants -> what changed. Maps each registrant, quarantines those without a usable
 * email (they can never be upserted by email), merges registrations that share an email (HubSpot
 * refuses a batch that repeats one), follows re-issued Webex ids, skips people whose mapped
 * properties hash to the last confirmed push, and buffers the rest for the upsert.
 */
import { keys, type PersonRecord } from '../../reconciliation';
import type { WebexSourceRegistrant } from '../ports';
import { mapWebexAttendee, propertiesHash } from '../webex-mapper';
import type { PersonWrite, WebexRunContext } from './run-context';
import type { UpsertBuffer } from './upsert-buffer';

interface PersonOnPage {
  registrants: WebexSourceRegistrant[];
  properties: Record<string, string>;
}

export async function collectPageChanges(
  run: WebexRunContext,
  buffer: UpsertBuffer,
  eventId: number,
  registrants: readonly WebexSourceRegistrant[],
): Promise<void> {
  const people = await mapPage(run, eventId, registrants);
  if (people.size === 0) return;
  const eventKey = String(eventId);
  // What we know about these people (one BatchGet per 100).
  const known = await run.store.getPeople(eventKey, [...people.keys()]);
  const records: PersonWrite[] = [];

  for (const [email, group] of people) {
    const existing = known.get(email);
    const ids = followIds(run, eventId, existing, group.registrants);
    const hash = propertiesHash(group.properties);
    const base: PersonWrite = {
      eventId: eventKey,
      email,
      webexId: ids.webexId,
      previousWebexIds: ids.previousWebexIds,
      ...(existing?.hubspotContactId ? { hubspotContactId: existing.hubspotContactId } : {}),
      ...(existing?.syncedHash ? { syncedHash: existing.syncedHash } : {}),
    };
    const buffered = buffer.get(email);
    if (buffered) {
      // The same person on an earlier page, still buffered: merge (later values win).
      buffer.add(email, {
        person: { ...buffered.person, webexId: ids.webexId },
        properties: { ...buffered.properties, ...group.properties },
      });
      continue;
    }
    if (existing?.hubspotContactId && existing.syncedHash === hash) {
      run.report.skippedUnchanged += 1;
      if (ids.changed) records.push(base);
      continue;
    }
    const already = buffer.pushedThisRun(email);
    if (already && already.hash === hash) {
      // Another event of this run wrote exactly these values for this person already.
      run.report.skippedUnchanged += 1;
      records.push({ ...base, hubspotContactId: already.contactId, syncedHash: hash });
      continue;
    }
    // Ids are recorded now (the map follows the person even if the upsert fails); the hash only once
    // HubSpot confirms.
    if (ids.changed) records.push(base);
    buffer.add(email, { person: base, properties: group.properties });
  }
  if (records.length > 0) await run.store.putPeople(records);
}

/** Maps the page; people without a usable email go to quarantine. Keyed by normalized email. */
async function mapPage(
  run: WebexRunContext,
  eventId: number,
  registrants: readonly WebexSourceRegistrant[],
): Promise<Map<string, PersonOnPage>> {
  const people = new Map<string, PersonOnPage>();
  for (const registrant of registrants) {
    const mapped = mapWebexAttendee(registrant, run.fields);
    if (!mapped.ok) {
      await run.store.putQuarantine(keys.webexSource, `${eventId}#webex-${registrant.id}`, mapped.reason, {
        eventId,
        webexId: registrant.id,
        ...(registrant.externalId ? { externalId: registrant.externalId } : {}),
      });
      run.report.quarantined += 1;
      run.log.warn('attendee quarantined', { eventId, webexId: registrant.id, reason: mapped.reason });
      continue;
    }
    for (const problem of mapped.problems) {
      run.report.conversionProblems += 1;
      run.log.warn('value not converted; property left out', {
        eventId,
        webexId: registrant.id,
        property: problem.property,
        reason: problem.reason,
      });
    }
    // Several registrations with one email become one person, later values win.
    const person = people.get(mapped.email) ?? { registrants: [], properties: {} };
    person.registrants.push(registrant);
    Object.assign(person.properties, mapped.properties);
    people.set(mapped.email, person);
  }
  return people;
}

/**
 * The Webex id to keep for a person. A new id for a known email is a re-issued id (drift): it is
 * followed and the old one kept in `previousWebexIds`. An id we have seen before (the current one or a
 * previous one, e.g. a second registration with the same email) changes nothing.
 */
function followIds(
  run: WebexRunContext,
  eventId: number,
  existing: PersonRecord | undefined,
  registrants: readonly WebexSourceRegistrant[],
): { webexId: number; previousWebexIds: number[]; changed: boolean } {
  const seenIds = registrants.map((registrant) => registrant.id);
  const latest = seenIds.at(-1);
  if (latest === undefined) throw new Error('a person on a page has at least one registration');
  if (!existing) return { webexId: latest, previousWebexIds: [], changed: true };
  const knownIds = new Set([existing.webexId, ...existing.previousWebexIds]);
  if (seenIds.some((id) => knownIds.has(id))) {
    return { webexId: existing.webexId, previousWebexIds: existing.previousWebexIds, changed: false };
  }
  run.report.idDrift += 1;
  run.log.info('Webex id changed for a known person; following it', {
    eventId,
    before: existing.webexId,
    after: latest,
    contactId: existing.hubspotContactId,
  });
  return {
    webexId: latest,
    previousWebexIds: [
      existing.webexId,
      ...existing.previousWebexIds.filter((id) => id !== existing.webexId),
    ],
    changed: true,
  };
}
