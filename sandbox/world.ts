/**
 * One local world: dynalite with the reconciliation table, and the HubSpot, Tripleseat and Webex
 * simulators on loopback, seeded with the venues of a config. The sandbox (`npm start`), the
 * integration tests and the bench all build on it, so they exercise the same wiring as AWS.
 */
import { randomUUID } from 'node:crypto';
import { createHandler as createTripleseatReceiver } from '../lambdas/tripleseat-webhook/handler';
import { validateAppConfig, type AppConfig, type VenueConfig } from '../shared/config/app-config';
import type { Observability } from '../shared/runtime/observability';
import { snakeCaseLabel } from '../shared/schema';
import { VENUE_SYNC_GROUP, venuePropertySpecs } from '../shared/setup/venue-properties';
import { appConfig as demoConfig } from '../bin/venues';
import { DEFAULT_HUBSPOT_TOKEN, HubSpotSimulator, type HubSpotSimulatorOptions } from './hubspot';
import { startLocalDynamo, type LocalDynamo } from './local-dynamo';
import { MarinaPlatformSimulator } from './marina-platform';
import { serveFunctionUrl, type RunningFunctionUrl } from './function-url';
import { SimClock } from './sim-kit';
import { TripleseatSimulator, type TripleseatSimulatorOptions } from './tripleseat';
import { WebexSimulator, type WebexSimulatorOptions } from './webex';

export interface WorldOptions {
  /** API time runs this many times faster than wall time (simulators, limiters, leases). @default 1 */
  timeScale?: number;
  config?: AppConfig;
  hubspot?: Omit<HubSpotSimulatorOptions, 'clock'>;
  tripleseat?: Omit<TripleseatSimulatorOptions, 'clock' | 'accounts'>;
  webex?: Omit<WebexSimulatorOptions, 'clock'>;
  /** Venues whose Tripleseat account has no OAuth token (lead form only). @default ['marina'] */
  venuesWithoutOauth?: string[];
  /** Requests a minute the marina platform takes before answering 429. @default 600 */
  marinaPlatformPerMinute?: number;
  /**
   * The "odd vendor" mode: every unconfirmed vendor assumption played the other way (see ODD_MODE and
   * docs/vendor-assumptions.md). Explicit simulator options still win. @default false
   */
  odd?: boolean;
  /**
   * Serve each Tripleseat venue's real webhook receiver on a local Function URL and register it as the
   * venue's endpoint, so a lead's conversion or booking reaches the contact (startLeadOutcomeReceivers).
   * @default false
   */
  leadOutcomes?: boolean;
}

/** What `odd: true` changes, for the sandbox's banner and `npm start -- --odd`'s help. */
export const ODD_MODE = [
  'Webex Events: reduced schema (no totalCount, events edges-only, attendees without the assumed fields)',
  'HubSpot: propertiesWithHistory served oldest-first',
  'Tripleseat: created_at without a zone (the local wall time of the account)',
  'Tripleseat: OAuth 2.0 access tokens live 60 s; venues use an OAuth client (refresh) instead of static tokens',
] as const;

/** The simulator options the odd mode sets (before the caller's own options, which win). */
export function oddSimulatorOptions(): {
  hubspot: Pick<HubSpotSimulatorOptions, 'historyOrder'>;
  tripleseat: Pick<TripleseatSimulatorOptions, 'createdAtFormat' | 'accessTokenLifetimeSeconds'>;
  webex: Pick<WebexSimulatorOptions, 'schemaMode'>;
} {
  return {
    hubspot: { historyOrder: 'oldest-first' },
    tripleseat: { createdAtFormat: 'zoneless', accessTokenLifetimeSeconds: 60 },
    webex: { schemaMode: 'reduced' },
  };
}

/** Business properties the demo field maps read that HubSpot does not define by default. */
const DEMO_CONTACT_PROPERTIES = [
  { name: 'event_date', label: 'Event Date', type: 'date', fieldType: 'date' },
  { name: 'guest_count', label: 'Guest Count', type: 'number', fieldType: 'number' },
  { name: 'event_notes', label: 'Event Notes', type: 'string', fieldType: 'textarea' },
  { name: 'boat_brand', label: 'Boat Brand', type: 'string', fieldType: 'text' },
] as const;

