/**
 * A DynamoDB-backed request budget per HubSpot portal, shared by every function that calls it (the
 * venue pollers and the Webex sync run in different Lambdas but spend the same app limits).
 *
 * Burst window. Items `pk BUDGET#hubspot#<portalKey>`, `sk WINDOW#<windowStartMs>`, one per fixed
 * window of `windowMs` (default 1 s). A call takes a token with ONE conditional UpdateItem:
 *   `ADD used :n` if `attribute_not_exists(used) OR used <= :max - :n`.
 * When the window is full we sleep to the next window (plus a little jitter) and try again.
 *
 * Why 1 s windows for a 10 s limit: HubSpot's window is rolling. A rolling 10 s overlaps at most 11
 * one-second windows, plus one for latency (a token taken at the end of a window can reach HubSpot
 * in the next), so the cap is `floor(limit / 12)`, also at most 90% of the limit
 * (`hubspotTokensPerWindow`): 8 of 100 (worst case 96 in any 10 s), 15 of 190 (180), 20 of 250 (240).
 * A 10 s fixed window of 90 could let 180 through across one boundary. One-second windows also keep
 * waits short (< 1 s) and need no read of the previous window (a sliding approximation would cost an
 * extra read per window and gives no hard bound).
 *
 * Daily counter. `sk DAY#<yyyy-mm-dd>` (in the portal's time zone: HubSpot resets at its midnight).
 * Calls are counted locally and flushed with one unconditional `ADD` every `dailyFlushEvery` calls
 * (and on `flush()`), whose answer refreshes our view of the portal-wide total. `dailyUsedFraction()`
 * feeds the ">80% of the daily budget" alarm metric; `acquire` throws DailyLimitError once the
 * stop fraction (default 95%) is reached, leaving room for other apps on the account. The view lags
 * by at most `dailyFlushEvery` calls per function, which the 5% headroom absorbs.
 *
 * Cost: 1 UpdateItem per HubSpot call (+1 per `dailyFlushEvery` calls, +1 failed conditional write
 * per waiting call each time it finds a window full), or 1 per
 * `tokensPerReservation` calls when reserving in batches (tokens left at the end of a window are
 * lost, which only lowers throughput). `expiresAt` (epoch seconds) lets a TTL delete old windows; it
 * is a cost optimisation only, nothing reads it (dynalite has no TTL).
 *
 * Clocks: `now()` and `sleep(ms)` are injected (`SimClock.now` / `SimClock.sleep`), so windows are in
 * the clock's time and a scaled clock makes waits proportionally short. Functions' clocks must agree
 * to well under a window (Lambda clocks are NTP-synchronised).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DailyLimitError } from './errors';

export interface SharedBudgetOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Identifies the HubSpot portal (e.g. its portal id); all functions of one portal use the same. */
  portalKey: string;
  /** Tokens per window across all functions; see `hubspotTokensPerWindow`. */
  limitPerWindow: number;
  /** @default 1000 */
  windowMs?: number;
  /** Name inside the pk, so other shared limits (e.g. search) can reuse the class. @default 'hubspot' */
  bucket?: string;
  /** The portal's daily call limit; omit to skip the daily counter. */
  dailyLimit?: number;
  /** Stop (DailyLimitError) at this fraction of `dailyLimit`. @default 0.95 */
  dailyStopFraction?: number;
  /** IANA zone of the portal, for the day boundary. @default 'UTC' */
  timeZone?: string;
  /** Flush the local daily count every this many calls. @default 20 */
  dailyFlushEvery?: number;
  /** Reserve this many tokens per UpdateItem and spend them locally within the window. @default 1 */
  tokensPerReservation?: number;
  /** @default Date.now */
  now?: () => number;
  /** Waits `ms` of clock time. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  random?: () => number;
  onEvent?: (event: SharedBudgetEvent) => void;
}

export type SharedBudgetEvent =
  | { type: 'budget-wait'; bucket: string; waitMs: number; windowStartMs: number }
  | { type: 'budget-unavailable'; bucket: string; error: string };

export interface SharedBudgetStats {
  /** UpdateItem calls made (the DynamoDB cost). */
  writes: number;
  /** Times a full window made us wait. */
  waits: number;
  tokensAcquired: number;
}

