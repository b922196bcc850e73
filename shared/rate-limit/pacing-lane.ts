/**
 * One pacing lane: a FIFO queue in front of one API credential that admits a request only when the
 * SERVER would count it as allowed. It mirrors the server's own rule: a window of `windowMs` in which
 * the weights of the requests sent may not exceed `limit` (a request's weight is 1, or a Webex query's
 * cost). Spacing by send time rather than by a minimum gap means a request delayed on its way (or
 * queued behind a slow one) does not shift the next one closer to it at the server: the window
 * counts what was sent, and `marginMs` (widened after each 429, narrowed again by successes) covers
 * the difference between when we sent and when the server counted.
 *
 * Pure pacing logic on an injected clock (`now`, `sleep`), so tests drive it in virtual time.
 */

export interface LaneClock {
  /** Current time in API ms. */
  now(): number;
  /** Waits `ms` of API time. */
  sleep(ms: number): Promise<void>;
}

export interface LaneOptions {
  /** Weight the server admits per window. */
  limit: number;
  windowMs: number;
  /** Extra window length that absorbs send-to-arrival jitter. @default 10 */
  baseMarginMs?: number;
  /** Upper bound of the adaptive margin. @default windowMs / 2 */
  maxMarginMs?: number;
  /** Requests running at once. @default unlimited */
  maxConcurrent?: number;
  /**
   * `true`: admit while the window is below `limit` and charge the whole weight (the last query of a
   * window may overdraw it, as Webex's cost budget does). `false`: admit only if it fits. @default false
   */
  admitWhileRoom?: boolean;
  /**
   * API time up to which the server's window may hold use this lane never saw: another client of the
   * same credential, typically the previous invocation, which may have just filled the window. Until
   * that use has left the window (`windowMs` + margin later), or the server reports its usage
   * (`observeServerUsage`), nothing is admitted. @default none (the window starts empty)
   */
  unseenUseUntil?: number;
}

interface Sent {
  at: number;
  weight: number;
}

interface Waiter {
  weight: number;
  admit: (ticket: LaneTicket) => void;
  fail: (error: Error) => void;
}

/** Handed to an admitted request: `sent()` when it leaves, `done()` when its answer is in. */
export interface LaneTicket {
  sent(): void;
  done(): void;
}

export class PacingLane {
  private readonly sends: Sent[] = [];
  private readonly waiting: Waiter[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  /** Before this, the server's window may be full of use we never saw (see `unseenUseUntil`). */
  private unseenUntil = 0;
  private marginMs: number;
  private timerPending = false;
  private closed = false;
  private limit: number;

  constructor(
    private readonly options: LaneOptions,
    private readonly clock: LaneClock,
  ) {
    if (!(options.limit > 0)) throw new RangeError('a pacing lane needs a positive limit');
    this.limit = options.limit;
    this.marginMs = options.baseMarginMs ?? 10;
    if (options.unseenUseUntil !== undefined) this.unseenUntil = options.unseenUseUntil + this.windowMs() + 1;
  }

  /** Waits until the server would accept a request of `weight`, then admits it. */
  acquire(weight = 1): Promise<LaneTicket> {
    if (this.closed) return Promise.reject(new Error('pacing lane closed'));
    return new Promise((admit, fail) => {
      this.waiting.push({ weight: Math.min(weight, this.limit), admit, fail });
      this.pump();
    });
  }

  /** The server reported a new limit (e.g. Webex `X-Secondly-Call-Limit`). */
  setLimit(limit: number): void {
    if (limit > 0 && limit !== this.limit) {
      this.limit = limit;
      this.pump();
    }
  }

  currentLimit(): number {
    return this.limit;
  }

  /**
   * The server says `used` of its window is spent (other clients of the same credential included).
   * When that is more than we sent, the difference is counted as sent now by someone else.
   */
  observeServerUsage(used: number): void {
    // The server's own figure replaces the guess that its window might be full.
    this.unseenUntil = 0;
    const ours = this.weightInWindow(this.clock.now());
    if (used > ours) this.sends.push({ at: this.clock.now(), weight: used - ours });
  }

  /** A 429: nothing goes out before `retryAfterMs`, and the margin widens. */
  rateLimited(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + Math.max(0, retryAfterMs));
    const max = this.options.maxMarginMs ?? this.options.windowMs / 2;
    this.marginMs = Math.min(max, this.marginMs * 2 + 10);
  }

  /** Current margin, for tests and logs. */
  margin(): number {
    return this.marginMs;
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.fail(new Error('pacing lane closed'));
  }

  private windowMs(): number {
    return this.options.windowMs + this.marginMs;
  }

  private weightInWindow(now: number): number {
    const since = now - this.windowMs();
    while (this.sends.length > 0 && (this.sends[0] as Sent).at <= since) this.sends.shift();
    let total = 0;
    for (const sent of this.sends) total += sent.weight;
    return total;
  }

  /** Milliseconds until `weight` fits, 0 when it fits now. */
  private waitFor(weight: number, now: number): number {
    const blockedUntil = Math.max(this.pausedUntil, this.unseenUntil);
    if (now < blockedUntil) return blockedUntil - now;
    let used = this.weightInWindow(now);
    const fits = (total: number) =>
      this.options.admitWhileRoom ? total < this.limit : total + weight <= this.limit;
    if (fits(used)) return 0;
    // Sends leave the window oldest first: find the one whose departure makes room.
    for (const sent of this.sends) {
      used -= sent.weight;
      if (fits(used)) return Math.max(1, sent.at + this.windowMs() - now + 1);
    }
    return 1;
  }

  private pump(): void {
    if (this.closed) return;
    for (;;) {
      const head = this.waiting[0];
      if (!head) return;
      if (this.inFlight >= (this.options.maxConcurrent ?? Number.POSITIVE_INFINITY)) return;
      const now = this.clock.now();
      const wait = this.waitFor(head.weight, now);
      if (wait > 0) {
        this.wakeAfter(wait);
        return;
      }
      this.waiting.shift();
      const entry: Sent = { at: now, weight: head.weight };
      this.sends.push(entry);
      this.inFlight += 1;
      let finished = false;
      head.admit({
        // A request held up after admission (e.g. by the shared budget) counts from when it left.
        sent: () => {
          entry.at = Math.max(entry.at, this.clock.now());
        },
        done: () => {
          if (finished) return;
          finished = true;
          this.inFlight -= 1;
          const base = this.options.baseMarginMs ?? 10;
          if (this.marginMs > base) this.marginMs = Math.max(base, this.marginMs - 1);
          this.pump();
        },
      });
    }
  }

  private wakeAfter(ms: number): void {
    if (this.timerPending) return;
    this.timerPending = true;
    void this.clock.sleep(ms).then(() => {
      this.timerPending = false;
      this.pump();
    });
  }
}
