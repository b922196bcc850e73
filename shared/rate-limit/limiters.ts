/**
 * Local pacing: one bottleneck limiter per API and credential, paced just below each published limit
 * (api-facts 1.4, 3, 4) so we rarely see a 429 at all. Cross-function sharing of the HubSpot burst
 * limit is shared-budget.ts's job; these limiters only pace this process.
 *
 * - HubSpot general: `minTime = 10 s / (90% of tenSecondLimit)`. Even spacing rather than a 10 s
 *   reservoir, because HubSpot's window is rolling: a fixed reservoir could spend two full budgets
 *   across one window boundary.
 * - HubSpot search: 5/s per account -> 4/s (minTime 250 ms), at most 2 in flight.
 * - Tripleseat: ~10/s -> 9/s (minTime 111 ms), at most 3 in flight.
 * - Webex: cost-based; bottleneck weight = query cost against a reservoir of 90% of the per-second cost
 *   limit, refreshed every second, and tightened by `observeWebexHeaders` when the server reports less room.
 *
 * `timeScale` divides every interval, so against simulators on `SimClock.scaled(k)` the same limiter
 * paces correctly in simulated time.
 */
import Bottleneck from 'bottleneck';
import { headerValue, type HeadersLike } from './classify';
import type { ApiName } from './errors';

export interface LimiterOptions {
  /** HubSpot private-app burst limit per 10 s (100 Starter, 190 Pro/Enterprise, 250 with the pack). */
  hubspotTenSecondLimit: number;
  /** Fraction of each published limit we pace at. @default 0.9 */
  headroom?: number;
  /** @default 5 (per account) */
  hubspotSearchPerSecond?: number;
  /** @default 10 */
  tripleseatPerSecond?: number;
  /**
   * Webex cost budget per second before the first response's `X-Secondly-Call-Limit` tells the real
   * one (per plan, [U]); conservative on purpose. @default 50
   */
  webexCostPerSecond?: number;
  /** API time runs this many times faster than wall time. @default 1 */
  timeScale?: number;
}

export interface WebexQuota {
  used: number;
  limit: number;
}

const DEFAULT_KEY = 'default';
/**
 * In-flight caps. Webex has none: bottleneck counts a job's weight against maxConcurrent too, so a
 * cost-weighted job could never start; its cost reservoir is the limit there.
 */
const MAX_CONCURRENT: Record<ApiName, number | null> = {
  hubspot: 4,
  'hubspot-search': 2,
  tripleseat: 3,
  webex: null,
};

/** Parses `used/limit` (e.g. `X-Secondly-Call-Limit: 1/500`). */
export function parseCallLimit(value: string | undefined): WebexQuota | undefined {
  const match = value?.trim().match(/^(\d+)\s*\/\s*(\d+)$/);
  if (!match?.[1] || !match[2]) return undefined;
  const limit = Number(match[2]);
  return limit > 0 ? { used: Number(match[1]), limit } : undefined;
}

export class ApiLimiters {
  private readonly limiters = new Map<string, Bottleneck>();
  private readonly retired: Bottleneck[] = [];
  private readonly headroom: number;
  private readonly timeScale: number;
  private webexCostLimit: number;
  private webexDaily: WebexQuota | undefined;

  constructor(private readonly options: LimiterOptions) {
    if (!(options.hubspotTenSecondLimit > 0)) throw new RangeError('hubspotTenSecondLimit must be positive');
    this.headroom = options.headroom ?? 0.9;
    this.timeScale = options.timeScale ?? 1;
    this.webexCostLimit = options.webexCostPerSecond ?? 50;
  }

  /** The pace (API-time ms between starts) each request-counted API runs at; for docs and tests. */
  minTimeMs(api: Exclude<ApiName, 'webex'>): number {
    switch (api) {
      case 'hubspot':
        return 10_000 / (this.options.hubspotTenSecondLimit * this.headroom);
      case 'hubspot-search':
        return 1_000 / Math.max(1, Math.floor((this.options.hubspotSearchPerSecond ?? 5) * this.headroom));
      case 'tripleseat':
        return 1_000 / Math.max(1, Math.floor((this.options.tripleseatPerSecond ?? 10) * this.headroom));
    }
  }

