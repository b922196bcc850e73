/**
 * `--chaos`: vendor trouble at random (seeded) moments, so ops can rehearse what the product does about
 * it: 429 storms, outages (503 runs), slow answers, and lost answers (the write happens, the answer never
 * arrives: a Tripleseat lead create, a HubSpot batch update). Everything goes through the simulators'
 * public fault injection (`faults.add`); the product under test only ever sees HTTP.
 *
 * The plan is pure (seed in, episodes out). `ChaosMonkey` installs each episode as one fault rule whose
 * `match` pattern is open only during the episode's window of simulated time: the injector has no way to
 * remove a single rule, and `clear()` would also reset the fire counts of the episodes still running.
 */
import { seededRandom, type FaultRule, type SimClock } from './sim-kit';
import type { World } from './world';

export type ChaosApi = 'hubspot' | 'tripleseat' | 'webex';
export type ChaosKind = 'rate-limit-storm' | 'outage' | 'slow' | 'lost-answer';

/** Where an episode strikes: one API's calls matching `pattern` (`METHOD path`). */
interface ChaosTarget {
  api: ChaosApi;
  what: string;
  pattern: string;
}

export interface ChaosEpisode {
  id: number;
  kind: ChaosKind;
  api: ChaosApi;
  /** Human text: "Tripleseat lead create: answer lost (1x)". */
  label: string;
  pattern: string;
  /** Simulated time window [startsAt, endsAt). */
  startsAt: number;
  endsAt: number;
  status?: number;
  /** Real milliseconds added to each matching answer (kept well under the clients' 15 s timeouts). */
  latencyMs?: number;
  /** How many requests it may hit (status and lost-answer episodes). */
  times?: number;
  dropAnswerAfterWrite?: boolean;
}

const TARGETS = {
  tripleseatCreate: {
    api: 'tripleseat',
    what: 'Tripleseat lead create',
    pattern: '^POST /v1/leads/create\\.js$',
  },
  tripleseatSearch: {
    api: 'tripleseat',
    what: 'Tripleseat lead search',
    pattern: '^GET /v1/leads/search\\.json$',
  },
  tripleseatAll: { api: 'tripleseat', what: 'Tripleseat (every venue)', pattern: '^(GET|POST) /v1/' },
  hubspotSearch: {
    api: 'hubspot',
    what: 'HubSpot contact search',
    pattern: '^POST /crm/v3/objects/contacts/search$',
  },
  hubspotRead: {
    api: 'hubspot',
    what: 'HubSpot batch read',
    pattern: '^POST /crm/v3/objects/contacts/batch/read$',
  },
  hubspotUpdate: {
    api: 'hubspot',
    what: 'HubSpot batch update',
    pattern: '^POST /crm/v3/objects/contacts/batch/update$',
  },
  hubspotUpsert: {
    api: 'hubspot',
    what: 'HubSpot batch upsert (Webex sync)',
    pattern: '^POST /crm/v3/objects/contacts/batch/upsert$',
  },
  webex: { api: 'webex', what: 'Webex Events GraphQL', pattern: '^POST /graphql$' },
} satisfies Record<string, ChaosTarget>;

const MINUTE = 60_000;

export interface ChaosPlanOptions {
  seed: number;
  /** Simulated time the plan starts at. */
  from: number;
  /** Simulated length of the plan. */
  horizonMs: number;
  /** Random episodes on top of the guaranteed one of each kind. @default 4 */
  extraEpisodes?: number;
  /** First episode id (a live run keeps extending its plan). @default 1 */
  firstId?: number;
}

/**
 * A seeded plan: one episode of each kind on the spots that matter most (lead create answers lost,
 * a Tripleseat outage and 429 storm, HubSpot batch updates failing, a Webex storm, slow answers), then
 * `extraEpisodes` more anywhere. Same seed, same plan.
 */
