/**
 * Discrete-event time for a whole process: `VirtualTime.install()` replaces `Date.now`, `setTimeout`
 * and `setInterval` (global and `node:timers`) with a virtual clock that moves ONLY when every
 * participant in the process is waiting on it. The bench and the deterministic tests run clients,
 * simulators and dynalite in one process; with this installed, their timers, limiters, leases and
 * simulated latency all share one clock, and CPU speed or load cannot turn into simulated seconds.
 *
 * "Everyone is waiting" is decided without wall-clock time:
 * - HTTP in flight is tracked through Node's diagnostics channels (node:http client, undici for
 *   `fetch`): +1 when a client sends, -1 when its request closes, so a server's work (dynalite's
 *   included) always counts as busy. A simulator holding a request on simulated latency says so with
 *   `VirtualTime.parked(...)`, which takes that request out of the count while it waits.
 * - After that count reaches 0, the clock still waits `SETTLE_TURNS` event-loop turns
 *   (`setImmediate`, which passes through the I/O poll phase) with no new timer and no HTTP event,
 *   so promise chains and loopback reads that follow an answer finish first. Turns, not milliseconds:
 *   a loaded machine makes turns slower, never fewer.
 * Then the earliest ref'd timer's time becomes `now` and every timer due by then fires in order.
 *
 * `performance.now()`, `setImmediate` and `process.nextTick` stay real (CPU is measured on them).
 */
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
type TimersModule = {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  setInterval: typeof setInterval;
  clearInterval: typeof clearInterval;
};
type TimersPromisesModule = { setTimeout: (ms?: number, value?: unknown) => Promise<unknown> };

/** Loop turns with nothing happening before the clock may move. */
export const SETTLE_TURNS = 30;

type Callback = (...args: unknown[]) => void;

