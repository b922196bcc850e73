/**
 * The connection side of every `venue-sync` command: the same variables the handlers take
 * (DESIGN.md section 3: HUBSPOT_TOKEN, HUBSPOT_BASE_URL, TRIPLESEAT_*, WEBEX_*, TABLE_NAME,
 * AWS_ENDPOINT_URL_DYNAMODB, SECRET_ARN), given as flags or environment, turned into the existing
 * adapters. Nothing here talks to an API until a command asks for a client.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { AppConfig, VenueConfig } from '../shared/config/app-config';
import { HubSpotContacts } from '../shared/hubspot/contacts';
import { createHubSpotApis, HUBSPOT_DEFAULT_BASE_URL, type HubSpotApis } from '../shared/hubspot/sdk';
import { createApiCaller, type VenueSyncApiCaller } from '../shared/rate-limit';
import type { ReconciliationStore } from '../shared/reconciliation';
import { loadCredentials, type Credentials } from '../shared/runtime/credentials';
import { CredentialSourceSchema } from '../shared/runtime/env';
import { createRuntime } from '../shared/runtime/resources';
import { silentLog, type DecisionLog } from '../shared/sync/decision-log';
import { HubSpotAdmin } from './hubspot-admin';
import { TRIPLESEAT_DEFAULT_BASE_URL, TripleseatClient } from '../shared/tripleseat/client';
import { WEBEX_DEFAULT_API_URL, WebexClient } from '../shared/webex/client';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The CLI's environment: the handlers' variables, every one optional until a command needs it. */
export const OpsEnvSchema = CredentialSourceSchema.extend({
  TABLE_NAME: optionalText,
  HUBSPOT_BASE_URL: z.url().default(HUBSPOT_DEFAULT_BASE_URL),
  TRIPLESEAT_BASE_URI: z.url().default(TRIPLESEAT_DEFAULT_BASE_URL),
  WEBEX_API_URL: z.url().default(WEBEX_DEFAULT_API_URL),
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
}

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
   * venue's configured secret in deployed mode, then the environment.
   */
  async credentials(venue?: VenueConfig): Promise<CredentialsFound> {
    const secretId =
      this.env.SECRET_ARN ??
      (this.options.useConfigSecrets ? (venue?.secretName ?? this.config.webex?.secretName) : undefined);
    if (secretId) {
      const credentials = await loadCredentials(
        { ...this.env, SECRET_ARN: secretId },
        this.options.secrets ?? (() => new SecretsManagerClient(this.awsClientConfig())),
      );
      return { credentials, source: 'secret', secretId };
    }
    return {
      credentials: await loadCredentials({ ...this.env, SECRET_ARN: undefined }),
      source: 'environment',
    };
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

  tripleseat(venue: VenueConfig, credentials: Credentials): TripleseatClient | undefined {
    if (!credentials.tripleseatPublicKey && !credentials.tripleseatOauthToken) return undefined;
    return new TripleseatClient(
      {
        publicKey: credentials.tripleseatPublicKey ?? '',
        oauthToken: credentials.tripleseatOauthToken,
        leadFormId: venue.tripleseatLeadFormId,
        baseUrl: this.env.TRIPLESEAT_BASE_URI,
      },
      this.caller,
    );
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
