/**
 * The venue's sales team, simulated: some time after venue-sync created a lead in a venue's Tripleseat
 * account, a salesperson converts it, books it, turns it down or marks its event Lost with a reason (or
 * leaves it open). Each change goes through the Tripleseat simulator, which sends the signed delivery to
 * the venue's receiver, exactly as a salesperson's click in Tripleseat would.
 *
 * What happens to a lead depends only on the seed and the lead's place among the leads the team saw (in
 * creation order); when, and the lost reason, on the seed and the lead. No wall clock, no Math.random: a
 * run is reproducible and a test can name the outcome up front.
 */
import { stageText } from '../shared/sync/lead-outcomes';
import { seededRandom } from './sim-kit';
import type { DeliveryRecord, TripleseatWebhooks } from './tripleseat/webhooks';
import type { World } from './world';

export type SalesAction = 'convert' | 'book' | 'turn-down' | 'lose';

/** Reasons a salesperson picks when an event is Lost (Tripleseat's lost reasons are free to configure). */
export const LOST_REASONS = [
  'Chose another venue',
  'Over budget',
  'Date unavailable',
  'No response',
] as const;

/** A lead the sales team can see: created by venue-sync in a venue whose receiver is registered. */
export interface SeenLead {
  venueId: string;
  leadId: number;
  /** When the lead was created at Tripleseat (ms, simulated). */
  createdAtMs: number;
}

export interface SalesPlan {
  venueId: string;
  leadId: number;
  action: SalesAction;
  /** Only for `lose`. */
  lostReason?: string;
  /** Simulated time the salesperson acts. */
  dueAt: number;
}

/** One change a salesperson made, with the delivery Tripleseat sent for it (the live view follows it). */
export interface SalesAct {
  plan: SalesPlan;
  /** Simulated time of the change. */
  at: number;
  /** The outcome text the contact should show once the delivery lands (shared/sync/lead-outcomes). */
  expectedOutcome: string;
  /** Undefined only if the simulator recorded no delivery (it always records one, even when dropped). */
  delivery: DeliveryRecord | undefined;
}

export interface SalesTeamOptions {
  seed: number;
  /** The earliest a salesperson acts after the lead's creation (simulated ms). @default 10 minutes */
  minDelayMs?: number;
  /** The latest (simulated ms). @default 40 minutes */
  maxDelayMs?: number;
}

const DEFAULT_MIN_DELAY_MS = 10 * 60_000;
const DEFAULT_MAX_DELAY_MS = 40 * 60_000;

/**
 * What the team does with the n-th lead it sees, in turn (starting at the seed): booked leads are the point
 * of the demo, so they come twice per round; every kind shows up within six leads, even in a short run.
 */
const ROUND: ReadonlyArray<SalesAction | 'leave-open'> = [
  'book',
  'convert',
  'turn-down',
  'book',
  'lose',
  'leave-open',
];

/**
 * What the sales team does with one lead (pure), from the seed, the lead and its place in the order the team
 * saw leads: undefined when the lead stays open. When and why (a lost reason) come from dice seeded by the
 * seed and the lead alone.
 */
