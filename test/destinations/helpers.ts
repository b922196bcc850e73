/** A marina platform simulator on loopback and an HttpDestination configured as the demo's marina. */
import { afterAll, beforeAll } from 'vitest';
import { appConfig } from '../../bin/venues';
import { validateAppConfig } from '../../shared/config/app-config';
import type { HttpDestinationConfig } from '../../shared/config/destination';
import { HttpDestination } from '../../shared/destinations';
import { additionalInformationLabels } from '../../shared/destinations/venue-destination';
import type { ApiCaller } from '../../shared/rate-limit/types';
import type { TripleseatLead } from '../../shared/sync/lead-mapper';
import { MarinaPlatformSimulator } from '../../sandbox/marina-platform';
import { SimClock } from '../../sandbox/sim-kit';

export const MARINA_KEY = 'mp-key-test';

/** The demo marina's destination, as bin/venues.ts declares it. */
export function marinaDestinationConfig(): HttpDestinationConfig {
  const marina = validateAppConfig(appConfig).venues.find((venue) => venue.id === 'marina');
  if (marina?.destination?.type !== 'http') throw new Error('the demo marina has no http destination');
  return marina.destination;
}

export function marinaLabels(): string[] {
  const marina = validateAppConfig(appConfig).venues.find((venue) => venue.id === 'marina');
  return marina ? additionalInformationLabels(marina.fieldMap) : [];
}

/** Every call once, no pacing, no retry: each answer reaches the classification as it came. */
export const passThroughCaller: ApiCaller = {
  call: (_api, fn) => fn(),
  stats: () => ({
    calls: { hubspot: 0, 'hubspot-search': 0, tripleseat: 0, webex: 0 },
    rateLimited: { hubspot: 0, 'hubspot-search': 0, tripleseat: 0, webex: 0 },
    retries: { hubspot: 0, 'hubspot-search': 0, tripleseat: 0, webex: 0 },
  }),
};

export function usePlatform(): () => MarinaPlatformSimulator {
  let platform: MarinaPlatformSimulator | undefined;
  beforeAll(async () => {
    platform = new MarinaPlatformSimulator({ clock: SimClock.manual(), apiKey: MARINA_KEY });
    await platform.start();
  });
  afterAll(async () => {
    await platform?.close();
  });
  return () => {
    if (!platform) throw new Error('platform not started');
    return platform;
  };
}

export function marinaDestination(
  platform: MarinaPlatformSimulator,
  overrides: Partial<HttpDestinationConfig> = {},
  key = MARINA_KEY,
): HttpDestination {
  return new HttpDestination({
    venueId: 'marina',
    config: { ...marinaDestinationConfig(), ...overrides },
    secrets: { marinaApiKey: key },
    labels: marinaLabels(),
    caller: passThroughCaller,
    baseUrl: platform.url,
  });
}

let seq = 0;
export function lead(overrides: Partial<TripleseatLead> = {}): TripleseatLead {
  seq += 1;
  return {
    first_name: 'Grace',
    last_name: `Hopper${seq}`,
    email_address: `grace${seq}.${Date.now().toString(36)}@example.com`,
    phone_number: '+16175550100',
    event_date: '06/12/2027',
    guest_count: 12,
    additional_information: 'Looking for a slip for the summer\n\nBoat Brand: Boston Whaler',
    ...overrides,
  };
}