export function planChaos(options: ChaosPlanOptions): ChaosEpisode[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));
  let id = options.firstId ?? 1;
  const episode = (kind: ChaosKind, target: ChaosTarget, lengthMs: number): ChaosEpisode => {
    const length = Math.min(lengthMs, options.horizonMs);
    const startsAt = options.from + between(0, options.horizonMs - length);
    const base = {
      id: id++,
      kind,
      api: target.api,
      pattern: target.pattern,
      startsAt,
      endsAt: startsAt + length,
    };
    switch (kind) {
      case 'rate-limit-storm': {
        const times = between(6, 20);
        return { ...base, status: 429, times, label: `${target.what}: 429 storm (${times} answers)` };
      }
      case 'outage': {
        const times = between(8, 30);
        return { ...base, status: 503, times, label: `${target.what}: outage (503 x${times})` };
      }
      case 'slow': {
        const latencyMs = between(200, 1_200);
        return { ...base, latencyMs, label: `${target.what}: slow answers (+${latencyMs} ms)` };
      }
      case 'lost-answer': {
        const times = between(1, 2);
        return {
          ...base,
          dropAnswerAfterWrite: true,
          times,
          label: `${target.what}: written, answer lost (${times}x)`,
        };
      }
    }
  };

  const episodes: ChaosEpisode[] = [
    // Lost create answers are the ones that can make a duplicate: give them most of the window.
    episode('lost-answer', TARGETS.tripleseatCreate, options.horizonMs),
    episode('lost-answer', TARGETS.tripleseatCreate, options.horizonMs / 2),
    episode('outage', TARGETS.tripleseatAll, between(2, 6) * MINUTE),
    episode('rate-limit-storm', TARGETS.tripleseatCreate, between(2, 6) * MINUTE),
    episode(pick(['outage', 'lost-answer'] as const), TARGETS.hubspotUpdate, between(3, 8) * MINUTE),
    episode('rate-limit-storm', TARGETS.webex, between(2, 6) * MINUTE),
    episode(
      'slow',
      pick([TARGETS.hubspotSearch, TARGETS.tripleseatAll, TARGETS.webex]),
      between(2, 8) * MINUTE,
    ),
  ];
  const kinds: ChaosKind[] = ['rate-limit-storm', 'outage', 'slow', 'lost-answer'];
  const targets: ChaosTarget[] = Object.values(TARGETS);
  for (let n = 0; n < (options.extraEpisodes ?? 4); n += 1) {
    const target = pick(targets);
    // Only writes can lose their answer after the write; a read just fails.
    const kind = pick(
      kinds.filter((k) => k !== 'lost-answer' || /POST .*(create|update|upsert)/.test(target.pattern)),
    );
    episodes.push(episode(kind, target, between(1, 6) * MINUTE));
  }
  return episodes.sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);
}

/** A `match` pattern that matches only while its episode is open. */
class GatedPattern extends RegExp {
  constructor(
    source: string,
    private readonly open: () => boolean,
  ) {
    super(source);
  }

  override test(text: string): boolean {
    return this.open() && super.test(text);
  }
}

export interface ActiveEpisode {
  episode: ChaosEpisode;
  /** Simulated ms left in its window. */
  remainingMs: number;
}

export class ChaosMonkey {
  readonly episodes: ChaosEpisode[] = [];
  private stopped = false;

  constructor(
    private readonly world: Pick<World, 'hubspot' | 'tripleseat' | 'webex'> & { clock: SimClock },
    readonly seed: number,
  ) {}

  /** Installs episodes: each becomes one fault rule on its simulator, open only in its window. */
  add(episodes: readonly ChaosEpisode[]): void {
    for (const episode of episodes) {
      this.episodes.push(episode);
      const rule: FaultRule = {
        match: new GatedPattern(episode.pattern, () => this.isOpen(episode)),
        ...(episode.status === undefined ? {} : { status: episode.status }),
        ...(episode.latencyMs === undefined ? {} : { latencyMs: episode.latencyMs }),
        ...(episode.times === undefined ? {} : { times: episode.times }),
        ...(episode.dropAnswerAfterWrite ? { dropAnswerAfterWrite: true } : {}),
      };
      this.simulator(episode.api).faults.add(rule);
    }
  }

  /** The episodes whose window is open now (a count-limited one may have used up its hits already). */
  active(): ActiveEpisode[] {
    const now = this.world.clock.now();
    return this.episodes
      .filter((episode) => this.isOpen(episode))
      .map((episode) => ({ episode, remainingMs: episode.endsAt - now }));
  }

  /** The next episode to open, if any. */
  next(): ChaosEpisode | undefined {
    if (this.stopped) return undefined;
    const now = this.world.clock.now();
    return this.episodes
      .filter((episode) => episode.startsAt > now)
      .sort((a, b) => a.startsAt - b.startsAt)[0];
  }

  /** When the last planned episode ends. */
  get plannedUntil(): number {
    return Math.max(0, ...this.episodes.map((episode) => episode.endsAt));
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Ends all chaos now: every rule closes, and the simulators' rule lists are emptied. */
  stop(): void {
    this.stopped = true;
    for (const api of ['hubspot', 'tripleseat', 'webex'] as const) this.simulator(api).faults.clear();
  }

  private isOpen(episode: ChaosEpisode): boolean {
    if (this.stopped) return false;
    const now = this.world.clock.now();
    return now >= episode.startsAt && now < episode.endsAt;
  }

  private simulator(api: ChaosApi): { faults: { add(rule: FaultRule): void; clear(): void } } {
    return this.world[api];
  }
}