/** The sandbox's secret `destination` object for a venue on an HTTP destination (the keys its auth names). */
export const destinationSecrets = (venueId: string) => ({
  marinaApiKey: `mp-key-${venueId}`,
});

/** The secret Tripleseat signs a venue's webhook deliveries with (its secret's `tripleseatWebhookSecret`). */
export const tripleseatWebhookSecret = (venueId: string) => `whsec-${venueId}`;

/** Drops every log line and metric (a receiver started without the caller's sink). */
const QUIET: Observability = {
  log: { info: () => {}, warn: () => {}, error: () => {} },
  metrics: { publish: () => {} },
};

export const tripleseatKeys = (venueId: string) => ({
  publicKey: `ts-pk-${venueId}`,
  oauthToken: `ts-oauth-${venueId}`,
  /** The venue's OAuth 2.0 application (odd mode). */
  clientId: `ts-client-${venueId}`,
  clientSecret: `ts-client-secret-${venueId}`,
});

export class World {
  /** The venues' local Tripleseat webhook receivers, by venue id (startLeadOutcomeReceivers). */
  readonly receivers = new Map<string, RunningFunctionUrl>();

  private constructor(
    readonly clock: SimClock,
    readonly config: AppConfig,
    readonly dynamo: LocalDynamo,
    readonly hubspot: HubSpotSimulator,
    readonly tripleseat: TripleseatSimulator,
    readonly webex: WebexSimulator,
    private readonly venuesWithoutOauth: ReadonlySet<string>,
    /** Odd mode: the refresh token each OAuth venue was granted at start (used until the table holds a pair). */
    private readonly bootstrapRefreshTokens: ReadonlyMap<string, string>,
    /** True when the world plays the odd vendor (WorldOptions.odd). */
    readonly odd: boolean,
    /** The platform the demo's marina runs on (its http destination). */
    readonly marinaPlatform: MarinaPlatformSimulator,
  ) {}

  static async start(options: WorldOptions = {}): Promise<World> {
    const timeScale = options.timeScale ?? 1;
    const clock = SimClock.scaled(timeScale);
    const config = options.config ?? validateAppConfig(demoConfig);
    const withoutOauth = new Set(options.venuesWithoutOauth ?? ['marina']);
    const odd = options.odd === true;
    const oddOptions = odd ? oddSimulatorOptions() : { hubspot: {}, tripleseat: {}, webex: {} };
    const dynamo = await startLocalDynamo(`venue-sync-${randomUUID().slice(0, 8)}`);
    const hubspot = new HubSpotSimulator({ ...oddOptions.hubspot, ...options.hubspot, clock });
    const tripleseat = new TripleseatSimulator({
      ...oddOptions.tripleseat,
      ...options.tripleseat,
      clock,
      accounts: config.venues.map((venue) => ({
        venueId: venue.id,
        publicKey: tripleseatKeys(venue.id).publicKey,
        ...(withoutOauth.has(venue.id) ? {} : tripleseatAccess(venue.id, odd)),
        ...(venue.tripleseatLocationId ? { locationIds: [venue.tripleseatLocationId] } : {}),
        ...(venue.tripleseatLeadFormId ? { leadFormIds: [venue.tripleseatLeadFormId] } : {}),
      })),
    });
    const webex = new WebexSimulator({ ...oddOptions.webex, ...options.webex, clock });
    const marinaPlatform = new MarinaPlatformSimulator({
      clock,
      apiKey: destinationSecrets('marina').marinaApiKey,
      ...(options.marinaPlatformPerMinute ? { perMinute: options.marinaPlatformPerMinute } : {}),
    });
    await Promise.all([hubspot.start(), tripleseat.start(), webex.start(), marinaPlatform.start()]);
    // As if a customer admin had authorized each OAuth venue earlier: the secret's bootstrap refresh token.
    const bootstrap = new Map<string, string>();
    if (odd) {
      for (const venue of config.venues) {
        if (!withoutOauth.has(venue.id))
          bootstrap.set(venue.id, tripleseat.grantOauth(venue.id).refreshToken);
      }
    }
    const world = new World(
      clock,
      config,
      dynamo,
      hubspot,
      tripleseat,
      webex,
      withoutOauth,
      bootstrap,
      odd,
      marinaPlatform,
    );
    world.seedVenueProperties();
    if (options.leadOutcomes) await world.startLeadOutcomeReceivers();
    return world;
  }

