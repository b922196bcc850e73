/**
 * Runs the REAL handlers against a World: one venue poller per venue, the Webex sync, and the HubSpot
 * webhook receiver whose early invokes reach the pollers through sandbox/local-lambda (the unchanged
 * @aws-sdk/client-lambda, pointed at it with AWS_ENDPOINT_URL_LAMBDA). Every run's report is folded
 * into `SandboxStats`, which the live view and the summary read; nothing here prints.
 */
import { randomUUID } from 'node:crypto';
import { createHandler as createWebhookHandler } from '../lambdas/hubspot-webhook/handler';
import type { HubSpotWebhookHandler, WebhookResponse } from '../lambdas/hubspot-webhook/handler';
import {
  createHandler as createPollerHandler,
  type VenuePollerHandler,
} from '../lambdas/venue-poller/handler';
import { createHandler as createWebexHandler, type WebexSyncHandler } from '../lambdas/webex-sync/handler';
import { OpsContext } from '../ops/context';
import { keys } from '../shared/reconciliation';
import type { Observability } from '../shared/runtime/observability';
import type { PollReport, PollStatus } from '../shared/sync/poll-venue';
import type { WebexSyncReport, WebexSyncStatus } from '../shared/sync/sync-webex';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signHubSpotV3 } from '../shared/webhook/signature';
import { startLocalLambda, type LocalLambda } from './local-lambda';
import type { World } from './world';

/** The Lambda timeouts lib/ gives these functions (ScheduledSync.timeoutFor: interval - 1 minute). */
export const POLLER_TIMEOUT_MS = 240_000;
export const WEBEX_TIMEOUT_MS = 840_000;

/** The sandbox's HubSpot app secret (the webhook's HUBSPOT_APP_SECRET) and its Function URL host. */
export const SANDBOX_APP_SECRET = 'sandbox-hubspot-app-secret';
export const SANDBOX_WEBHOOK_HOST = 'sandbox-webhook.lambda-url.us-east-1.on.aws';

export type Trigger = 'schedule' | 'webhook';

export interface LogLine {
  /** Simulated time. */
  at: number;
  source: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
  /** Logged while the sandbox sent its own forged delivery: the demo's check, not an incident. */
  demoCheck?: boolean;
}

export interface RunOutcome<Status extends string> {
  trigger: Trigger;
  /** The report's status, or 'error' when the handler threw. */
  status: Status | 'error';
  error?: string;
  /** Simulated time the run finished. */
  finishedAt: number;
  /** Real milliseconds the run took. */
  durationMs: number;
}

export interface VenueStats {
  venueId: string;
  displayName: string;
  runs: number;
  earlyRuns: number;
  flagged: number;
  created: number;
  rejected: number;
  retried: number;
  quarantined: number;
  /**
   * Quarantine records in the table now (what `venue-sync status` lists and `replay` works on): the one
   * quarantine count the view shows. Undefined until first read.
   */
  quarantinedNow?: number;
  resumed: number;
  flagsCleared: number;
  /** Newest first. */
  latestRejections: Array<{ contactId: string; reason: string; at: number }>;
  reports: Array<PollReport & { trigger: Trigger }>;
  running: number;
  lastRun?: RunOutcome<PollStatus>;
}

export interface WebexStats {
  eventIds: number[];
  runs: number;
  created: number;
  updated: number;
  skippedUnchanged: number;
  idDrift: number;
  /** People quarantined, summed over runs (a person without an email counts again every pass). */
  quarantined: number;
  /** Webex quarantine records in the table now: the count the view shows. */
  quarantinedNow?: number;
  failed: number;
  attendeesSeen: number;
  reports: WebexSyncReport[];
  running: number;
  lastRun?: RunOutcome<WebexSyncStatus>;
  /** Source-side changes the sandbox made (live mode). */
  changes: { mutated: number; added: number; idRolls: number };
}

