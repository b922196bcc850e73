/**
 * Which venue pollers a HubSpot webhook delivery should wake early (pure).
 *
 * https://developers.hubspot.com/docs/api/webhooks (payload: a JSON array of up to 100 events)
 *
 * The 5-minute poll stays the source of truth: a missed trigger only delays a lead until the next tick,
 * a wrong trigger would be a bug. So matching is never fuzzy: an event wakes a venue only when
 * - it is `contact.propertyChange` (or `object.propertyChange` with `objectName: "contact"`),
 * - its `propertyValue` is exactly the string "true" (a checkbox being ticked), and
 * - its `propertyName` equals the flag's internal name as `venue-sync setup` creates it
 *   (`snakeCaseLabel(flagLabel)`, e.g. `tripleseat_sync_venue_a`), or equals the flag label once both
 *   are normalized with `normalizeLabel` (no distance, no closest match). The second form covers a
 *   checkbox created by hand in HubSpot's UI, whose generated internal name keeps every separator
 *   (`tripleseat_sync___venue_a` for "Tripleseat Sync - Venue A").
 * Two venues whose flags normalize alike are a configuration error (`createFlagRouter` throws), so one
 * property can never wake the wrong venue.
 */
import { z } from 'zod';
import { normalizeLabel, snakeCaseLabel } from '../schema';

/** HubSpot sends at most 100 events per delivery. */
export const MAX_EVENTS_PER_DELIVERY = 100;

const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

/** One webhook event as HubSpot sends it; unknown fields are tolerated (zod objects strip them). */
export const HubSpotWebhookEventSchema = z.object({
  eventId: Id,
  subscriptionId: Id,
  portalId: Id,
  appId: Id,
  occurredAt: z.number().int(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().nonnegative(),
  objectId: Id,
  /** Only on property-change events. */
  propertyName: z.string().optional(),
  propertyValue: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
  /** New developer platform: `object.propertyChange` carries the object type here. */
  objectName: z.string().optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEventSchema>;

export interface VenueFlagConfig {
  /** The HubSpot label of the venue's sync checkbox, as in VENUE_POLLERS. */
  flagLabel: string;
}

export class FlagRouterConfigError extends Error {
  override readonly name = 'FlagRouterConfigError';
}

/** Maps a webhook `propertyName` to the one venue whose flag it is, or undefined. */
export interface FlagRouter {
  venueFor(propertyName: string): string | undefined;
  /** Venue id -> the internal name `venue-sync setup` gives its flag (for logs and docs). */
  readonly internalNames: Readonly<Record<string, string>>;
}

export function createFlagRouter(venues: Readonly<Record<string, VenueFlagConfig>>): FlagRouter {
  const byInternalName = new Map<string, string>();
  const byNormalized = new Map<string, string>();
  const internalNames: Record<string, string> = {};
  const problems: string[] = [];
  for (const [venueId, { flagLabel }] of Object.entries(venues)) {
    const normalized = normalizeLabel(flagLabel);
    if (normalized === '') {
      problems.push(`venue ${venueId}: flag label '${flagLabel}' has no letters or digits`);
      continue;
    }
    const other = byNormalized.get(normalized);
    if (other !== undefined) {
      problems.push(
        `venues ${other} and ${venueId} have the same flag label once normalized ('${normalized}'); give each venue its own checkbox`,
      );
      continue;
    }
    const internalName = snakeCaseLabel(flagLabel);
    byInternalName.set(internalName, venueId);
    byNormalized.set(normalized, venueId);
    internalNames[venueId] = internalName;
  }
  if (problems.length > 0)
    throw new FlagRouterConfigError(
      `VENUE_POLLERS cannot route webhooks:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return {
    internalNames,
    venueFor(propertyName) {
      return byInternalName.get(propertyName) ?? byNormalized.get(normalizeLabel(propertyName));
    },
  };
}

export interface VenueTrigger {
  venueId: string;
  /** The events that asked for it, in delivery order (each venue appears once per delivery). */
  eventIds: string[];
}

export interface MalformedEvent {
  /** Position in the delivery array. */
  index: number;
  /** Which fields were wrong (paths and zod messages, never values). */
  problem: string;
}

export interface RouteCounts {
  received: number;
  /** Events that matched a venue flag being ticked. */
  matched: number;
  malformed: number;
  /** Not a contact property change (creation, deletion, other objects, ...). */
  ignoredNotContactPropertyChange: number;
  /** A venue flag changed, but not to "true" (unticked, or cleared by the poller itself). */
  ignoredNotTicked: number;
  /** A property that is no configured venue flag. */
  ignoredOtherProperty: number;
}

export type RouteOutcome =
  | { ok: true; triggers: VenueTrigger[]; malformed: MalformedEvent[]; counts: RouteCounts }
  | { ok: false; reason: 'not-json' | 'not-an-array' | 'too-many-events'; detail: string };

/** Parses a raw delivery body and decides which venues to wake. Malformed events are reported, never thrown. */
export function routeDelivery(rawBody: string, router: FlagRouter): RouteOutcome {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'not-json', detail: 'body is not JSON' };
  }
  if (!Array.isArray(json))
    return { ok: false, reason: 'not-an-array', detail: 'body is not a JSON array of events' };
  if (json.length > MAX_EVENTS_PER_DELIVERY) {
    return {
      ok: false,
      reason: 'too-many-events',
      detail: `${json.length} events (HubSpot sends at most ${MAX_EVENTS_PER_DELIVERY})`,
    };
  }
  return { ok: true, ...routeEvents(json, router) };
}

/** Routes already-decoded events (the array of a delivery). */
export function routeEvents(
  events: readonly unknown[],
  router: FlagRouter,
): { triggers: VenueTrigger[]; malformed: MalformedEvent[]; counts: RouteCounts } {
  const counts: RouteCounts = {
    received: events.length,
    matched: 0,
    malformed: 0,
    ignoredNotContactPropertyChange: 0,
    ignoredNotTicked: 0,
    ignoredOtherProperty: 0,
  };
  const malformed: MalformedEvent[] = [];
  const byVenue = new Map<string, string[]>();
  events.forEach((raw, index) => {
    const parsed = HubSpotWebhookEventSchema.safeParse(raw);
    if (!parsed.success) {
      counts.malformed += 1;
      malformed.push({
        index,
        problem: parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
          .join('; '),
      });
      return;
    }
    const event = parsed.data;
    if (!isContactPropertyChange(event) || event.propertyName === undefined) {
      counts.ignoredNotContactPropertyChange += 1;
      return;
    }
    const venueId = router.venueFor(event.propertyName);
    if (venueId === undefined) {
      counts.ignoredOtherProperty += 1;
      return;
    }
    if (event.propertyValue !== 'true') {
      counts.ignoredNotTicked += 1;
      return;
    }
    counts.matched += 1;
    const eventIds = byVenue.get(venueId) ?? [];
    if (!eventIds.includes(event.eventId)) eventIds.push(event.eventId);
    byVenue.set(venueId, eventIds);
  });
  const triggers = [...byVenue.entries()]
    .map(([venueId, eventIds]) => ({ venueId, eventIds }))
    .sort((a, b) => a.venueId.localeCompare(b.venueId));
  return { triggers, malformed, counts };
}

function isContactPropertyChange(event: HubSpotWebhookEvent): boolean {
  if (event.subscriptionType === 'contact.propertyChange') return true;
  return event.subscriptionType === 'object.propertyChange' && event.objectName?.toLowerCase() === 'contact';
}