/**
 * Tokens per window for a HubSpot burst limit. At most `headroom` of the limit, and small enough that
 * `(10 s / windowMs + 2)` windows stay within it: a rolling 10 s overlaps 11 windows, plus one more
 * because a call reserved at the end of a window reaches HubSpot up to a window later (latency).
 * 1 s windows: 8 of 100 (96 worst case), 15 of 190 (180), 20 of 250 (240).
 */
export function hubspotTokensPerWindow(tenSecondLimit: number, windowMs = 1_000, headroom = 0.9): number {
  const paced = Math.floor((tenSecondLimit * headroom * windowMs) / 10_000);
  const rollingSafe = Math.floor(tenSecondLimit / (Math.ceil(10_000 / windowMs) + 2));
  return Math.max(1, Math.min(paced, rollingSafe));
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** `yyyy-mm-dd` of `ms` in `timeZone`. */
export function dayKey(ms: number, timeZone = 'UTC'): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(ms));
}

const WINDOW_RETENTION_S = 3_600;
const DAY_RETENTION_S = 3 * 86_400;

export class SharedBudget {
  private readonly doc: DynamoDBDocumentClient;
  private readonly pk: string;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly counters: SharedBudgetStats = { writes: 0, waits: 0, tokensAcquired: 0 };
  /** Tokens reserved in DynamoDB but not yet spent, valid only inside their window. */
  private local = { windowStartMs: -1, tokens: 0 };
  private daily = { day: '', known: 0, pending: 0, inFlight: 0, loaded: false };

