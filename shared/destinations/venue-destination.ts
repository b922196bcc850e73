/**
 * The poller's (and the ops commands') HTTP destination for a venue, from its environment and the
 * `destination` object of its own secret; undefined for a Tripleseat venue.
 */
import type { DestinationConfig } from '../config/destination';
import type { FieldMap } from '../config/app-config';
import type { ApiCaller } from '../rate-limit/types';
import { HttpDestination } from './http-destination';

export interface VenueDestinationSource {
  VENUE_ID: string;
  FIELD_MAP: FieldMap;
  DESTINATION?: DestinationConfig | undefined;
  DESTINATION_BASE_URL?: string | undefined;
}

export function httpDestinationFor(
  env: VenueDestinationSource,
  credentials: { destination?: Record<string, string> | undefined },
  caller: ApiCaller,
): HttpDestination | undefined {
  const config = env.DESTINATION;
  if (config?.type !== 'http') return undefined;
  return new HttpDestination({
    venueId: env.VENUE_ID,
    config,
    secrets: credentials.destination ?? {},
    labels: additionalInformationLabels(env.FIELD_MAP),
    caller,
    ...(env.DESTINATION_BASE_URL ? { baseUrl: env.DESTINATION_BASE_URL } : {}),
  });
}

/** Labels listed under additional_information: template fields by label. */
export function additionalInformationLabels(fieldMap: FieldMap): string[] {
  const info = fieldMap['additional_information'];
  return info === undefined ? [] : Array.isArray(info) ? info : [info];
}
