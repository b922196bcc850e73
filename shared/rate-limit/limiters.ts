/**
 * Local pacing: one `PacingLane` per API and credential, mirroring what each server counts (vendor
 * limits: docs/pacing.md), so the drain runs at the server's limit without bouncing off it.
 * Cross-function sharing of the HubSpot limits is shared-budget.ts's job; these lanes pace this process.
 *
 * - HubSpot general: at most 90% of `tenSecondLimit` sent in any rolling 10 s (HubSpot's window is
 *   rolling; the rest is left to other apps of the portal), at most 4 in flight. Tightened by
 *   `observeHubSpotHeaders` when `X-HubSpot-RateLimit-Remaining` shows other traffic.
 * - HubSpot search: 4 per rolling second (5/s per account), at most 2 in flight.
 * - Tripleseat: 10 per rolling second per key (its published ~10/s), at most 3 in flight. Counted by
 *   send time, so a delayed request never lets the next one reach the server early.
 * - Webex: cost per rolling second, admitted while the window has room and charged in full (the
 *   server's own rule), at the limit `X-Secondly-Call-Limit` reports; tightened when it reports more
 *   use than ours (other clients of the token). A new limiter sends its first Webex query only once a
 *   full window has passed since it was made: the previous invocation of the same token may have just
 *   filled the window (admitted while room, charged in full), and nothing tells us until an answer does.
 * Every lane widens its margin and pauses for Retry-After on a 429 (`rateLimited`).
 *
 * Time: `now`/`sleep` are injected (API time); by default wall time sped up by `timeScale`.
 */
import { headerValue, type HeadersLike } from './classify';
import type { ApiName } from './errors';
import { PacingLane, type LaneTicket } from './pacing-lane';

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
   * one (per plan, not documented); conservative on purpose. @default 50
   */
  webexCostPerSecond?: number;
  /** API time runs this many times faster than wall time (default clock only). @default 1 */
  timeScale?: number;
  /** Current API time in ms. @default wall time x timeScale */
  now?: () => number;
  /** Waits `ms` of API time. @default setTimeout(ms / timeScale) */
  sleep?: (ms: number) => Promise<void>;
}

export interface WebexQuota {
  used: number;
  limit: number;
}

const DEFAULT_KEY = 'default';
/** In-flight caps. Webex has none: its cost window is the limit there. */
const MAX_CONCURRENT: Record<ApiName, number | undefined> = {
  hubspot: 4,
  'hubspot-search': 2,
  tripleseat: 3,
  webex: undefined,
};

/** Parses `used/limit` (e.g. `X-Secondly-Call-Limit: 1/500`). */
export function parseCallLimit(value: string | undefined): WebexQuota | undefined {
  const match = value?.trim().match(/^(\d+)\s*\/\s*(\d+)$/);
  if (!match?.[1] || !match[2]) return undefined;
  const limit = Number(match[2]);
  return limit > 0 ? { used: Number(match[1]), limit } : undefined;
}

/** HubSpot's burst-window headers (sent on every non-search answer). */
export function parseHubSpotRateHeaders(
  headers: HeadersLike,
): { max: number; remaining: number; intervalMs: number } | undefined {
  const max = Number(headerValue(headers, 'x-hubspot-ratelimit-max'));
  const remaining = Number(headerValue(headers, 'x-hubspot-ratelimit-remaining'));
  const intervalMs = Number(headerValue(headers, 'x-hubspot-ratelimit-interval-milliseconds') ?? 10_000);
  if (!(max > 0) || !Number.isFinite(remaining) || remaining < 0 || !(intervalMs > 0)) return undefined;
  return { max, remaining, intervalMs };
}

export class ApiLimiters {
  private readonly lanes = new Map<string, PacingLane>();
  private readonly headroom: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private webexCostLimit: number;
  private webexDaily: WebexQuota | undefined;
  /** API time this limiter was made; Webex use before it is unseen (see `lane`). */
  private readonly createdAt: number;

