/**
 * A HubSpot CRM v3 simulator (contacts, properties, token introspection) served over real HTTP on
 * loopback, following HubSpot's public CRM v3 docs and the Node SDK's behaviour. Tests and the sandbox drive it through the real
 * `@hubspot/api-client`, and inspect or change its state in-process through the methods below.
 */
import {
  FaultInjector,
  RequestLog,
  SimClock,
  seededRandom,
  serveSimulator,
  type RunningServer,
} from '../sim-kit';
import { TokenRegistry, type TokenInfo, type TokenSpec } from './auth';
import type { PropertyDefinition, PropertyDefinitionInput, PropertyGroup } from './properties';
import { RateLimiter } from './rate-limits';
import { createHandler } from './routes';
import { ContactStore, type ContactRecord, type HistoryEntry, type HistoryOrder } from './state';

export type { HistoryEntry, HistoryOrder } from './state';
export type {
  PropertyDefinition,
  PropertyDefinitionInput,
  PropertyGroup,
  PropertyOption,
} from './properties';
export type { TokenSpec } from './auth';
export { ALL_SCOPES } from './auth';
export { BATCH_HISTORY_LIMIT, BATCH_LIMIT, TOKEN_INFO_PATH } from './routes';
export { SEARCH_MAX_LIMIT, SEARCH_MAX_RESULTS } from './search';

/** The token a simulator accepts when none are configured. */
export const DEFAULT_HUBSPOT_TOKEN = 'pat-na1-00000000-0000-4000-8000-sim000000001';

export interface HubSpotSimulatorOptions {
  clock?: SimClock;
  /** Valid bearer tokens; a bare string has every scope. @default [DEFAULT_HUBSPOT_TOKEN] */
  tokens?: TokenSpec[];
  /** Requests per rolling 10 s per app (100 Free/Starter, 190 Professional/Enterprise). @default 100 */
  tenSecondLimit?: number;
  /** Search requests per second per portal. @default 5 */
  searchPerSecond?: number;
  /** Requests per day per portal. @default 250,000 (625,000 when tenSecondLimit >= 190) */
  dailyLimit?: number;
  /** How long a write stays invisible to search. @default 0 */
  searchIndexLagMs?: number;
  /** Seeds correlation ids and fault dice. @default 1 */
  seed?: number;
  /** The portal (hub) id. @default 20000001 */
  portalId?: number;
  /** Fixed port; default any free port. */
  port?: number;
  /**
   * The order of `propertiesWithHistory` entries in answers: newest first (what v1 documented, default) or
   * oldest first (the odd mode). v3 documents neither.
   */
  historyOrder?: HistoryOrder;
}

/** A contact as tests see it: current values only (cleared values are absent). */
export interface SimContact {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export class HubSpotSimulator {
  readonly clock: SimClock;
  readonly faults: FaultInjector;
  readonly log = new RequestLog();
  readonly portalId: number;
  /** Mutable at runtime, e.g. to switch lag on mid-test. */
  searchIndexLagMs: number;
  private readonly store: ContactStore;
  private readonly tokenRegistry: TokenRegistry;
  private readonly limiter: RateLimiter;
  private readonly random: () => number;
  private server: RunningServer | undefined;

  constructor(private readonly options: HubSpotSimulatorOptions = {}) {
    this.clock = options.clock ?? SimClock.real();
    const seed = options.seed ?? 1;
    this.faults = new FaultInjector(seed);
    this.random = seededRandom(seed + 1);
    this.portalId = options.portalId ?? 20_000_001;
    this.searchIndexLagMs = options.searchIndexLagMs ?? 0;
    this.store = new ContactStore(() => this.clock.now());
    this.store.historyOrder = options.historyOrder ?? 'newest-first';
    this.tokenRegistry = new TokenRegistry(options.tokens ?? [DEFAULT_HUBSPOT_TOKEN]);
    const tenSecondLimit = options.tenSecondLimit ?? 100;
    this.limiter = new RateLimiter({
      tenSecondLimit,
      searchPerSecond: options.searchPerSecond ?? 5,
      dailyLimit: options.dailyLimit ?? (tenSecondLimit >= 190 ? 625_000 : 250_000),
      portalId: this.portalId,
    });
  }

  /** Base URL to pass as the SDK's `basePath`; only valid after `start()`. */
  get url(): string {
    if (!this.server) throw new Error('HubSpotSimulator is not started; call start() first.');
    return this.server.url;
  }

