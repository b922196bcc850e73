/**
 * What the three simulators share: a controllable clock, fault injection, a request log and a tiny
 * HTTP server on loopback. Simulators are plain objects in the test's process, so tests inspect state
 * and inject faults directly; the clients under test only ever see HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualTime } from './virtual-time';

/**
 * Time as the simulators see it. `manual` clocks move only when told, so rate windows need no sleeping;
 * `scaled(k)` clocks run k times faster than the wall clock, so the bench can drain a backlog that
 * takes 20 simulated minutes in 12 real seconds while limiters (given the same scale) pace correctly.
 */
export class SimClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  private scale = 1;
  private readonly origin = Date.now();

  static real(): SimClock {
    return new SimClock();
  }

  static scaled(timeScale: number): SimClock {
    const clock = new SimClock();
    clock.scale = timeScale;
    return clock;
  }

  /** How many simulated milliseconds pass per real millisecond. */
  get timeScale(): number {
    return this.scale;
  }

  static manual(startMs = Date.UTC(2026, 10, 23, 12, 0, 0)): SimClock {
    const clock = new SimClock();
    clock.frozenAt = startMs;
    return clock;
  }

  now(): number {
    if (this.frozenAt !== undefined) return this.frozenAt;
    return this.origin + (Date.now() - this.origin) * this.scale + this.offsetMs;
  }

  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Waits `ms` of this clock's time: instant on a manual clock (it just advances), real time otherwise. */
  async sleep(ms: number): Promise<void> {
    if (this.frozenAt !== undefined) {
      this.advance(ms);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ms / this.scale));
  }
}

export interface FaultRule {
  /** Only requests whose `METHOD path` matches; default every request. */
  match?: RegExp;
  /** Answer with this status instead of handling the request. */
  status?: number;
  /** Probability 0..1 that the rule fires; default 1. */
  rate?: number;
  /** How many times the rule may fire; default unlimited. */
  times?: number;
  /** Handle the request (the write happens) but destroy the socket instead of answering. */
  dropAnswerAfterWrite?: boolean;
  /** Destroy the socket before handling. */
  resetConnection?: boolean;
  /** Extra latency in real milliseconds. */
  latencyMs?: number;
}

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'status'; status: number; latencyMs: number }
  | { kind: 'reset'; latencyMs: number }
  | { kind: 'drop-after-write'; latencyMs: number };

/** Deterministic fault injection: a seeded PRNG decides, so a failing test replays exactly. */
export class FaultInjector {
  private rules: Array<FaultRule & { fired: number }> = [];
  private random: () => number;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  decide(method: string, path: string): FaultDecision {
    const key = `${method} ${path}`;
    let latencyMs = 0;
    for (const rule of this.rules) {
      if (rule.match && !rule.match.test(key)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.status === undefined && !rule.resetConnection && !rule.dropAnswerAfterWrite) continue;
      rule.fired += 1;
      if (rule.resetConnection) return { kind: 'reset', latencyMs };
      if (rule.dropAnswerAfterWrite) return { kind: 'drop-after-write', latencyMs };
      return { kind: 'status', status: rule.status as number, latencyMs };
    }
    return { kind: 'none', latencyMs };
  }
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** The credential's last 4 characters, to tell venues apart without logging secrets. */
  credential?: string;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  count(filter: (entry: LoggedRequest) => boolean = () => true): number {
    return this.entries.filter(filter).length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}

export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as-is (a string) instead of JSON. */
  raw?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1 with fault injection applied around it. `handle` is synchronous state
 * logic; the wrapper adds latency, resets and dropped answers, and logs every request.
 */
export async function serveSimulator(options: {
  handle: (request: SimRequest) => SimResponse;
  faults: FaultInjector;
  log: RequestLog;
  clock: SimClock;
  credentialOf?: (request: SimRequest) => string | undefined;
  port?: number;
}): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void respond(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
    };
    const credential = options.credentialOf?.(request)?.slice(-4);
    const decision = options.faults.decide(request.method, request.path);
    // Under virtual time the request does not hold the clock while it waits out its latency.
    if (decision.latencyMs > 0) await VirtualTime.parked(decision.latencyMs);
    const logEntry = (status: number): void =>
      options.log.record({
        at: options.clock.now(),
        method: request.method,
        path: request.path,
        status,
        ...(credential ? { credential } : {}),
      });

    if (decision.kind === 'reset') {
      logEntry(0);
      req.socket.destroy();
      return;
    }
    let response: SimResponse;
    if (decision.kind === 'status') {
      response = {
        status: decision.status,
        body: { status: 'error', message: `Injected fault: HTTP ${decision.status}`, category: 'INJECTED' },
      };
    } else {
      try {
        response = options.handle(request);
      } catch (error) {
        response = { status: 500, body: { status: 'error', message: `simulator error: ${String(error)}` } };
      }
    }
    if (decision.kind === 'drop-after-write') {
      logEntry(0);
      req.socket.destroy();
      return;
    }
    logEntry(response.status);
    const headers: Record<string, string> = { ...response.headers };
    let payload = '';
    if (response.body !== undefined) {
      payload = response.raw ? String(response.body) : JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json;charset=utf-8';
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** mulberry32: small, fast, seedable; good enough for fault dice and demo data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
