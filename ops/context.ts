/**
 * The connection side of every `venue-sync` command: the same variables the handlers take
 * (docs/design.md section 3: HUBSPOT_TOKEN, HUBSPOT_BASE_URL, TRIPLESEAT_*, WEBEX_*, TABLE_NAME,
 * AWS_ENDPOINT_URL_DYNAMODB, SECRET_ARN), given as flags or environment, turned into the existing
 * adapters. Nothing here talks to an API until a command asks for a client.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { AppConfig, VenueConfig } from '../shared/config/app-config';
import { HubSpotContacts } from '../shared/hubspot/contacts';
import { createHubSpotApis, HUBSPOT_DEFAULT_BASE_URL, type HubSpotApis } from '../shared/hubspot/sdk';
import { createApiCaller, type VenueSyncApiCaller } from '../shared/rate-limit';
import type { ReconciliationStore } from '../shared/reconciliation';
import { OpsRecords } from '../shared/reconciliation/ops-records';
import {
  CredentialsError,
  loadCredentials,
  SecretPayloadSchema,
  type Credentials,
} from '../shared/runtime/credentials';
import { CredentialSourceSchema } from '../shared/runtime/env';
import { createRuntime } from '../shared/runtime/resources';
import { silentLog, type DecisionLog } from '../shared/sync/decision-log';
import { HubSpotAdmin } from './hubspot-admin';
import { OAuthTokenStore } from '../shared/reconciliation/oauth-tokens';
import { TRIPLESEAT_DEFAULT_BASE_URL, TripleseatClient } from '../shared/tripleseat/client';
import type { AccessTokenSource } from '../shared/tripleseat/oauth';
import { tripleseatAccessTokens } from '../shared/tripleseat/venue-access';
import { WebexClient } from '../shared/webex/client';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The CLI's environment: the handlers' variables, every one optional until a command needs it. */
export const OpsEnvSchema = CredentialSourceSchema.extend({
  /** The venue the environment's credentials belong to (the sandbox's .sandbox/<venue>.env sets it). */
  VENUE_ID: optionalText,
  TABLE_NAME: optionalText,
  HUBSPOT_BASE_URL: z.url().default(HUBSPOT_DEFAULT_BASE_URL),
  TRIPLESEAT_BASE_URI: z.url().default(TRIPLESEAT_DEFAULT_BASE_URL),
  /** Where an HTTP-destination venue's platform lives when not its configured URL (the sandbox). */
  DESTINATION_BASE_URL: z.url().optional(),
  /** Unset: the endpoint follows the token (sk_live_ -> live host, others -> sandbox host). */
  WEBEX_API_URL: optionalText.pipe(z.url().optional()),
  AWS_ENDPOINT_URL_DYNAMODB: optionalText,
  AWS_REGION: optionalText,
  HUBSPOT_TEN_SECOND_LIMIT: z.coerce.number().int().positive().default(100),
  HUBSPOT_DAILY_LIMIT: z.coerce.number().int().positive().default(250_000),
  HUBSPOT_PORTAL_KEY: z.string().min(1).default('default'),
  VENUE_SYNC_TIME_SCALE: z.coerce.number().positive().default(1),
});
export type OpsEnv = z.infer<typeof OpsEnvSchema>;

/** A problem the operator can fix; the CLI prints the message and exits 1. */
export class OpsError extends Error {
  override readonly name = 'OpsError';
}

export interface CredentialsFound {
  credentials: Credentials;
  /** Where they came from, for doctor and error messages (never the values). */
  source: 'environment' | 'secret';
  secretId?: string;
  /** The venue these credentials belong to, and how that is known; undefined when nothing says. */
  owner?: CredentialOwner;
}

export interface CredentialOwner {
  venueId: string;
  /** For messages: "VENUE_ID", "secret venue-sync/venue-a", ... */
  how: string;
}

/**
 * What a command does with a venue's credentials. `write` creates, deletes or changes vendor data
 * (run, replay, setup, dedupe --apply); `read` only looks (doctor, run --dry-run, dedupe).
 */
export type CredentialUse = 'read' | 'write';

/** Credentials that belong to another venue than the command names, or to no venue known. */
export class CredentialBindingError extends OpsError {}