  async start(): Promise<RunningServer> {
    if (this.server) return this.server;
    const handle = createHandler({
      store: this.store,
      tokens: this.tokenRegistry,
      limiter: this.limiter,
      now: () => this.clock.now(),
      correlationId: () => this.uuid(),
      portalId: this.portalId,
      searchIndexLagMs: () => this.searchIndexLagMs,
    });
    this.server = await serveSimulator({
      handle,
      faults: this.faults,
      log: this.log,
      clock: this.clock,
      credentialOf: (request) => /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1],
      ...(this.options.port !== undefined ? { port: this.options.port } : {}),
    });
    return this.server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }

  // --- schema ---------------------------------------------------------------------------

  /** Defines (or redefines) a contact property, as an admin would in the HubSpot UI. */
  defineProperty(input: PropertyDefinitionInput): PropertyDefinition {
    return this.store.defineProperty(input);
  }

  defineGroup(group: { name: string; label: string; displayOrder?: number }): PropertyGroup {
    return this.store.defineGroup(group);
  }

  property(name: string): PropertyDefinition | undefined {
    return this.store.properties.get(name);
  }

  // --- contacts -------------------------------------------------------------------------

  /**
   * Creates a contact as if entered in the UI (sourceType CRM_UI unless given). Values are validated
   * like API writes; a taken email throws.
   */
  createContact(
    properties: Record<string, string>,
    options: { sourceType?: string; sourceId?: string } = {},
  ): string {
    const values = this.store.validate(properties);
    return this.store.create(values, { sourceType: options.sourceType ?? 'CRM_UI', ...sourceIdOf(options) })
      .id;
  }

  /**
   * Sets one property now on the clock, recording history (default sourceType CRM_UI): how the
   * sandbox simulates a marketer ticking a checkbox. "" clears the value.
   */
  setProperty(
    id: string,
    name: string,
    value: string,
    options: { sourceType?: string; sourceId?: string } = {},
  ): void {
    const record = this.requireContact(id);
    const values = this.store.validate({ [name]: value });
    this.store.update(record, values, { sourceType: options.sourceType ?? 'CRM_UI', ...sourceIdOf(options) });
  }

  getContact(id: string): SimContact | undefined {
    const record = this.store.get(id);
    return record ? this.snapshot(record) : undefined;
  }

  findByEmail(email: string): SimContact | undefined {
    const id = this.store.idForEmail(email);
    return id ? this.getContact(id) : undefined;
  }

  *contacts(): IterableIterator<SimContact> {
    for (const record of this.store.all()) yield this.snapshot(record);
  }

  get contactCount(): number {
    return this.store.size;
  }

  /** A property's history, newest first (whatever order `propertiesWithHistory` is served in). */
  history(id: string, name: string): HistoryEntry[] {
    return this.store.historyOf(this.requireContact(id), name);
  }

  archiveContact(id: string): void {
    this.store.archive(this.requireContact(id));
  }

  // --- auth and limits ------------------------------------------------------------------

  addToken(spec: TokenSpec): TokenInfo {
    return this.tokenRegistry.add(spec);
  }

  revokeToken(token: string): void {
    this.tokenRegistry.revoke(token);
  }

  /** Every 429 answered so far. */
  get rateLimited429s(): number {
    return this.limiter.total429s;
  }

  /** 429s by policy: TEN_SECONDLY_ROLLING, SECONDLY (search), DAILY. */
  get rateLimited429sByPolicy(): Readonly<Record<'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY', number>> {
    return { ...this.limiter.rejected };
  }

  get dailyRemaining(): number {
    return this.limiter.dailyRemaining;
  }

  /** Calls per endpoint, ids folded: `{"PATCH /crm/v3/objects/contacts/{id}": 3, ...}`. */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.log.entries) {
      const path = entry.path
        .replace(/^(\/crm\/v3\/objects\/contacts\/)(?!search$|batch\/)[^/]+$/, '$1{id}')
        .replace(/^(\/crm\/v3\/properties\/contacts\/)(?!groups$)[^/]+$/, '$1{name}');
      const key = `${entry.method} ${path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  private requireContact(id: string): ContactRecord {
    const record = this.store.get(id);
    if (!record) throw new Error(`HubSpotSimulator: no contact with id ${id}`);
    return record;
  }

  private snapshot(record: ContactRecord): SimContact {
    const properties: Record<string, string> = {};
    for (const name of [...record.history.keys()].sort()) {
      const value = this.store.value(record, name);
      if (value !== undefined) properties[name] = value;
    }
    return {
      id: record.id,
      properties,
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(this.store.updatedAt(record)).toISOString(),
    };
  }

  /** A v4-shaped UUID from the seeded PRNG, so correlation ids replay exactly. */
  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

function sourceIdOf(options: { sourceId?: string }): { sourceId?: string } {
  return options.sourceId ? { sourceId: options.sourceId } : {};
}