export interface WebhookStats {
  deliveries: number;
  /** Of them, the sandbox's own forged deliveries (the demo's signature check). */
  forgedByDemo: number;
  /** Answers by status code. */
  answers: Record<number, number>;
  lastAnswer?: { status: number; at: number; events: number; signed: boolean };
}

export interface SandboxStats {
  startedAt: number;
  venues: Map<string, VenueStats>;
  webex: WebexStats;
  webhook: WebhookStats;
  /** Recent warn/error lines of every handler, newest last. */
  recentLog: LogLine[];
}

const RECENT_LOG_LINES = 50;
/** Reports kept per handler (the live view runs for hours; the summary reads the few of one cycle). */
const KEPT_REPORTS = 200;
const LATEST_REJECTIONS = 3;

export function pollerFunctionName(venueId: string): string {
  return `venue-sync-poller-${venueId}`;
}

export class SandboxRunner {
  readonly stats: SandboxStats;
  private readonly pollers = new Map<string, VenuePollerHandler>();
  private webexHandler: WebexSyncHandler | undefined;
  private readonly webhookHandler: HubSpotWebhookHandler;
  private readonly inFlight = new Set<Promise<unknown>>();
  private demoForgeInFlight = 0;
  /** The table as the ops CLI reads it (quarantine counts). */
  private readonly ops: OpsContext;

  private constructor(
    readonly world: World,
    readonly lambda: LocalLambda,
  ) {
    const now = () => world.clock.now();
    this.ops = new OpsContext(world.config, world.commonEnv(), { now });
    this.stats = {
      startedAt: now(),
      venues: new Map(),
      webex: {
        eventIds: [],
        runs: 0,
        created: 0,
        updated: 0,
        skippedUnchanged: 0,
        idDrift: 0,
        quarantined: 0,
        failed: 0,
        attendeesSeen: 0,
        reports: [],
        running: 0,
        changes: { mutated: 0, added: 0, idRolls: 0 },
      },
      webhook: { deliveries: 0, forgedByDemo: 0, answers: {} },
      recentLog: [],
    };
    for (const venue of world.config.venues) {
      this.stats.venues.set(venue.id, {
        venueId: venue.id,
        displayName: venue.displayName ?? venue.id,
        runs: 0,
        earlyRuns: 0,
        flagged: 0,
        created: 0,
        rejected: 0,
        retried: 0,
        quarantined: 0,
        resumed: 0,
        flagsCleared: 0,
        latestRejections: [],
        reports: [],
        running: 0,
      });
      this.pollers.set(
        venue.id,
        createPollerHandler(world.pollerEnv(venue.id), { observability: this.observability(venue.id), now }),
      );
      // What the early invoke runs: the same function (and container) the schedule runs.
      lambda.register(pollerFunctionName(venue.id), (_event, context) =>
        this.poll(venue.id, 'webhook', () => context.getRemainingTimeInMillis()),
      );
    }
    const venuePollers = Object.fromEntries(
      world.config.venues.map((venue) => [
        venue.id,
        { flagLabel: venue.syncFlagLabel, functionName: pollerFunctionName(venue.id) },
      ]),
    );
    this.webhookHandler = createWebhookHandler(
      {
        VENUE_POLLERS: JSON.stringify(venuePollers),
        AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
        HUBSPOT_APP_SECRET: SANDBOX_APP_SECRET,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
      { observability: this.observability('webhook'), now },
    );
  }

  static async start(world: World): Promise<SandboxRunner> {
    const lambda = await startLocalLambda({ timeoutMs: POLLER_TIMEOUT_MS, now: () => world.clock.now() });
    return new SandboxRunner(world, lambda);
  }

  /** Builds the Webex sync for these events (WEBEX_EVENT_IDS), as the deployment's config would. */
  configureWebex(eventIds: number[]): void {
    this.stats.webex.eventIds = eventIds;
    this.webexHandler = createWebexHandler(
      { ...this.world.webexEnv(), WEBEX_EVENT_IDS: eventIds.join(',') },
      { observability: this.observability('webex'), now: () => this.world.clock.now() },
    );
  }

  get webexConfigured(): boolean {
    return this.webexHandler !== undefined;
  }

  /** One invocation of a venue's poller; never throws (a thrown handler is recorded as 'error'). */
  poll(venueId: string, trigger: Trigger, remainingMs?: () => number): Promise<PollReport | undefined> {
    const handler = this.pollers.get(venueId);
    const stats = this.stats.venues.get(venueId);
    if (!handler || !stats) throw new Error(`no poller for venue '${venueId}'`);
    return this.track(async () => {
      const started = Date.now();
      const deadline = started + POLLER_TIMEOUT_MS;
      stats.running += 1;
      try {
        const report = await handler(
          { source: trigger },
          {
            awsRequestId: randomUUID(),
            getRemainingTimeInMillis: remainingMs ?? (() => Math.max(0, deadline - Date.now())),
          },
        );
        foldPollReport(stats, report, trigger, this.world.clock.now());
        stats.lastRun = this.outcome(trigger, report.status, started);
        await this.refreshQuarantine(venueId);
        return report;
      } catch (error) {
        stats.runs += 1;
        stats.lastRun = { ...this.outcome(trigger, 'error', started), error: messageOf(error) };
        this.remember('poller ' + venueId, 'error', 'handler threw', { error: messageOf(error) });
        return undefined;
      } finally {
        stats.running -= 1;
      }
    });
  }

  /** One invocation of the Webex sync; never throws. */
  syncWebex(): Promise<WebexSyncReport | undefined> {
    const handler = this.webexHandler;
    const stats = this.stats.webex;
    if (!handler) throw new Error('Webex sync not configured (configureWebex first)');
    return this.track(async () => {
      const started = Date.now();
      const deadline = started + WEBEX_TIMEOUT_MS;
      stats.running += 1;
      try {
        const report = await handler(
          { source: 'schedule' },
          { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) },
        );
        stats.runs += 1;
        stats.reports.push(report);
        if (stats.reports.length > KEPT_REPORTS) stats.reports.shift();
        stats.created += report.created;
        stats.updated += report.updated;
        stats.skippedUnchanged += report.skippedUnchanged;
        stats.idDrift += report.idDrift;
        stats.quarantined += report.quarantined;
        stats.failed += report.failed;
        stats.attendeesSeen += report.attendeesSeen;
        stats.lastRun = this.outcome('schedule', report.status, started);
        await this.refreshQuarantine();
        return report;
      } catch (error) {
        stats.runs += 1;
        stats.lastRun = { ...this.outcome('schedule', 'error', started), error: messageOf(error) };
        this.remember('webex', 'error', 'handler threw', { error: messageOf(error) });
        return undefined;
      } finally {
        stats.running -= 1;
      }
    });
  }