export function planFor(options: SalesTeamOptions, lead: SeenLead, ordinal: number): SalesPlan | undefined {
  const action = ROUND[(ordinal + options.seed) % ROUND.length];
  if (action === undefined || action === 'leave-open') return undefined;
  const minDelay = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
  const maxDelay = Math.max(minDelay, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  const dice = leadDice(options.seed, lead);
  const dueAt = lead.createdAtMs + minDelay + Math.floor(dice() * (maxDelay - minDelay));
  const reason = LOST_REASONS[Math.floor(dice() * LOST_REASONS.length)] ?? LOST_REASONS[0];
  return {
    venueId: lead.venueId,
    leadId: lead.leadId,
    action,
    ...(action === 'lose' ? { lostReason: reason } : {}),
    dueAt,
  };
}

/** The outcome text a plan leaves on the contact, as the receiver writes it. */
export function expectedOutcomeOf(plan: Pick<SalesPlan, 'action' | 'lostReason'>): string {
  switch (plan.action) {
    case 'book':
      return stageText('booked');
    case 'convert':
      return stageText('converted');
    case 'turn-down':
      return stageText('turned-down');
    case 'lose':
      return stageText('lost', plan.lostReason);
  }
}

/** Plans every lead once, hands out the plans that are due. Holds no clock: the caller says "now". */
export class SalesTeam {
  private readonly seen = new Set<string>();
  private readonly pending: SalesPlan[] = [];
  private leftOpenCount = 0;

  constructor(private readonly options: SalesTeamOptions) {}

  /**
   * Looks at the leads; each new one gets its plan (or stays open), in creation order (venue, then lead id,
   * on a tie), so the same leads noticed in any order get the same plans. Repeats are ignored.
   */
  notice(leads: Iterable<SeenLead>): void {
    const fresh = [...leads]
      .filter((lead) => !this.seen.has(leadKey(lead)))
      .sort(
        (a, b) => a.createdAtMs - b.createdAtMs || a.venueId.localeCompare(b.venueId) || a.leadId - b.leadId,
      );
    for (const lead of fresh) {
      const key = leadKey(lead);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const plan = planFor(this.options, lead, this.seen.size - 1);
      if (plan) this.pending.push(plan);
      else this.leftOpenCount += 1;
    }
  }

  /** Removes and returns the plans due at `now`, earliest first (venue, then lead id, on a tie). */
  due(now: number): SalesPlan[] {
    const ready = this.pending.filter((plan) => plan.dueAt <= now);
    if (ready.length === 0) return [];
    const keep = this.pending.filter((plan) => plan.dueAt > now);
    this.pending.splice(0, this.pending.length, ...keep);
    return ready.sort(
      (a, b) => a.dueAt - b.dueAt || a.venueId.localeCompare(b.venueId) || a.leadId - b.leadId,
    );
  }

  /** The latest time any pending plan is due (undefined: nothing pending). */
  get lastDueAt(): number | undefined {
    return this.pending.length ? Math.max(...this.pending.map((plan) => plan.dueAt)) : undefined;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Leads the team decided to leave open. */
  get leftOpen(): number {
    return this.leftOpenCount;
  }
}

/**
 * Makes the plan's change in the simulated Tripleseat (which sends the signed delivery) and returns the
 * act with that delivery's record. Throws if the lead is gone, naming venue and lead.
 */
export function carryOut(webhooks: TripleseatWebhooks, plan: SalesPlan, at: number): SalesAct {
  const before = webhooks.deliveries.length;
  switch (plan.action) {
    case 'book':
      webhooks.convertLead(plan.venueId, plan.leadId, { toBooking: true });
      break;
    case 'convert':
      webhooks.convertLead(plan.venueId, plan.leadId);
      break;
    case 'turn-down':
      webhooks.turnDownLead(plan.venueId, plan.leadId);
      break;
    case 'lose':
      webhooks.changeEventStatus(plan.venueId, plan.leadId, 'Lost', plan.lostReason);
      break;
  }
  // Each change records exactly one delivery, synchronously: the one just pushed is this act's.
  const delivery = webhooks.deliveries.length > before ? webhooks.deliveries.at(-1) : undefined;
  return { plan, at, expectedOutcome: expectedOutcomeOf(plan), delivery };
}

const leadKey = (lead: Pick<SeenLead, 'venueId' | 'leadId'>): string => `${lead.venueId}#${lead.leadId}`;

/** A small deterministic dice per (seed, venue, lead): FNV-1a of the key seeds the sandbox's mulberry32. */
function leadDice(seed: number, lead: SeenLead): () => number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const char of `${lead.venueId}#${lead.leadId}#${lead.createdAtMs}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return seededRandom(hash);
}

/**
 * The leads a sales team sees: every lead in the Tripleseat account of each venue whose receiver is
 * registered (a venue on another platform has neither). In the sandbox only venue-sync creates leads.
 */
export function leadsWithReceivers(world: World): SeenLead[] {
  return world.config.venues
    .filter((venue) => world.receivers.has(venue.id))
    .flatMap((venue) =>
      world.tripleseat.leads(venue.id).map((lead) => ({
        venueId: venue.id,
        leadId: lead.id,
        createdAtMs: Date.parse(lead.created_at),
      })),
    );
}