  /**
   * Serves each Tripleseat venue's real receiver (lambdas/tripleseat-webhook) on a local Function URL and
   * registers it as the venue's endpoint in the simulator, as an admin does in Settings > Webhooks after a
   * deploy. A venue on another platform gets none. Idempotent per venue.
   */
  async startLeadOutcomeReceivers(observability: Observability = QUIET): Promise<void> {
    for (const venue of this.config.venues) {
      if (venue.destination?.type === 'http' || this.receivers.has(venue.id)) continue;
      const handler = createTripleseatReceiver(this.leadOutcomeEnv(venue.id), {
        observability,
        now: () => this.clock.now(),
      });
      const receiver = await serveFunctionUrl(handler);
      this.receivers.set(venue.id, receiver);
      this.tripleseat.webhooks.register(venue.id, receiver.url, tripleseatWebhookSecret(venue.id));
    }
  }

  /** The receiver's (and the nightly reconcile's) environment for a venue, credentials given directly. */
  leadOutcomeEnv(venueId: string): Record<string, string> {
    const venue = this.venue(venueId);
    return {
      ...this.commonEnv(),
      VENUE_ID: venue.id,
      ...(venue.writeBack ? { WRITEBACK_MAP: JSON.stringify(venue.writeBack) } : {}),
      TRIPLESEAT_BASE_URI: this.tripleseat.url,
      TRIPLESEAT_WEBHOOK_SECRET: tripleseatWebhookSecret(venueId),
      ...this.tripleseatOauthEnv(venueId),
    };
  }

  venue(venueId: string): VenueConfig {
    const venue = this.config.venues.find((candidate) => candidate.id === venueId);
    if (!venue) throw new Error(`no venue '${venueId}' in this world's config`);
    return venue;
  }

  /** The leads at a venue's own destination: its Tripleseat account, or its platform for an http venue. */
  leadsAt(venueId: string): Array<{ id: string | number; email_address: string }> {
    if (this.venue(venueId).destination?.type !== 'http') return this.tripleseat.leads(venueId);
    return this.marinaPlatform
      .enquiries()
      .map((enquiry) => ({ id: enquiry.id, email_address: enquiry.email }));
  }

  /** The internal name of a venue's checkbox (as `venue-sync setup` creates it). */
  flagProperty(venueId: string): string {
    return snakeCaseLabel(this.venue(venueId).syncFlagLabel);
  }

  /** A marketer ticks the venue's checkbox on a contact (recorded in the property history). */
  tick(contactId: string, venueId: string): void {
    this.hubspot.setProperty(contactId, this.flagProperty(venueId), 'true');
  }

