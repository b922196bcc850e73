/**
 * A venue's `http` destination must be usable as configured: every `$field` of the body template is
 * one of the venue's mapped fields (a fieldMap key, or a label listed under additional_information),
 * every JSON path parses, URLs are https and the lookup URL says where the email goes, the auth names
 * its secret keys, and no status is given two meanings. All problems are reported at once.
 */
import { templateFields } from '../destination';
import { parseJsonPath } from '../../destinations/json-path';
import { venueRef } from './labels';
import { error, type ConfigFinding, type ConfigRule } from './types';

export const destinationValid: ConfigRule = (config) => {
  const findings: ConfigFinding[] = [];
  for (const venue of config.venues) {
    const destination = venue.destination;
    if (destination?.type !== 'http') continue;
    const where = `${venueRef(venue)}: destination`;
    const problem = (message: string) => findings.push(error(`${where} ${message}`));

    const info = venue.fieldMap['additional_information'];
    const labels = info === undefined ? [] : Array.isArray(info) ? info : [info];
    const known = new Set([...Object.keys(venue.fieldMap), ...labels]);
    for (const { field, at } of templateFields(destination.body)) {
      if (!known.has(field)) {
        problem(
          `body ${at} names '${field}', which this venue does not map; use one of: ${[...known].join(', ')} ` +
            '(or add it to fieldMap)',
        );
      }
    }

    checkUrl(destination.url, 'url', problem);
    const paths: Array<[string, string | undefined]> = [
      ['created.idPath', destination.created.idPath],
      ['rejected.reasonPath', destination.rejected.reasonPath],
      ['rejected.errorInCreatedPath', destination.rejected.errorInCreatedPath],
    ];
    if (destination.lookup) {
      const lookup = destination.lookup;
      checkUrl(lookup.url.replace('{email}', 'email'), 'lookup.url', problem);
      if (!lookup.url.includes('{email}')) problem("lookup.url must contain '{email}' where the email goes");
      paths.push(
        ['lookup.itemsPath', lookup.itemsPath],
        ['lookup.idPath', lookup.idPath],
        ['lookup.emailPath', lookup.emailPath],
        ['lookup.createdAtPath', lookup.createdAtPath],
        ['lookup.firstNamePath', lookup.firstNamePath],
        ['lookup.lastNamePath', lookup.lastNamePath],
        ['lookup.phonePath', lookup.phonePath],
      );
    }
    for (const [name, path] of paths) {
      if (path === undefined) continue;
      const parsed = parseJsonPath(path);
      if (!parsed.ok) problem(`${name} is not a JSON path: ${parsed.problem}`);
    }

    const meaning = new Map<number, string>();
    for (const [rule, statuses] of [
      ['created', destination.created.statuses],
      ['rejected', destination.rejected.statuses],
      ['retryable', destination.retryable.statuses],
    ] as const) {
      for (const status of statuses) {
        const other = meaning.get(status);
        if (other !== undefined && other !== rule) problem(`status ${status} is both ${other} and ${rule}`);
        else meaning.set(status, rule);
      }
    }
    if (destination.retryable.statuses.some((status) => [500, 502, 504].includes(status))) {
      problem(
        'retryable lists 500, 502 or 504: those come after the platform may have stored the lead, so they ' +
          'are left ambiguous (looked up or quarantined, never re-sent blindly); remove them',
      );
    }
  }
  return findings;
};

function checkUrl(text: string, name: string, problem: (message: string) => void): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problem(`${name} '${text}' is not a URL`);
    return;
  }
  if (url.protocol !== 'https:') problem(`${name} must use https (credentials travel with every call)`);
  if (url.username || url.password) problem(`${name} must not carry credentials; use auth and the secret`);
}