  constructor(private readonly options: LimiterOptions) {
    if (!(options.hubspotTenSecondLimit > 0)) throw new RangeError('hubspotTenSecondLimit must be positive');
    this.headroom = options.headroom ?? 0.9;
    const timeScale = options.timeScale ?? 1;
    this.now = options.now ?? (() => Date.now() * timeScale);
    this.sleep =
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / timeScale))));
    this.webexCostLimit = options.webexCostPerSecond ?? 50;
    this.createdAt = this.now();
  }

  /** The average pace (API-time ms between sends) each request-counted API runs at; for docs and tests. */
  minTimeMs(api: Exclude<ApiName, 'webex'>): number {
    const { limit, windowMs } = this.window(api);
    return windowMs / limit;
  }

  /** Webex cost the lane admits per second (the known per-second limit). */
  webexCostPerWindow(): number {
    return Math.max(1, Math.floor(this.webexCostLimit));
  }

  /**
   * Runs `fn` when `api`'s lane allows. `key` separates credentials (e.g. one Tripleseat key per venue);
   * `cost` is the Webex query cost (ignored elsewhere). `beforeSend` runs after admission and before
   * `fn` (e.g. the shared budget); the request counts as sent when it returns.
   */
  async schedule<T>(
    api: ApiName,
    fn: () => Promise<T>,
    options: { cost?: number; key?: string; beforeSend?: () => Promise<void> } = {},
  ): Promise<T> {
    const lane = this.lane(api, options.key ?? DEFAULT_KEY);
    const weight = api === 'webex' ? Math.max(1, Math.ceil(options.cost ?? 1)) : 1;
    const ticket: LaneTicket = await lane.acquire(weight);
    try {
      await options.beforeSend?.();
      ticket.sent();
      return await fn();
    } finally {
      ticket.done();
    }
  }

  /** A 429 from `api`: its lane pauses for `retryAfterMs` and widens its margin. */
  rateLimited(api: ApiName, retryAfterMs: number, key = DEFAULT_KEY): void {
    this.lane(api, key).rateLimited(retryAfterMs);
  }

  /**
   * Feeds HubSpot's `X-HubSpot-RateLimit-*` headers back into pacing: when the portal's window holds
   * more calls than we sent (other apps or functions), the difference counts against our lane too.
   */
  observeHubSpotHeaders(headers: HeadersLike, key = DEFAULT_KEY): void {
    const reported = parseHubSpotRateHeaders(headers);
    if (!reported) return;
    const lane = this.lane('hubspot', key);
    // Our lane's limit is a share of the server's: scale the server's use into it.
    const usedShare = ((reported.max - reported.remaining) / reported.max) * lane.currentLimit();
    lane.observeServerUsage(Math.floor(usedShare));
  }

  /**
   * Feeds Webex's quota headers back into pacing: adopts the reported per-second limit, and counts any
   * use this second beyond ours (other clients of the same token). Keeps the daily figures for
   * `webexDailyUsedFraction`.
   */
  observeWebexHeaders(headers: HeadersLike, key = DEFAULT_KEY): void {
    const daily = parseCallLimit(headerValue(headers, 'x-daily-call-limit'));
    if (daily) this.webexDaily = daily;
    const secondly = parseCallLimit(headerValue(headers, 'x-secondly-call-limit'));
    if (!secondly) return;
    this.webexCostLimit = secondly.limit;
    for (const [id, lane] of this.lanes)
      if (id.startsWith('webex#')) lane.setLimit(this.webexCostPerWindow());
    this.lane('webex', key).observeServerUsage(secondly.used);
  }

  /** Fraction of the Webex daily cost quota used, as last reported; undefined before any response. */
  webexDailyUsedFraction(): number | undefined {
    return this.webexDaily ? this.webexDaily.used / this.webexDaily.limit : undefined;
  }

  /** Stops every lane (waiting requests are rejected). Tests and the bench call this at the end. */
  async close(): Promise<void> {
    for (const lane of this.lanes.values()) lane.close();
    this.lanes.clear();
    await Promise.resolve();
  }

  private window(api: ApiName): { limit: number; windowMs: number } {
    switch (api) {
      case 'hubspot':
        return {
          limit: Math.max(1, Math.floor(this.options.hubspotTenSecondLimit * this.headroom)),
          windowMs: 10_000,
        };
      case 'hubspot-search':
        return {
          limit: Math.max(1, Math.floor((this.options.hubspotSearchPerSecond ?? 5) * this.headroom)),
          windowMs: 1_000,
        };
      case 'tripleseat':
        // Each venue's key is its own: the full published rate, the margin absorbs arrival jitter.
        return { limit: Math.max(1, Math.floor(this.options.tripleseatPerSecond ?? 10)), windowMs: 1_000 };
      case 'webex':
        return { limit: this.webexCostPerWindow(), windowMs: 1_000 };
    }
  }

  private lane(api: ApiName, key: string): PacingLane {
    const id = `${api}#${key}`;
    let lane = this.lanes.get(id);
    if (!lane) {
      const maxConcurrent = MAX_CONCURRENT[api];
      lane = new PacingLane(
        {
          ...this.window(api),
          ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
          admitWhileRoom: api === 'webex',
          // Webex counts per token: a new container's first query may land in a second the previous
          // invocation overdrew (seen in the bench: a cost-1 introspection refused at 505/500).
          ...(api === 'webex' ? { unseenUseUntil: this.createdAt } : {}),
        },
        { now: this.now, sleep: this.sleep },
      );
      this.lanes.set(id, lane);
    }
    return lane;
  }
}