/** What `setTimeout` returns under virtual time; shaped like Node's Timeout. */
export class VirtualTimer {
  cancelled = false;
  refed = true;
  constructor(
    private readonly time: VirtualTime,
    readonly id: number,
    public at: number,
    readonly seq: number,
    readonly delay: number,
    readonly repeat: boolean,
    readonly callback: Callback,
    readonly args: unknown[],
  ) {}
  ref(): this {
    this.refed = true;
    this.time.touch();
    return this;
  }
  unref(): this {
    this.refed = false;
    return this;
  }
  hasRef(): boolean {
    return this.refed;
  }
  refresh(): this {
    this.time.reschedule(this, this.time.now() + this.delay);
    return this;
  }
  close(): this {
    this.time.cancel(this);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

export interface VirtualTimeStats {
  /** Times the clock moved forward. */
  advances: number;
  timersFired: number;
}

export class VirtualTime {
  private static active: VirtualTime | undefined;
  private current: number;
  private queue: VirtualTimer[] = [];
  private readonly byId = new Map<number, VirtualTimer>();
  private nextId = 1;
  private seq = 0;
  private busy = 0;
  private activity = 0;
  private wake: (() => void) | undefined;
  private installed = true;
  private readonly restore: Array<() => void> = [];
  private readonly realSetImmediate = setImmediate;
  readonly stats: VirtualTimeStats = { advances: 0, timersFired: 0 };

  private constructor(startMs: number) {
    this.current = startMs;
  }

  /** The installed virtual time, if any. */
  static current(): VirtualTime | undefined {
    return VirtualTime.active;
  }

  /**
   * Waits `ms` on behalf of one in-flight request (e.g. a simulator's latency): that request does not
   * hold the clock while it waits. Without virtual time installed, a plain timer of `ms`.
   */
  static parked(ms: number): Promise<void> {
    const time = VirtualTime.active;
    if (!time) return new Promise((resolve) => setTimeout(resolve, ms));
    time.busy -= 1;
    time.touch();
    return time.sleep(ms).then(() => {
      time.busy += 1;
      time.touch();
    });
  }

  /** Installs virtual time for this process (one at a time). `uninstall()` restores real time. */
  static install(startMs = Date.UTC(2026, 10, 23, 12, 0, 0)): VirtualTime {
    if (VirtualTime.active) throw new Error('virtual time is already installed in this process');
    const time = new VirtualTime(startMs);
    VirtualTime.active = time;
    time.patch();
    void time.drive();
    return time;
  }

  now(): number {
    return this.current;
  }

  /** Waits `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.schedule(() => resolve(), ms, false, []);
    });
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    for (const undo of this.restore.reverse()) undo();
    syncBuiltinESMExports();
    VirtualTime.active = undefined;
    this.touch();
  }

  // -------------------------------------------------------------------------------------------
  // Timer queue

  /** @internal */
  touch(): void {
    this.activity += 1;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** @internal */
  cancel(timer: VirtualTimer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    this.byId.delete(timer.id);
    this.touch();
  }

  /** @internal */
  reschedule(timer: VirtualTimer, at: number): void {
    const index = this.queue.indexOf(timer);
    if (index >= 0) this.queue.splice(index, 1);
    timer.cancelled = false;
    timer.at = at;
    this.byId.set(timer.id, timer);
    this.insert(timer);
    this.touch();
  }

  private schedule(callback: Callback, delay: unknown, repeat: boolean, args: unknown[]): VirtualTimer {
    // Node's rule: a delay that is not a number >= 1 (or is above 2^31-1) becomes 1.
    let ms = Math.trunc(Number(delay));
    if (!(ms >= 1 && ms <= 2_147_483_647)) ms = 1;
    const timer = new VirtualTimer(
      this,
      this.nextId++,
      this.current + ms,
      this.seq++,
      ms,
      repeat,
      callback,
      args,
    );
    this.byId.set(timer.id, timer);
    this.insert(timer);
    this.touch();
    return timer;
  }

  private insert(timer: VirtualTimer): void {
    let low = 0;
    let high = this.queue.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.queue[mid] as VirtualTimer;
      if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) low = mid + 1;
      else high = mid;
    }
    this.queue.splice(low, 0, timer);
  }

  private clear(handle: unknown, real: (handle: never) => void): void {
    if (handle instanceof VirtualTimer) this.cancel(handle);
    else if (typeof handle === 'number' && this.byId.has(handle)) this.cancel(this.byId.get(handle)!);
    else if (handle !== undefined && handle !== null) real(handle as never);
  }

  // -------------------------------------------------------------------------------------------
  // The driver: advance only when everyone waits

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private async drive(): Promise<void> {
    while (this.installed) {
      if (this.busy > 0) {
        await this.idle();
        continue;
      }
      const mark = this.activity;
      let quiet = true;
      for (let turn = 0; turn < SETTLE_TURNS; turn += 1) {
        await new Promise((resolve) => this.realSetImmediate(resolve));
        if (this.activity !== mark || this.busy > 0) {
          quiet = false;
          break;
        }
      }
      if (!quiet || !this.installed) continue;
      this.queue = this.queue.filter((timer) => !timer.cancelled);
      // Only a ref'd timer moves the clock (an unref'd one would not keep a real process waiting).
      const next = this.queue.find((timer) => timer.refed);
      if (!next) {
        await this.idle();
        continue;
      }
      this.fireUntil(next.at);
    }
  }

  private fireUntil(at: number): void {
    if (at > this.current) {
      this.current = at;
      this.stats.advances += 1;
    }
    while (this.queue.length > 0 && (this.queue[0] as VirtualTimer).at <= at) {
      const timer = this.queue.shift() as VirtualTimer;
      if (timer.cancelled) continue;
      if (timer.repeat) {
        timer.at = this.current + timer.delay;
        this.insert(timer);
      } else {
        this.byId.delete(timer.id);
        timer.cancelled = true;
      }
      this.stats.timersFired += 1;
      try {
        timer.callback(...timer.args);
      } catch (error) {
        // As with a real timer: an exception in a callback is uncaught.
        process.nextTick(() => {
          throw error;
        });
      }
    }
    this.touch();
  }

  // -------------------------------------------------------------------------------------------
  // Patching

  private patch(): void {
    const timers = require('node:timers') as TimersModule;
    const timersPromises = require('node:timers/promises') as TimersPromisesModule;
    const real = {
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval,
      clearInterval: globalThis.clearInterval,
      dateNow: Date.now,
      promisesSetTimeout: timersPromises.setTimeout,
    };
    const fakeSetTimeout = ((callback: Callback, delay?: number, ...args: unknown[]) =>
      this.schedule(callback, delay, false, args)) as unknown as typeof setTimeout;
    const fakeSetInterval = ((callback: Callback, delay?: number, ...args: unknown[]) =>
      this.schedule(callback, delay, true, args)) as unknown as typeof setInterval;
    const fakeClearTimeout = ((handle: unknown) =>
      this.clear(handle, real.clearTimeout as (handle: never) => void)) as typeof clearTimeout;
    const fakeClearInterval = ((handle: unknown) =>
      this.clear(handle, real.clearInterval as (handle: never) => void)) as typeof clearInterval;
    const assign = <T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void => {
      const previous = target[key];
      target[key] = value;
      this.restore.push(() => {
        target[key] = previous;
      });
    };
    for (const target of [globalThis, timers] as TimersModule[]) {
      assign(target, 'setTimeout', fakeSetTimeout);
      assign(target, 'clearTimeout', fakeClearTimeout);
      assign(target, 'setInterval', fakeSetInterval);
      assign(target, 'clearInterval', fakeClearInterval);
    }
    assign(timersPromises, 'setTimeout', (ms?: number, value?: unknown) =>
      this.sleep(ms ?? 1).then(() => value),
    );
    assign(Date, 'now', () => this.current);
    syncBuiltinESMExports();
    this.trackHttp();
  }

  private trackHttp(): void {
    const change = (delta: number) => {
      this.busy += delta;
      this.touch();
    };
    const subscriptions: Array<[string, (message: unknown) => void]> = [
      [
        'http.client.request.start',
        (message) => {
          change(1);
          (message as { request: ClientRequest }).request.once('close', () => change(-1));
        },
      ],
      ['undici:request:create', () => change(1)],
      ['undici:request:trailers', () => change(-1)],
      ['undici:request:error', () => change(-1)],
    ];
    for (const [name, listener] of subscriptions) {
      dc.subscribe(name, listener);
      this.restore.push(() => dc.unsubscribe(name, listener));
    }
  }
}
