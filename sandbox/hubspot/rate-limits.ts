/**
 * HubSpot's three request budgets on the simulator clock (HubSpot's API usage guidelines): a per-app rolling
 * 10-second burst window, a per-portal 5/s search bucket that does not count toward the burst
 * window, and a daily budget shared by every call that resets at midnight (UTC here).
 */
import { HubSpotApiError } from './errors';

export interface RateLimitOptions {
  tenSecondLimit: number;
  searchPerSecond: number;
  dailyLimit: number;
  portalId: number;
}

export type RateDecision =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      policy: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
      headers: Record<string, string>;
      body: Record<string, unknown>;
    };

const TEN_SECONDS = 10_000;
const ONE_SECOND = 1_000;
const ONE_DAY = 86_400_000;

/** Timestamps of accepted calls inside a rolling window. */
class RollingWindow {
  private stamps: number[] = [];

  constructor(private readonly windowMs: number) {}

  count(now: number): number {
    const since = now - this.windowMs;
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= since) this.stamps.shift();
    return this.stamps.length;
  }

  add(now: number): void {
    this.stamps.push(now);
  }
}

export class RateLimiter {
  private readonly burst = new Map<string, RollingWindow>();
  private readonly search = new RollingWindow(ONE_SECOND);
  private day = -1;
  private dailyUsed = 0;
  /** 429s answered, by policy. */
  readonly rejected = { TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 };

  constructor(private readonly options: RateLimitOptions) {}

  get total429s(): number {
    return this.rejected.TEN_SECONDLY_ROLLING + this.rejected.SECONDLY + this.rejected.DAILY;
  }

  get dailyRemaining(): number {
    return Math.max(0, this.options.dailyLimit - this.dailyUsed);
  }

  /**
   * Decides one authenticated call. `appId` keys the burst window (one private app per token).
   * `correlationId` is only used when the call is refused.
   */
  check(input: { now: number; appId: number; isSearch: boolean; correlationId: () => string }): RateDecision {
    const { now, appId, isSearch } = input;
    const day = Math.floor(now / ONE_DAY);
    if (day !== this.day) {
      this.day = day;
      this.dailyUsed = 0;
    }
    const daily = (): Record<string, string> => ({
      'X-HubSpot-RateLimit-Daily': String(this.options.dailyLimit),
      'X-HubSpot-RateLimit-Daily-Remaining': String(this.dailyRemaining),
    });

    if (this.dailyUsed >= this.options.dailyLimit) {
      this.rejected.DAILY += 1;
      return {
        allowed: false,
        policy: 'DAILY',
        headers: daily(),
        body: {
          status: 'error',
          message: 'You have reached your daily limit.',
          errorType: 'RATE_LIMIT',
          correlationId: input.correlationId(),
          policyName: 'DAILY',
          requestId: input.correlationId(),
        },
      };
    }

    if (isSearch) {
      if (this.search.count(now) >= this.options.searchPerSecond) {
        this.rejected.SECONDLY += 1;
        // Recorded real traffic: no policyName, category RATE_LIMITS, only the daily headers.
        return {
          allowed: false,
          policy: 'SECONDLY',
          headers: daily(),
          body: new HubSpotApiError(429, 'RATE_LIMITS', 'You have reached your secondly limit.').toBody(
            input.correlationId(),
          ),
        };
      }
      this.search.add(now);
      this.dailyUsed += 1;
      return { allowed: true, headers: daily() };
    }

    const window = this.burst.get(String(appId)) ?? new RollingWindow(TEN_SECONDS);
    this.burst.set(String(appId), window);
    const used = window.count(now);
    const intervalHeaders = (remaining: number): Record<string, string> => ({
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
      'X-HubSpot-RateLimit-Max': String(this.options.tenSecondLimit),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
    });
    if (used >= this.options.tenSecondLimit) {
      this.rejected.TEN_SECONDLY_ROLLING += 1;
      return {
        allowed: false,
        policy: 'TEN_SECONDLY_ROLLING',
        headers: { ...intervalHeaders(0), ...daily() },
        body: {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: input.correlationId(),
          policyName: 'TEN_SECONDLY_ROLLING',
          groupName: `publicapi:private_app-api-calls-ten-secondly:${appId}:${this.options.portalId}`,
        },
      };
    }
    window.add(now);
    this.dailyUsed += 1;
    return {
      allowed: true,
      headers: { ...intervalHeaders(this.options.tenSecondLimit - used - 1), ...daily() },
    };
  }
}
