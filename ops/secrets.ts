/**
 * `venue-sync secrets set <venue>`: fills the venue's Secrets Manager secret (the one the stack created
 * with empty keys) from values typed on the terminal without echo. Keys left blank keep their current
 * value; the secret also gets `venueId`, which binds it to the venue for the CLI's checks. Nothing here
 * prints, logs or returns a value: results name keys only.
 */
// Secrets Manager GetSecretValue / PutSecretValue:
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { SecretPayloadSchema } from '../shared/runtime/credentials';
import { OpsError } from './context';

/** A venue secret's keys: the required ones first (see shared/runtime/credentials.ts). */
export const VENUE_SECRET_FIELDS: ReadonlyArray<{ key: SecretKey; required: boolean; what: string }> = [
  { key: 'hubspotToken', required: true, what: 'HubSpot private app token' },
  { key: 'tripleseatPublicKey', required: true, what: "the venue's Tripleseat lead form public key" },
  { key: 'tripleseatOauthToken', required: false, what: 'Tripleseat OAuth 2.0 access token' },
  { key: 'tripleseatClientId', required: false, what: 'Tripleseat OAuth client id (token refresh)' },
  { key: 'tripleseatClientSecret', required: false, what: 'Tripleseat OAuth client secret (token refresh)' },
  { key: 'tripleseatRefreshToken', required: false, what: 'Tripleseat OAuth refresh token' },
  {
    key: 'tripleseatWebhookSecret',
    required: false,
    what: 'Tripleseat webhook signing secret (lead outcomes)',
  },
];

export type SecretKey = keyof z.infer<typeof SecretPayloadSchema>;
export type KeyChange = 'set' | 'kept' | 'absent';

export interface SecretUpdate {
  venueId: string;
  secretId: string;
  keys: Record<string, KeyChange>;
  versionId?: string;
}

/** The secret's current JSON: an object of strings (the skeleton's empty values included). */
const StoredSecretSchema = z.record(z.string(), z.unknown());

/**
 * The new secret payload from the current one and what was typed (blank = keep). Pure. Empty skeleton
 * values and the generator's `_placeholder` are dropped: the handler rejects an empty string.
 */
export function mergeSecret(
  venueId: string,
  current: Record<string, unknown>,
  entered: Partial<Record<SecretKey, string>>,
): { payload: Record<string, string>; keys: Record<string, KeyChange> } {
  const payload: Record<string, string> = {};
  for (const [key, value] of Object.entries(current)) {
    if (key !== '_placeholder' && typeof value === 'string' && value.trim() !== '') payload[key] = value;
  }
  const keys: Record<string, KeyChange> = {};
  for (const { key, required } of VENUE_SECRET_FIELDS) {
    const typed = entered[key]?.trim();
    if (typed) {
      payload[key] = typed;
      keys[key] = 'set';
    } else keys[key] = payload[key] ? 'kept' : 'absent';
    if (required && !payload[key]) {
      throw new OpsError(`${key} is required and the secret has none: type it (nothing was written)`);
    }
  }
  payload.venueId = venueId;
  const parsed = SecretPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new OpsError(
      `the new secret would be invalid at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}; nothing was written`,
    );
  }
  return { payload, keys };
}

export async function readCurrentSecret(
  client: SecretsManagerClient,
  secretId: string,
): Promise<Record<string, unknown>> {
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new OpsError(
        `secret '${secretId}' was not found: deploy the stack first (it creates the secret), or check --region`,
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text ?? '{}');
  } catch {
    // Its value is never shown, even to say what is wrong with it.
    throw new OpsError(`secret '${secretId}' does not hold JSON; nothing was written`);
  }
  const parsed = StoredSecretSchema.safeParse(json);
  if (!parsed.success) throw new OpsError(`secret '${secretId}' is not a JSON object; nothing was written`);
  return parsed.data;
}

export async function writeSecret(
  client: SecretsManagerClient,
  secretId: string,
  payload: Record<string, string>,
): Promise<string | undefined> {
  const answer = await client.send(
    new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(payload) }),
  );
  return answer.VersionId;
}

export function renderSecretUpdate(update: SecretUpdate): string {
  const lines = [`Secret ${update.secretId} of venue '${update.venueId}' written:`];
  for (const [key, change] of Object.entries(update.keys)) lines.push(`  ${key}: ${change}`);
  lines.push(
    'Running pollers pick the new values up as docs/runbook.md "Fill and rotate a secret" describes.',
    `Next: venue-sync --config-secrets doctor ${update.venueId}`,
  );
  return lines.join('\n');
}