  /** Webex cost we allow per second (90% of the known limit). */
  webexCostPerWindow(): number {
    return Math.max(1, Math.floor(this.webexCostLimit * this.headroom));
  }

  /**
   * Runs `fn` when `api`'s pace allows. `key` separates credentials (e.g. one Tripleseat key per venue);
   * `cost` is the Webex query cost (ignored elsewhere).
   */
  schedule<T>(api: ApiName, fn: () => Promise<T>, options: { cost?: number; key?: string } = {}): Promise<T> {
    const limiter = this.limiter(api, options.key ?? DEFAULT_KEY);
    // A weight above the refresh amount would wait forever; such a query still costs at most one window.
    const weight =
      api === 'webex' ? Math.min(Math.max(1, Math.ceil(options.cost ?? 1)), this.webexCostPerWindow()) : 1;
    return limiter.schedule({ weight }, fn);
  }

  /**
   * Feeds Webex's quota headers back into pacing: adopts the reported per-second limit, and when the
   * server shows less room this second than our reservoir holds (other clients of the same token),
   * shrinks the reservoir until the next refresh. Keeps the daily figures for `webexDailyUsedFraction`.
   */
  observeWebexHeaders(headers: HeadersLike, key = DEFAULT_KEY): void {
    const daily = parseCallLimit(headerValue(headers, 'x-daily-call-limit'));
    if (daily) this.webexDaily = daily;
    const secondly = parseCallLimit(headerValue(headers, 'x-secondly-call-limit'));
    if (!secondly) return;
    if (secondly.limit !== this.webexCostLimit) {
      this.webexCostLimit = secondly.limit;
      // New limiters rather than updateSettings: in bottleneck 2.19.5 updateSettings clears the
      // reservoir-refresh heartbeat (LocalDatastore._startHeartbeat), which would stall Webex for good.
      // Jobs already queued drain at the old (lower or higher) pace; new ones use the reported limit.
      for (const id of [...this.limiters.keys()]) {
        if (!id.startsWith('webex#')) continue;
        const old = this.limiters.get(id);
        if (old) this.retired.push(old);
        this.limiters.delete(id);
      }
    }
    const limiter = this.limiter('webex', key);
    const room = Math.max(0, Math.floor(secondly.limit * this.headroom) - secondly.used);
    void limiter
      .currentReservoir()
      .then((current) =>
        current !== null && room < current ? limiter.incrementReservoir(room - current) : undefined,
      )
      .catch(() => undefined);
  }

  /** Fraction of the Webex daily cost quota used, as last reported; undefined before any response. */
  webexDailyUsedFraction(): number | undefined {
    return this.webexDaily ? this.webexDaily.used / this.webexDaily.limit : undefined;
  }

  /** Stops every limiter (pending jobs are dropped). Tests and the bench call this at the end. */
  async close(): Promise<void> {
    const all = [...this.limiters.values(), ...this.retired];
    this.limiters.clear();
    this.retired.length = 0;
    await Promise.all(all.map((limiter) => limiter.stop({ dropWaitingJobs: true })));
  }

  private limiter(api: ApiName, key: string): Bottleneck {
    const id = `${api}#${key}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Bottleneck(this.settings(api, id));
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private settings(api: ApiName, id: string): Bottleneck.ConstructorOptions {
    const base = { id, maxConcurrent: MAX_CONCURRENT[api] };
    if (api === 'webex') {
      const perWindow = this.webexCostPerWindow();
      const refreshMs = 1_000 / this.timeScale;
      const settings: Bottleneck.ConstructorOptions & { heartbeatInterval: number } = {
        ...base,
        reservoir: perWindow,
        reservoirRefreshAmount: perWindow,
        reservoirRefreshInterval: refreshMs,
        // The refresh is checked on this heartbeat (default 250 ms): keep it well under the window,
        // or a scaled clock would refresh late (slower than needed, never faster).
        heartbeatInterval: Math.max(5, Math.min(250, refreshMs / 10)),
      };
      return settings;
    }
    return { ...base, minTime: this.minTimeMs(api) / this.timeScale };
  }
}
