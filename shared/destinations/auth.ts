/**
 * The auth header of a destination, from the `destination` object of the venue's own secret. Built once
 * per container; the values never reach a log, an error or a snapshot (errors name the key only).
 */
import type { DestinationAuth } from '../config/destination';

export { authSecretFields } from '../config/destination';

export class DestinationCredentialsError extends Error {
  override readonly name = 'DestinationCredentialsError';
}

export function authHeaders(
  auth: DestinationAuth,
  secrets: Readonly<Record<string, string>>,
  venueId: string,
): Record<string, string> {
  const read = (field: string): string => {
    const value = secrets[field];
    if (value === undefined || value.trim() === '') {
      throw new DestinationCredentialsError(
        `venue '${venueId}': the secret has no "destination.${field}"; add it to the venue's secret ` +
          `(locally: DESTINATION_SECRETS='{"${field}":"..."}')`,
      );
    }
    return value;
  };
  switch (auth.type) {
    case 'bearer':
      return { authorization: `Bearer ${read(auth.tokenField)}` };
    case 'api-key':
      return { [auth.header.toLowerCase()]: read(auth.keyField) };
    case 'basic': {
      const pair = `${read(auth.usernameField)}:${read(auth.passwordField)}`;
      return { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
    }
  }
}
