/**
 * The ops side of a venue on another platform (an `http` destination): what `run --dry-run` shows of
 * the body that would be sent, and doctor's destination row. Kept apart from run.ts and doctor.ts,
 * which wire them in with a few lines.
 */
import { z } from 'zod';
import type { VenueConfig } from '../shared/config/app-config';
import { authSecretFields } from '../shared/config/destination';
import { HttpDestination } from '../shared/destinations';
import { bodyShape } from '../shared/destinations/template';
import { additionalInformationLabels } from '../shared/destinations/venue-destination';
import { AuthError } from '../shared/rate-limit/errors';
import type { ApiCaller } from '../shared/rate-limit/types';
import type { Credentials } from '../shared/runtime/credentials';
import type { VenuePlan } from '../shared/sync/plan-venue';

export interface DestinationBodies {
  /** For an http destination: where each lead would go, and its body with values shown by field name. */
  destination?: {
    name: string;
    method: string;
    url: string;
    bodies: Array<{ contactId: string; body: unknown }>;
  };
}

export function destinationBodies(venue: VenueConfig, plan: VenuePlan): DestinationBodies {
  const destination = venue.destination;
  if (destination?.type !== 'http') return {};
  const labels = additionalInformationLabels(venue.fieldMap);
  return {
    destination: {
      name: destination.name,
      method: destination.method ?? 'POST',
      url: destination.url,
      bodies: plan.leadsToCreate.map((lead) => ({
        contactId: lead.contactId,
        // The plan names the lead fields present; labelled lines count when additional_information does.
        body: bodyShape(destination.body, [
          ...lead.fields,
          ...(lead.fields.includes('additional_information') ? labels : []),
        ]),
      })),
    },
  };
}

export function renderDestinationBodies(plan: DestinationBodies): string[] {
  const destination = plan.destination;
  if (!destination || destination.bodies.length === 0) return [];
  const lines = [
    '',
    `Bodies sent to ${destination.name} (${destination.method} ${destination.url}), values shown by field:`,
  ];
  for (const { contactId, body } of destination.bodies) lines.push(`  ${contactId}: ${JSON.stringify(body)}`);
  return lines;
}

export interface DestinationCheckRow {
  check: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  next?: string;
}

/** An address no lead can have: the lookup answers (empty) without touching real data. */
const PROBE_EMAIL = 'venue-sync-doctor@example.invalid';

/** Doctor calls once, no retries: a failure is reported as it came. */
const onceCaller: ApiCaller = {
  call: (_api, fn) => fn(),
  stats: () => ({
    calls: { hubspot: 0, 'hubspot-search': 0, tripleseat: 0, webex: 0 },
    rateLimited: { hubspot: 0, 'hubspot-search': 0, tripleseat: 0, webex: 0 },
    retries: { hubspot: 0, 'hubspot-search': 0, tripleseat: 0, webex: 0 },
  }),
};

/**
 * Doctor's rows for an http destination: the secret holds every key the auth names, and (when a lookup
 * is configured) a read-only lookup of an address no lead has is answered with the venue's credentials.
 * No create is ever sent. Empty for a Tripleseat venue.
 */
export async function checkDestination(
  venue: VenueConfig,
  credentials: Credentials,
  baseUrl: string | undefined = undefined,
): Promise<DestinationCheckRow[]> {
  const destination = venue.destination;
  if (destination?.type !== 'http') return [];
  const check = `destination ${venue.id}`;
  const missing = authSecretFields(destination.auth).filter((field) => !credentials.destination?.[field]);
  if (missing.length > 0) {
    return [
      {
        check,
        status: 'fail',
        detail: `${destination.name}: the secret has no ${missing.map((field) => `destination.${field}`).join(', ')}`,
        next: `add {"destination": {${missing.map((field) => `"${field}": "..."`).join(', ')}}} to '${venue.secretName}'`,
      },
    ];
  }
  const url = z.url().safeParse(baseUrl);
  const client = new HttpDestination({
    venueId: venue.id,
    config: destination,
    secrets: credentials.destination ?? {},
    labels: additionalInformationLabels(venue.fieldMap),
    caller: onceCaller,
    ...(url.success ? { baseUrl: url.data } : {}),
  });
  if (!client.findLeadsByEmail) {
    return [
      {
        check,
        status: 'warn',
        detail: `${destination.name}: credentials present (not verifiable without a lookup); no lookup configured`,
        next: 'a create whose answer is lost will be quarantined for a person; configure destination.lookup to close that window',
      },
    ];
  }
  try {
    await client.findLeadsByEmail(PROBE_EMAIL);
    return [{ check, status: 'pass', detail: `${destination.name}: credentials accepted by the lookup` }];
  } catch (error) {
    const auth = error instanceof AuthError;
    return [
      {
        check,
        status: 'fail',
        detail: `${destination.name}: ${error instanceof Error ? error.message : String(error)}`,
        next: auth
          ? `check the "destination" keys of '${venue.secretName}' with the platform's operator`
          : `check destination.url and destination.lookup of venue '${venue.id}'`,
      },
    ];
  }
}
