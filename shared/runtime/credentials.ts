/**
 * Credentials come from one Secrets Manager secret per function (by ARN, read at cold start) or, in
 * the sandbox and tests, from the environment. They are held in memory only and never logged.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { CredentialSourceSchema } from './env';

export const SecretPayloadSchema = z.object({
  hubspotToken: z.string().min(1).optional(),
  tripleseatPublicKey: z.string().min(1).optional(),
  /** A static OAuth 2.0 access token (no refresh; expires after 2 h at Tripleseat). */
  tripleseatOauthToken: z.string().min(1).optional(),
  /** The venue's Tripleseat OAuth 2.0 application; with these, tokens are refreshed and kept in the table. */
  tripleseatClientId: z.string().min(1).optional(),
  tripleseatClientSecret: z.string().min(1).optional(),
  /** Bootstrap only: used while the table holds no token pair for the venue yet. */
  tripleseatRefreshToken: z.string().min(1).optional(),
  webexToken: z.string().min(1).optional(),
  hubspotAppSecret: z.string().min(1).optional(),
});
export type Credentials = z.infer<typeof SecretPayloadSchema>;

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

export async function loadCredentials(
  source: z.infer<typeof CredentialSourceSchema>,
  secrets: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): Promise<Credentials> {
  if (!source.SECRET_ARN) {
    return {
      hubspotToken: source.HUBSPOT_TOKEN,
      tripleseatPublicKey: source.TRIPLESEAT_PUBLIC_KEY,
      tripleseatOauthToken: source.TRIPLESEAT_OAUTH_TOKEN,
      tripleseatClientId: source.TRIPLESEAT_CLIENT_ID,
      tripleseatClientSecret: source.TRIPLESEAT_CLIENT_SECRET,
      tripleseatRefreshToken: source.TRIPLESEAT_REFRESH_TOKEN,
      webexToken: source.WEBEX_TOKEN,
      hubspotAppSecret: source.HUBSPOT_APP_SECRET,
    };
  }
  const answer = await secrets().send(new GetSecretValueCommand({ SecretId: source.SECRET_ARN }));
  let json: unknown;
  try {
    json = JSON.parse(answer.SecretString ?? '');
  } catch {
    throw new CredentialsError(
      `secret ${source.SECRET_ARN} is not JSON; fill it as described in docs/runbook.md`,
    );
  }
  const parsed = SecretPayloadSchema.safeParse(json);
  if (!parsed.success) {
    // Name the keys, never the values.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CredentialsError(`secret ${source.SECRET_ARN} has invalid keys: ${fields}`);
  }
  return parsed.data;
}

/** Picks a credential the function cannot run without, naming where it should have come from. */
export function requireCredential(credentials: Credentials, key: keyof Credentials, envName: string): string {
  const value = credentials[key];
  if (!value)
    throw new CredentialsError(`missing ${key}: set it in the function's secret (or ${envName} locally)`);
  return value;
}