  /**
   * Sends HubSpot's delivery for these flag ticks to the webhook handler as a Function URL event,
   * signed with v3 like HubSpot does (`forge` signs with the wrong secret, as an attacker would).
   */
  async deliverWebhook(
    ticks: ReadonlyArray<{ contactId: string; venueId: string }>,
    options: { forge?: boolean } = {},
  ): Promise<WebhookResponse> {
    const now = this.world.clock.now();
    const body = JSON.stringify(
      ticks.map(({ contactId, venueId }, index) => ({
        eventId: Math.floor(now / 1000) * 100 + index,
        subscriptionId: 2_345_678,
        portalId: this.world.hubspot.portalId,
        appId: 54_321,
        occurredAt: now,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: Number(contactId),
        propertyName: this.world.flagProperty(venueId),
        propertyValue: 'true',
        changeSource: 'CRM_UI',
        sourceId: 'userId:1234',
      })),
    );
    const timestamp = String(now);
    const signature = signHubSpotV3({
      appSecret: options.forge ? 'not-the-app-secret' : SANDBOX_APP_SECRET,
      method: 'POST',
      uri: `https://${SANDBOX_WEBHOOK_HOST}/`,
      body,
      timestamp,
    });
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers: {
        host: SANDBOX_WEBHOOK_HOST,
        'content-type': 'application/json',
        'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
        [SIGNATURE_HEADER]: signature,
        [TIMESTAMP_HEADER]: timestamp,
      },
      requestContext: {
        domainName: SANDBOX_WEBHOOK_HOST,
        http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '54.174.0.1' },
        timeEpoch: now,
      },
      body,
      isBase64Encoded: false,
    };
    const stats = this.stats.webhook;
    stats.deliveries += 1;
    if (options.forge) {
      stats.forgedByDemo += 1;
      this.demoForgeInFlight += 1;
    }
    const response = await this.track(() => this.webhookHandler(event)).finally(() => {
      if (options.forge) this.demoForgeInFlight -= 1;
    });
    stats.answers[response.statusCode] = (stats.answers[response.statusCode] ?? 0) + 1;
    stats.lastAnswer = {
      status: response.statusCode,
      at: this.world.clock.now(),
      events: ticks.length,
      signed: !options.forge,
    };
    return response;
  }

  /** Waits for every run started so far, early invokes included. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.lambda.idle();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Re-reads the quarantine record count of a venue (or, without one, of the Webex sync) from the table.
   * Replay outside the runner (the ops CLI in another terminal) shows up at the next run.
   */
  async refreshQuarantine(venueId?: string): Promise<void> {
    try {
      const source = venueId ? keys.venueSource(venueId) : keys.webexSource;
      const count = (await this.ops.store.listQuarantine(source)).length;
      if (venueId) {
        const stats = this.stats.venues.get(venueId);
        if (stats) stats.quarantinedNow = count;
      } else this.stats.webex.quarantinedNow = count;
    } catch (error) {
      this.remember(venueId ? `poller ${venueId}` : 'webex', 'warn', 'could not count the quarantine', {
        error: messageOf(error),
      });
    }
  }

  async close(): Promise<void> {
    await this.lambda.close();
    await this.ops.close();
  }

  private track<T>(run: () => Promise<T>): Promise<T> {
    const promise = run();
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  private outcome<S extends string>(trigger: Trigger, status: S, startedReal: number): RunOutcome<S> {
    return { trigger, status, finishedAt: this.world.clock.now(), durationMs: Date.now() - startedReal };
  }

  /** The handlers' log and metric sink: keeps warnings and errors for the view, drops the rest. */
  private observability(source: string): Observability {
    const at =
      (level: LogLine['level']) =>
      (message: string, fields: Record<string, unknown> = {}) => {
        if (level !== 'info') this.remember(source, level, message, fields);
      };
    return {
      log: { info: at('info'), warn: at('warn'), error: at('error') },
      metrics: { publish: () => {} },
    };
  }

  private remember(
    source: string,
    level: LogLine['level'],
    message: string,
    fields: Record<string, unknown>,
  ): void {
    const lines = this.stats.recentLog;
    const demoCheck = source === 'webhook' && this.demoForgeInFlight > 0;
    lines.push({
      at: this.world.clock.now(),
      source,
      level,
      message,
      fields,
      ...(demoCheck ? { demoCheck } : {}),
    });
    if (lines.length > RECENT_LOG_LINES) lines.splice(0, lines.length - RECENT_LOG_LINES);
  }
}

function foldPollReport(stats: VenueStats, report: PollReport, trigger: Trigger, at: number): void {
  stats.runs += 1;
  if (trigger === 'webhook') stats.earlyRuns += 1;
  stats.reports.push({ ...report, trigger });
  if (stats.reports.length > KEPT_REPORTS) stats.reports.shift();
  stats.flagged += report.flagged;
  stats.created += report.created;
  stats.rejected += report.rejected;
  stats.retried += report.retried;
  stats.quarantined += report.quarantined;
  stats.resumed += report.resumed;
  stats.flagsCleared += report.flagsCleared;
  for (const rejection of report.rejections) stats.latestRejections.unshift({ ...rejection, at });
  stats.latestRejections.splice(LATEST_REJECTIONS);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