  constructor(private readonly options: SharedBudgetOptions) {
    if (!(options.limitPerWindow >= 1)) throw new RangeError('limitPerWindow must be at least 1');
    this.doc = DynamoDBDocumentClient.from(options.client);
    this.pk = `BUDGET#${options.bucket ?? 'hubspot'}#${options.portalKey}`;
    this.windowMs = options.windowMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** HubSpot burst budget for a portal from its `tenSecondLimit` (90% pace, 1 s windows by default). */
  static forHubSpot(
    options: Omit<SharedBudgetOptions, 'limitPerWindow'> & { tenSecondLimit: number; headroom?: number },
  ): SharedBudget {
    const { tenSecondLimit, headroom, ...rest } = options;
    return new SharedBudget({
      ...rest,
      limitPerWindow: hubspotTokensPerWindow(tenSecondLimit, rest.windowMs ?? 1_000, headroom ?? 0.9),
    });
  }

  /**
   * Takes `n` tokens from the shared window, waiting for later windows while it is full. Throws
   * DailyLimitError when the daily budget is spent. Fails open (emits `budget-unavailable`) when
   * DynamoDB itself fails: the local limiter and the retry policy still protect the API.
   */
  async acquire(n = 1): Promise<void> {
    if (n > this.options.limitPerWindow) {
      throw new RangeError(`cannot take ${n} tokens at once; a window holds ${this.options.limitPerWindow}`);
    }
    await this.checkDaily(n);
    for (;;) {
      const windowStartMs = Math.floor(this.now() / this.windowMs) * this.windowMs;
      if (this.local.windowStartMs === windowStartMs && this.local.tokens >= n) {
        this.local.tokens -= n;
        return this.spent(n);
      }
      const batch = Math.min(
        this.options.limitPerWindow,
        Math.max(n, this.options.tokensPerReservation ?? 1),
      );
      let reserved: number | undefined;
      try {
        if (await this.reserve(windowStartMs, batch)) reserved = batch;
        else if (batch > n && (await this.reserve(windowStartMs, n))) reserved = n;
      } catch (error) {
        this.options.onEvent?.({ type: 'budget-unavailable', bucket: this.pk, error: describeError(error) });
        return this.spent(n);
      }
      if (reserved !== undefined) {
        this.local = { windowStartMs, tokens: reserved - n };
        return this.spent(n);
      }
      // Full: wait for the next window; the jitter spreads the functions that all waited.
      const waitMs =
        Math.max(0, windowStartMs + this.windowMs - this.now()) + this.random() * this.windowMs * 0.05;
      this.counters.waits += 1;
      this.options.onEvent?.({
        type: 'budget-wait',
        bucket: this.pk,
        waitMs: Math.round(waitMs),
        windowStartMs,
      });
      await this.sleep(waitMs);
    }
  }

  /** Counts `n` calls against the daily budget without a burst token (e.g. search calls). */
  async recordDaily(n = 1): Promise<void> {
    await this.checkDaily(n);
    await this.spent(n);
  }

  /** Portal-wide share of the daily limit used, as far as this function knows (0 without a daily limit). */
  dailyUsedFraction(): number {
    if (!this.options.dailyLimit) return 0;
    return this.dailyUsed() / this.options.dailyLimit;
  }

  /** Writes the local daily count (call at the end of a run so the alarm metric is current). */
  async flush(): Promise<void> {
    if (!this.options.dailyLimit) return;
    this.rollDay();
    await this.flushDaily();
  }

  stats(): SharedBudgetStats {
    return { ...this.counters };
  }

  private async reserve(windowStartMs: number, n: number): Promise<boolean> {
    this.counters.writes += 1;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: this.pk, sk: `WINDOW#${windowStartMs}` },
          UpdateExpression: 'ADD used :n SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(used) OR used <= :maxBeforeAdd',
          ExpressionAttributeValues: {
            ':n': n,
            ':maxBeforeAdd': this.options.limitPerWindow - n,
            ':expiresAt': Math.ceil((windowStartMs + this.windowMs) / 1000) + WINDOW_RETENTION_S,
          },
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        isNamed(error, 'ConditionalCheckFailedException')
      ) {
        return false;
      }
      throw error;
    }
  }

  private async spent(n: number): Promise<void> {
    this.counters.tokensAcquired += n;
    if (!this.options.dailyLimit) return;
    this.rollDay();
    this.daily.pending += n;
    const firstOfDay = !this.daily.loaded && this.daily.inFlight === 0;
    if (firstOfDay || this.daily.pending >= (this.options.dailyFlushEvery ?? 20)) {
      await this.flushDaily().catch((error: unknown) =>
        this.options.onEvent?.({ type: 'budget-unavailable', bucket: this.pk, error: describeError(error) }),
      );
    }
  }

  private async checkDaily(n: number): Promise<void> {
    const { dailyLimit } = this.options;
    if (!dailyLimit) return;
    this.rollDay();
    const stopAt = dailyLimit * (this.options.dailyStopFraction ?? 0.95);
    if (this.dailyUsed() + n <= stopAt) return;
    // Looks spent: make sure with a fresh total before stopping the run.
    await this.flushDaily().catch(() => undefined);
    if (this.dailyUsed() + n > stopAt) {
      throw new DailyLimitError(
        'hubspot',
        `HubSpot daily budget for portal ${this.options.portalKey} spent: ${this.daily.known} of ${dailyLimit} calls ` +
          `used today (stopping at ${Math.round((this.options.dailyStopFraction ?? 0.95) * 100)}%); ` +
          `it resets at midnight ${this.options.timeZone ?? 'UTC'}`,
      );
    }
  }

  /** Our best view of today's portal-wide count: last total read plus what we have not written yet. */
  private dailyUsed(): number {
    return this.daily.known + this.daily.pending + this.daily.inFlight;
  }

  private rollDay(): void {
    const day = dayKey(this.now(), this.options.timeZone);
    if (day !== this.daily.day) this.daily = { day, known: 0, pending: 0, inFlight: 0, loaded: false };
  }

  private async flushDaily(): Promise<void> {
    const { day } = this.daily;
    const n = this.daily.pending;
    // Move the count to in-flight before awaiting, so concurrent flushes never send it twice.
    this.daily.pending = 0;
    this.daily.inFlight += n;
    this.counters.writes += 1;
    try {
      const answer = await this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: this.pk, sk: `DAY#${day}` },
          UpdateExpression: 'ADD used :n SET expiresAt = :expiresAt',
          ExpressionAttributeValues: {
            ':n': n,
            ':expiresAt': Math.ceil(this.now() / 1000) + DAY_RETENTION_S,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const used = answer.Attributes?.used;
      if (this.daily.day === day && typeof used === 'number') {
        this.daily.known = Math.max(this.daily.known, used);
        this.daily.loaded = true;
      }
    } catch (error) {
      if (this.daily.day === day) this.daily.pending += n;
      throw error;
    } finally {
      if (this.daily.day === day) this.daily.inFlight -= n;
    }
  }
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
