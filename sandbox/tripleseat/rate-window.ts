import type { SimClock } from '../sim-kit';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Sliding one-second window per key on the simulator's clock. Only admitted requests count, so a
 * client that keeps hammering through 429s recovers as soon as the window moves on.
 */
export class SlidingWindowLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(
    private readonly clock: SimClock,
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  take(key: string): RateDecision {
    const now = this.clock.now();
    const recent = (this.admitted.get(key) ?? []).filter((at) => at > now - this.windowMs);
    this.admitted.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= this.limit && oldest !== undefined) {
      // Retry-After is whole seconds (RFC 9110); never 0, which clients read as "now".
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)),
      };
    }
    recent.push(now);
    return { allowed: true };
  }
}
