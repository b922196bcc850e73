/**
 * Credentials come from one Secrets Manager secret per function (by ARN) or, in the sandbox and tests,
 * from the environment. They are held in memory only and never logged.
 *
 * The handlers read the secret through Powertools Parameters with a maximum age (credentialsSource): a
 * rotated secret is picked up within SECRET_MAX_AGE_SECONDS, without a redeploy, and a warm container
 * costs one GetSecretValue per maximum age, not per invocation. The ops CLI reads once per command
 * (loadCredentials).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TransformParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
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
  /** The venue's Tripleseat webhook signing secret (X-Signature), for its lead-outcome receiver. */
  tripleseatWebhookSecret: z.string().min(1).optional(),
  /** A non-Tripleseat destination's credentials, by the key names its auth config gives. */
  destination: z.record(z.string(), z.string()).optional(),
});
export type Credentials = z.infer<typeof SecretPayloadSchema>;

type CredentialSource = z.infer<typeof CredentialSourceSchema>;

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
}

/** How long a warm container trusts the secret it read; a rotation is picked up within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

/** The environment's credentials (sandbox, tests, the ops CLI without a secret). */
function credentialsFromEnv(source: CredentialSource): Credentials {
  return {
    hubspotToken: source.HUBSPOT_TOKEN,
    tripleseatPublicKey: source.TRIPLESEAT_PUBLIC_KEY,
    tripleseatOauthToken: source.TRIPLESEAT_OAUTH_TOKEN,
    tripleseatClientId: source.TRIPLESEAT_CLIENT_ID,
    tripleseatClientSecret: source.TRIPLESEAT_CLIENT_SECRET,
    tripleseatRefreshToken: source.TRIPLESEAT_REFRESH_TOKEN,
    webexToken: source.WEBEX_TOKEN,
    hubspotAppSecret: source.HUBSPOT_APP_SECRET,
    tripleseatWebhookSecret: source.TRIPLESEAT_WEBHOOK_SECRET,
    destination: source.DESTINATION_SECRETS,
  };
}

/** Validates a secret's parsed JSON; errors name the keys, never the values. */
function parseSecretPayload(secretArn: string, json: unknown): Credentials {
  const parsed = SecretPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(the whole value)').join(', ');
    throw new CredentialsError(
      `secret ${secretArn} has invalid keys: ${fields}; fill it as described in docs/runbook.md`,
    );
  }
  return parsed.data;
}

const notJson = (secretArn: string) =>
  new CredentialsError(`secret ${secretArn} is not JSON; fill it as described in docs/runbook.md`);

/** One read, no cache: for the ops CLI, whose process lives one command. */
export async function loadCredentials(
  source: CredentialSource,
  secrets: () => SecretsManagerClient = () => new SecretsManagerClient({}),
): Promise<Credentials> {
  if (!source.SECRET_ARN) return credentialsFromEnv(source);
  // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
  const answer = await secrets().send(new GetSecretValueCommand({ SecretId: source.SECRET_ARN }));
  let json: unknown;
  try {
    json = JSON.parse(answer.SecretString ?? '');
  } catch {
    throw notJson(source.SECRET_ARN);
  }
  return parseSecretPayload(source.SECRET_ARN, json);
}

export interface CredentialsSourceOptions {
  /** The Parameters provider to read through (tests pass one over a mocked client); default its own. */
  provider?: SecretsProvider;
  /** Default SECRET_MAX_AGE_SECONDS. */
  maxAgeSeconds?: number;
}

/**
 * The handlers' credentials: call it on every invocation. From the environment it is always the same
 * object. From a secret it is read through Powertools Parameters (JSON transform, cached for
 * `maxAgeSeconds`), so a rotated secret reaches a warm container within that age. While the secret is
 * unchanged the same Credentials object comes back, so clients built from it can be kept (see
 * cachedByCredentials). A failed read is not cached: the next invocation tries again.
 */
export function credentialsSource(
  source: CredentialSource,
  options: CredentialsSourceOptions = {},
): () => Promise<Credentials> {
  const secretArn = source.SECRET_ARN;
  if (!secretArn) {
    const fromEnv = credentialsFromEnv(source);
    return () => Promise.resolve(fromEnv);
  }
  const maxAge = options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS;
  const provider = options.provider ?? new SecretsProvider();
  let last: { raw: unknown; credentials: Credentials } | undefined;
  return async () => {
    let raw: unknown;
    try {
      // https://docs.aws.amazon.com/powertools/typescript/latest/features/parameters/ (getSecret, maxAge)
      // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
      raw = await provider.get(secretArn, { transform: 'json', maxAge });
    } catch (error) {
      // The JSON transform's message quotes the start of the value: never pass it on.
      if (error instanceof TransformParameterError) throw notJson(secretArn);
      throw error;
    }
    // The provider hands back its cached value (same object) until maxAge: parse each value once.
    if (last && last.raw === raw) return last.credentials;
    const credentials = parseSecretPayload(secretArn, raw);
    last = { raw, credentials };
    return credentials;
  };
}

/** Picks a credential the function cannot run without, naming where it should have come from. */
export function requireCredential(
  credentials: Credentials,
  key: Exclude<keyof Credentials, 'destination'>,
  envName: string,
): string {
  const value = credentials[key];
  if (!value)
    throw new CredentialsError(`missing ${key}: set it in the function's secret (or ${envName} locally)`);
  return value;
}