  /** The poller's environment exactly as docs/design.md section 3 defines it (credentials given directly). */
  pollerEnv(venueId: string): Record<string, string> {
    const venue = this.venue(venueId);
    const keys = tripleseatKeys(venueId);
    return {
      ...this.commonEnv(),
      VENUE_ID: venue.id,
      SYNC_FLAG_LABEL: venue.syncFlagLabel,
      OTHER_VENUE_FLAG_LABELS: JSON.stringify(
        this.config.venues.filter((other) => other.id !== venue.id).map((other) => other.syncFlagLabel),
      ),
      FIELD_MAP: JSON.stringify(venue.fieldMap),
      ...(venue.writeBack ? { WRITEBACK_MAP: JSON.stringify(venue.writeBack) } : {}),
      ...(venue.tripleseatLocationId ? { TRIPLESEAT_LOCATION_ID: venue.tripleseatLocationId } : {}),
      ...(venue.tripleseatLeadFormId ? { TRIPLESEAT_LEAD_FORM_ID: venue.tripleseatLeadFormId } : {}),
      TRIPLESEAT_BASE_URI: this.tripleseat.url,
      TRIPLESEAT_PUBLIC_KEY: keys.publicKey,
      ...this.tripleseatOauthEnv(venueId),
      ...(venue.destination?.type === 'http'
        ? {
            DESTINATION: JSON.stringify(venue.destination),
            DESTINATION_BASE_URL: this.marinaPlatform.url,
            DESTINATION_SECRETS: JSON.stringify(destinationSecrets(venueId)),
          }
        : // The venue's secret also holds its webhook signing secret (`venue-sync doctor` checks it).
          { TRIPLESEAT_WEBHOOK_SECRET: tripleseatWebhookSecret(venueId) }),
    };
  }

  /**
   * The venue's Tripleseat REST credentials as environment: a static token by default; in odd mode the
   * OAuth client and the bootstrap refresh token, so the handlers refresh (and rotate) the pair themselves.
   */
  private tripleseatOauthEnv(venueId: string): Record<string, string> {
    if (this.venuesWithoutOauth.has(venueId)) return {};
    const keys = tripleseatKeys(venueId);
    if (!this.odd) return { TRIPLESEAT_OAUTH_TOKEN: keys.oauthToken };
    const refreshToken = this.bootstrapRefreshTokens.get(venueId);
    return {
      TRIPLESEAT_CLIENT_ID: keys.clientId,
      TRIPLESEAT_CLIENT_SECRET: keys.clientSecret,
      ...(refreshToken ? { TRIPLESEAT_REFRESH_TOKEN: refreshToken } : {}),
    };
  }

  webexEnv(): Record<string, string> {
    const webex = this.config.webex;
    return {
      ...this.commonEnv(),
      WEBEX_EVENT_IDS: (webex?.eventIds ?? []).join(','),
      WEBEX_FIELD_MAP: JSON.stringify(webex?.fieldMap ?? {}),
      WEBEX_API_URL: this.webex.url,
      WEBEX_TOKEN: 'sk_test_sandbox',
    };
  }

  commonEnv(): Record<string, string> {
    return {
      TABLE_NAME: this.dynamo.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamo.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      HUBSPOT_BASE_URL: this.hubspot.url,
      HUBSPOT_TOKEN: DEFAULT_HUBSPOT_TOKEN,
      HUBSPOT_TEN_SECOND_LIMIT: String(this.config.hubspotTenSecondLimit),
      HUBSPOT_DAILY_LIMIT: String(this.config.hubspotDailyLimit),
      VENUE_SYNC_TIME_SCALE: String(this.clock.timeScale),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.receivers.values()].map((receiver) => receiver.close()));
    await Promise.all([
      this.hubspot.close(),
      this.tripleseat.close(),
      this.webex.close(),
      this.marinaPlatform.close(),
    ]);
    await this.dynamo.close();
  }

  private seedVenueProperties(): void {
    this.hubspot.defineGroup({ name: VENUE_SYNC_GROUP.name, label: VENUE_SYNC_GROUP.label });
    for (const property of DEMO_CONTACT_PROPERTIES) this.hubspot.defineProperty({ ...property });
    for (const venue of this.config.venues) {
      for (const spec of venuePropertySpecs(venue)) this.hubspot.defineProperty(spec);
    }
  }
}

/** A venue's Tripleseat REST access: a static token, or (odd mode) an OAuth 2.0 application. */
function tripleseatAccess(venueId: string, odd: boolean) {
  const keys = tripleseatKeys(venueId);
  return odd
    ? { oauthClient: { clientId: keys.clientId, clientSecret: keys.clientSecret } }
    : { oauthToken: keys.oauthToken };
}