export interface OpsContextOptions {
  /** Secrets Manager client factory (tests inject a mock). */
  secrets?: () => SecretsManagerClient;
  /**
   * Deployed mode: read each venue's credentials from the secret its config names (`secretName`),
   * as the deployed poller does, instead of from the environment.
   */
  useConfigSecrets?: boolean;
  log?: DecisionLog;
  now?: () => number;
}

export class OpsContext {
  readonly env: OpsEnv;
  private runtime:
    { caller: VenueSyncApiCaller; store?: ReconciliationStore; dynamo?: DynamoDBClient } | undefined;

  constructor(
    readonly config: AppConfig,
    env: Record<string, string | undefined>,
    private readonly options: OpsContextOptions = {},
  ) {
    const parsed = OpsEnvSchema.safeParse(env);
    if (!parsed.success) {
      throw new OpsError(
        `connection settings are invalid:\n${parsed.error.issues
          .map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`)
          .join('\n')}`,
      );
    }
    this.env = parsed.data;
  }

  get now(): () => number {
    return this.options.now ?? Date.now;
  }

  venue(venueId: string): VenueConfig {
    const venue = this.config.venues.find((candidate) => candidate.id === venueId);
    if (!venue) {
      throw new OpsError(
        `unknown venue '${venueId}'; the config has: ${this.config.venues.map((v) => v.id).join(', ')}`,
      );
    }
    return venue;
  }

  /** True when a table is configured (TABLE_NAME / --table-name). */
  get hasTable(): boolean {
    return this.env.TABLE_NAME !== undefined;
  }

  get caller(): VenueSyncApiCaller {
    return this.ensureRuntime().caller;
  }

  get store(): ReconciliationStore {
    const store = this.ensureRuntime().store;
    if (!store) {
      throw new OpsError(
        'this command reads the reconciliation table: set TABLE_NAME (or --table-name; the stack output ' +
          "'TableName'), and AWS_ENDPOINT_URL_DYNAMODB for a local table",
      );
    }
    return store;
  }

  /**
   * The credentials for a venue (or the Webex sync when `venue` is undefined): SECRET_ARN first, then the
   * venue's configured secret in deployed mode, then the environment. For a venue they must belong to
   * that venue: credentials of another venue are refused here, before any vendor is called, and
   * credentials that name no venue are refused for `write` use (the default, so a caller that forgets
   * to say is safe). `read` use of unnamed credentials is allowed; `owner` is then undefined.
   */
  async credentials(venue?: VenueConfig, use: CredentialUse = 'write'): Promise<CredentialsFound> {
    const found = await this.resolveCredentials(venue);
    if (venue) {
      const problem = credentialBindingProblem(venue.id, found, use, this.config);
      if (problem) throw new CredentialBindingError(problem);
    }
    return found;
  }

  /** The credentials and whose they are, without judging (doctor reports instead of refusing). */
  async resolveCredentials(venue?: VenueConfig): Promise<CredentialsFound> {
    if (this.env.SECRET_ARN) {
      const secretId = this.env.SECRET_ARN;
      const byName = this.config.venues.find((candidate) =>
        secretMatchesName(secretId, candidate.secretName),
      );
      const secret = await this.readSecret(secretId);
      const owner: CredentialOwner | undefined = byName
        ? { venueId: byName.id, how: `secret '${byName.secretName}'` }
        : secret.venueId
          ? { venueId: secret.venueId, how: `the venueId key of secret ${secretId}` }
          : undefined;
      return { credentials: secret.credentials, source: 'secret', secretId, ...(owner ? { owner } : {}) };
    }
    const configSecret = this.options.useConfigSecrets
      ? (venue?.secretName ?? this.config.webex?.secretName)
      : undefined;
    if (configSecret) {
      const credentials = await loadCredentials(
        { ...this.env, SECRET_ARN: configSecret },
        this.options.secrets ?? (() => new SecretsManagerClient(this.awsClientConfig())),
      );
      // The venue's own secret, by the config's own name for it: bound by construction.
      const owner = venue ? { venueId: venue.id, how: `its configured secret '${configSecret}'` } : undefined;
      return { credentials, source: 'secret', secretId: configSecret, ...(owner ? { owner } : {}) };
    }
    return {
      credentials: await loadCredentials({ ...this.env, SECRET_ARN: undefined }),
      source: 'environment',
      ...(this.env.VENUE_ID ? { owner: { venueId: this.env.VENUE_ID, how: 'VENUE_ID' } } : {}),
    };
  }

  /** One secret read: the credentials plus the optional `venueId` key that says whose they are. */
  private async readSecret(secretId: string): Promise<{ credentials: Credentials; venueId?: string }> {
    const client = this.options.secrets?.() ?? new SecretsManagerClient(this.awsClientConfig());
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    let json: unknown;
    try {
      json = JSON.parse(answer.SecretString ?? '');
    } catch {
      throw new CredentialsError(`secret ${secretId} is not JSON; fill it as described in docs/runbook.md`);
    }
    const parsed = SecretPayloadSchema.extend({ venueId: z.string().min(1).optional() }).safeParse(json);
    if (!parsed.success) {
      // Name the keys, never the values.
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new CredentialsError(`secret ${secretId} has invalid keys: ${fields}`);
    }
    const { venueId, ...credentials } = parsed.data;
    return { credentials, ...(venueId ? { venueId } : {}) };
  }

  hubspotApis(token: string): HubSpotApis {
    return createHubSpotApis({ accessToken: token, baseUrl: this.env.HUBSPOT_BASE_URL });
  }

  hubspotContacts(token: string): HubSpotContacts {
    return new HubSpotContacts(this.hubspotApis(token), this.caller);
  }

  /** The engines' contacts port plus the admin calls (groups, property create, token info, reads). */
  hubspotAdmin(token: string): HubSpotAdmin {
    return new HubSpotAdmin(this.hubspotApis(token), this.caller, {
      token,
      baseUrl: this.env.HUBSPOT_BASE_URL,
    });
  }

  /** The HubSpot token, or an error naming where to put it. */
  static hubspotToken(found: CredentialsFound): string {
    const token = found.credentials.hubspotToken;
    if (!token) {
      throw new OpsError(
        found.source === 'secret'
          ? `secret ${found.secretId ?? ''} has no hubspotToken; fill it (docs/runbook.md)`
          : 'no HubSpot token: set HUBSPOT_TOKEN (or --hubspot-token, or --secret-arn)',
      );
    }
    return token;
  }

  /**
   * The venue's Tripleseat client, with REST access built as the poller builds it: a refreshing OAuth 2.0
   * source when the secret holds the OAuth client (id + secret; the rotating pair lives in the table), a
   * static token otherwise. Undefined when the credentials hold no Tripleseat access at all.
   */
  tripleseat(venue: VenueConfig, credentials: Credentials): TripleseatClient | undefined {
    const tokens = this.tripleseatTokens(venue, credentials);
    if (!credentials.tripleseatPublicKey && !tokens) return undefined;
    return new TripleseatClient(
      {
        publicKey: credentials.tripleseatPublicKey ?? '',
        leadFormId: venue.tripleseatLeadFormId,
        baseUrl: this.env.TRIPLESEAT_BASE_URI,
        ...(tokens ? { tokens } : {}),
      },
      this.caller,
    );
  }

  /**
   * Where the venue's REST calls get their bearer token. An OAuth client needs the table (the current pair
   * is kept there, shared with the deployed poller); without one a static token is used if given.
   */
  tripleseatTokens(venue: VenueConfig, credentials: Credentials): AccessTokenSource | undefined {
    const hasClient = Boolean(credentials.tripleseatClientId && credentials.tripleseatClientSecret);
    if (hasClient && !this.hasTable) {
      if (credentials.tripleseatOauthToken) {
        return tripleseatAccessTokens({
          ...this.tokenSourceBase(venue),
          credentials: { tripleseatOauthToken: credentials.tripleseatOauthToken },
        });
      }
      throw new OpsError(
        `venue ${venue.id}: its Tripleseat OAuth client keeps the rotating token pair in the reconciliation ` +
          "table: set TABLE_NAME (or --table-name; the stack output 'TableName')",
      );
    }
    return tripleseatAccessTokens({ ...this.tokenSourceBase(venue), credentials });
  }

  private tokenSourceBase(venue: VenueConfig) {
    return {
      venueId: venue.id,
      baseUrl: this.env.TRIPLESEAT_BASE_URI,
      caller: this.caller,
      tokenStore: {
        // Built lazily: a static token never touches the table.
        read: (...args: Parameters<OAuthTokenStore['read']>) => this.oauthTokenStore.read(...args),
        save: (...args: Parameters<OAuthTokenStore['save']>) => this.oauthTokenStore.save(...args),
      },
      now: this.now,
    };
  }

  /** The venues' OAuth token pairs in the reconciliation table. */
  get oauthTokenStore(): OAuthTokenStore {
    const { client, tableName } = this.dynamo;
    return new OAuthTokenStore({ client, tableName, now: this.now });
  }

  webex(token: string): WebexClient {
    return new WebexClient({ token, apiUrl: this.env.WEBEX_API_URL }, this.caller);
  }

  /** Stops the limiters and flushes the shared HubSpot budget counter. */
  async close(): Promise<void> {
    await this.runtime?.caller.close();
  }

  private awsClientConfig() {
    return this.env.AWS_REGION ? { region: this.env.AWS_REGION } : {};
  }

  /** The ops CLI's own records in the table (what dedupe deleted, and why). */
  get opsRecords(): OpsRecords {
    const { client, tableName } = this.dynamo;
    return new OpsRecords(client, tableName);
  }

  /** The table's raw client (status reads lease/checkpoint timestamps the store does not expose). */
  get dynamo(): { client: DynamoDBClient; tableName: string } {
    const { dynamo } = this.ensureRuntime();
    void this.store; // the same error as the store when no table is configured
    if (!dynamo || !this.env.TABLE_NAME) throw new OpsError('no table configured');
    return { client: dynamo, tableName: this.env.TABLE_NAME };
  }

  private ensureRuntime(): {
    caller: VenueSyncApiCaller;
    store?: ReconciliationStore;
    dynamo?: DynamoDBClient;
  } {
    if (this.runtime) return this.runtime;
    const log = this.options.log ?? silentLog;
    if (this.env.TABLE_NAME) {
      // With a table, CLI calls count against the portal's shared HubSpot budget like the handlers'.
      const runtime = createRuntime({ ...this.env, TABLE_NAME: this.env.TABLE_NAME }, log, {
        now: this.options.now,
      });
      this.runtime = { caller: runtime.caller, store: runtime.store, dynamo: runtime.dynamo };
    } else {
      this.runtime = {
        caller: createApiCaller({
          hubspotTenSecondLimit: this.env.HUBSPOT_TEN_SECOND_LIMIT,
          timeScale: this.env.VENUE_SYNC_TIME_SCALE,
        }),
      };
    }
    return this.runtime;
  }
}

/**
 * Why credentials may not be used for `venueId`, or undefined when they may. Pure, so every rule is
 * tested without a vendor: another venue's credentials never; credentials that name no venue only to read.
 */
export function credentialBindingProblem(
  venueId: string,
  found: CredentialsFound,
  use: CredentialUse,
  config: AppConfig,
): string | undefined {
  const wanted = config.venues.find((venue) => venue.id === venueId);
  const fix =
    found.source === 'environment'
      ? `source .sandbox/${venueId}.env (or set VENUE_ID=${venueId} with that venue's credentials), ` +
        `or use --secret-arn <the secret of '${venueId}'>${wanted ? ` (${wanted.secretName})` : ''} or --config-secrets`
      : `use --secret-arn <the secret of '${venueId}'>${wanted ? ` (${wanted.secretName})` : ''} or --config-secrets`;
  if (found.owner) {
    if (found.owner.venueId === venueId) return undefined;
    return `these credentials belong to venue '${found.owner.venueId}' (${found.owner.how}), not '${venueId}'; ${fix}`;
  }
  if (use === 'read') return undefined;
  const unnamed =
    found.source === 'environment'
      ? 'the credentials in the environment name no venue (VENUE_ID is unset)'
      : `secret ${found.secretId ?? ''} names no venue (its name is no venue's secretName and it has no venueId key)`;
  return `${unnamed}, so nothing shows they are venue '${venueId}''s, and this command changes vendor data; ${fix}`;
}

/** A secret id (name or ARN; an ARN ends in the name plus "-" and 6 random characters) is `name`. */
export function secretMatchesName(secretId: string, name: string): boolean {
  if (secretId === name) return true;
  const marker = ':secret:';
  const at = secretId.indexOf(marker);
  if (!secretId.startsWith('arn:') || at < 0) return false;
  const arnName = secretId.slice(at + marker.length);
  return arnName === name || (arnName.startsWith(`${name}-`) && arnName.length === name.length + 7);
}
