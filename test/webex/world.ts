/**
 * A Webex-sync test world: HubSpotSimulator + WebexSimulator on one scaled clock, dynalite with the
 * reconciliation table, the real SDK adapters and one ApiCaller at the same time scale, so limits are
 * real but quick.
 */
import { HubSpotContacts } from '../../shared/hubspot/contacts';
import { createHubSpotApis } from '../../shared/hubspot/sdk';
import { createApiCaller, type VenueSyncApiCaller } from '../../shared/rate-limit';
import { ReconciliationStore } from '../../shared/reconciliation';
import type { DecisionLog } from '../../shared/sync/decision-log';
import type { HubSpotUpsertPort, UpsertByEmail } from '../../shared/sync/ports';
import { syncWebex, type SyncWebexDeps, type WebexSyncReport } from '../../shared/sync/sync-webex';
import { WebexClient } from '../../shared/webex/client';
import { parseWebexFieldMap } from '../../shared/webex/fields';
import { DEFAULT_HUBSPOT_TOKEN, HubSpotSimulator } from '../../sandbox/hubspot';
import { startLocalDynamo, type LocalDynamo } from '../../sandbox/local-dynamo';
import { SimClock } from '../../sandbox/sim-kit';
import { WebexSimulator } from '../../sandbox/webex';
import type { WebexSimulatorOptions } from '../../sandbox/webex';
import { defineWebexProperties } from '../../sandbox/webex-properties';
import { appConfig } from '../../bin/venues';
import { validateAppConfig } from '../../shared/config/app-config';

export const WEBEX_TOKEN = 'sk_test_webex_sync';
export const TIME_SCALE = 50;
const LAMBDA_MS = 900_000;

/** The demo field map of bin/venues.ts (the one the sandbox and a default deploy use). */
export const DEMO_FIELD_MAP: Record<string, string> = demoWebexFieldMap();

function demoWebexFieldMap(): Record<string, string> {
  const webex = validateAppConfig(appConfig).webex;
  if (!webex) throw new Error('bin/venues.ts configures no Webex sync');
  return webex.fieldMap;
}

/** Counts what the engine hands HubSpot (inputs, not just calls). */
export class CountingHubSpot implements HubSpotUpsertPort {
  readonly upserted: UpsertByEmail[] = [];
  constructor(private readonly inner: HubSpotUpsertPort) {}
  listProperties() {
    return this.inner.listProperties();
  }
  upsertByEmail(inputs: readonly UpsertByEmail[]) {
    this.upserted.push(...inputs);
    return this.inner.upsertByEmail(inputs);
  }
}

export interface RecordingLog extends DecisionLog {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
}

export function recordingLog(): RecordingLog {
  const lines: RecordingLog['lines'] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export class WebexWorld {
  readonly log = recordingLog();
  hubspotPort!: CountingHubSpot;
  private runs = 0;

  private constructor(
    readonly clock: SimClock,
    readonly hubspot: HubSpotSimulator,
    readonly webex: WebexSimulator,
    readonly dynamo: LocalDynamo,
    readonly store: ReconciliationStore,
    readonly caller: VenueSyncApiCaller,
    readonly webexClient: WebexClient,
  ) {
    this.hubspotPort = new CountingHubSpot(
      new HubSpotContacts(
        createHubSpotApis({ accessToken: DEFAULT_HUBSPOT_TOKEN, baseUrl: hubspot.url }),
        caller,
      ),
    );
  }

  static async start(
    options: { webex?: Omit<WebexSimulatorOptions, 'clock'>; timeScale?: number; fetch?: typeof fetch } = {},
  ): Promise<WebexWorld> {
    const timeScale = options.timeScale ?? TIME_SCALE;
    const clock = SimClock.scaled(timeScale);
    const hubspot = new HubSpotSimulator({ clock });
    const webex = new WebexSimulator({ tokens: [WEBEX_TOKEN], ...options.webex, clock });
    const [dynamo] = await Promise.all([
      startLocalDynamo(`webex-${process.pid}`),
      hubspot.start(),
      webex.start(),
    ]);
    defineWebexProperties(hubspot);
    const caller = createApiCaller({ hubspotTenSecondLimit: 100, timeScale, now: () => clock.now() });
    const store = new ReconciliationStore({
      client: dynamo.client,
      tableName: dynamo.tableName,
      now: () => clock.now(),
    });
    const webexClient = new WebexClient(
      { token: WEBEX_TOKEN, apiUrl: webex.url, ...(options.fetch ? { fetch: options.fetch } : {}) },
      caller,
    );
    return new WebexWorld(clock, hubspot, webex, dynamo, store, caller, webexClient);
  }

  sync(
    overrides: Partial<SyncWebexDeps> & { fieldMapRaw?: Record<string, string> } = {},
  ): Promise<WebexSyncReport> {
    this.runs += 1;
    const { fieldMapRaw, ...rest } = overrides;
    return syncWebex({
      webex: this.webexClient,
      hubspot: this.hubspotPort,
      store: this.store,
      fieldMap: parseWebexFieldMap(fieldMapRaw ?? DEMO_FIELD_MAP),
      eventIds: [],
      runId: `run-${this.runs}`,
      remainingMs: () => LAMBDA_MS,
      log: this.log,
      options: { stopMarginMs: 30_000 },
      ...rest,
    });
  }

  /** A new Webex client (a new container: it introspects the schema again). */
  newWebexClient(): WebexClient {
    return new WebexClient({ token: WEBEX_TOKEN, apiUrl: this.webex.url }, this.caller);
  }

  /** Resets every counter the assertions read (sim logs, the counting port). */
  resetCounters(): void {
    this.hubspot.log.clear();
    this.webex.log.clear();
    this.hubspotPort.upserted.length = 0;
    this.log.lines.length = 0;
  }

  hubspotWriteCalls(): number {
    const counts = this.hubspot.callCounts();
    return Object.entries(counts)
      .filter(([endpoint]) => endpoint !== 'GET /crm/v3/properties/contacts')
      .reduce((sum, [, count]) => sum + count, 0);
  }

  webexCalls(): number {
    return this.webex.log.count((entry) => entry.path === '/graphql');
  }

  async close(): Promise<void> {
    await this.caller.close();
    await Promise.all([this.hubspot.close(), this.webex.close(), this.dynamo.close()]);
  }
}

/** Distinct (event, normalized email) pairs among attendees with an email. */
export function peopleWithEmail(webex: WebexSimulator, eventIds: readonly number[]): number {
  let count = 0;
  for (const eventId of eventIds) {
    const emails = new Set(
      webex
        .attendees(eventId)
        .map((attendee) => attendee.email?.normalize('NFC').trim().toLowerCase() ?? '')
        .filter((email) => email !== ''),
    );
    count += emails.size;
  }
  return count;
}
