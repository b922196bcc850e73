/**
 * Which venue pollers a HubSpot webhook delivery should wake early (pure).
 *
 * https://developers.hubspot.com/docs/api/webhooks (payload: a JSON array of up to 100 events)
 *
 * The 5-minute poll stays the source of truth: a missed trigger only delays a lead until the next tick,
 * a wrong trigger would be a bug. So matching is never fuzzy: an event wakes a venue only when
 * - it is `contact.propertyChange`, or the generic `object.propertyChange` for a contact: `objectTypeId`
 *   "0-1" (what HubSpot's current developer platform sends) and/or `objectName: "contact"`; when both are
 *   present they must agree, when neither is the event is ignored (no guessing),
 * - its `propertyValue` is exactly the string "true" (a checkbox being ticked), and
 * - its `propertyName` equals the flag's internal name as `venue-sync setup` creates it
 *   (`snakeCaseLabel(flagLabel)`, e.g. `tripleseat_sync_venue_a`), or equals the flag label once both
 *   are normalized with `normalizeLabel` (no distance, no closest match). The second form covers a
 *   checkbox created by hand in HubSpot's UI, whose generated internal name keeps every separator
 *   (`tripleseat_sync___venue_a` for "Tripleseat Sync - Venue A").
 * https://developers.hubspot.com/changelog/generic-webhook-subscriptions (generic `object.*` events)
 *
 * One venue's bad entry never takes the others down: `createFlagRouter` never throws. A venue whose flag
 * has no letters or digits, or two venues whose flags normalize alike (both are skipped: routing either
 * could wake the wrong venue), are left out of routing and listed in `skipped` with the cause, for the
 * handler to log; their contacts still sync at the next scheduled poll. Synth refuses such configs
 * (`validateAppConfig`), so this is the safety net for an environment edited by hand.
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
  /** Generic `object.propertyChange`: the object type, `"0-1"` for contacts. */
  objectTypeId: z.union([z.string(), z.number()]).transform(String).optional(),
  /** Generic `object.propertyChange`: the object type by name, when present. */
  objectName: z.string().optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEventSchema>;

export interface VenueFlagConfig {
  /** The HubSpot label of the venue's sync checkbox, as in VENUE_POLLERS. */
  flagLabel: string;
}

/** A venue left out of routing, and why (no secret or request content). */
export interface SkippedVenue {
  venueId: string;
  cause: string;
}

/** Maps a webhook `propertyName` to the one venue whose flag it is, or undefined. */
export interface FlagRouter {
  venueFor(propertyName: string): string | undefined;
  /** Venue id -> the internal name `venue-sync setup` gives its flag (for logs and docs). */
  readonly internalNames: Readonly<Record<string, string>>;
  /** Venues that cannot be routed; every other venue routes normally. */
  readonly skipped: readonly SkippedVenue[];
}

/** Builds the router; never throws (see the module comment). */
export function createFlagRouter(venues: Readonly<Record<string, VenueFlagConfig>>): FlagRouter {
  const skipped: SkippedVenue[] = [];
  const byNormalizedAll = new Map<string, Array<{ venueId: string; flagLabel: string }>>();
  for (const [venueId, { flagLabel }] of Object.entries(venues)) {
    const normalized = normalizeLabel(flagLabel);
    if (normalized === '') {
      skipped.push({ venueId, cause: `flag label '${flagLabel}' has no letters or digits` });
      continue;
    }
    byNormalizedAll.set(normalized, [...(byNormalizedAll.get(normalized) ?? []), { venueId, flagLabel }]);
  }
  const byInternalName = new Map<string, string>();
  const byNormalized = new Map<string, string>();
  const internalNames: Record<string, string> = {};
  for (const [normalized, claimants] of byNormalizedAll) {
    const [only, ...others] = claimants;
    if (only === undefined) continue;
    if (others.length > 0) {
      for (const { venueId } of claimants) {
        const rest = claimants
          .filter((other) => other.venueId !== venueId)
          .map((other) => other.venueId)
          .join(', ');
        skipped.push({
          venueId,
          cause: `flag label is the same as venue ${rest}'s once normalized ('${normalized}'); give each venue its own checkbox`,
        });
      }
      continue;
    }
    const internalName = snakeCaseLabel(only.flagLabel);
    byInternalName.set(internalName, only.venueId);
    byNormalized.set(normalized, only.venueId);
    internalNames[only.venueId] = internalName;
  }
  return {
    internalNames,
    skipped,
    venueFor(propertyName) {
      return byInternalName.get(propertyName) ?? byNormalized.get(normalizeLabel(propertyName));
    },
  };
}

/** One VENUE_POLLERS entry: the venue's flag label and its poller function. */
export const VenuePollerSchema = z.object({
  flagLabel: z.string().min(1),
  functionName: z.string().min(1),
});
export type VenuePoller = z.infer<typeof VenuePollerSchema>;

/**
 * Reads VENUE_POLLERS (JSON: venue id -> { flagLabel, functionName }) entry by entry: a malformed entry
 * is skipped with its cause, the others are kept. Returns undefined venues only when the whole value is
 * unreadable (not JSON, not an object), which no single venue can cause.
 */
export function parseVenuePollers(
  text: string,
):
  { ok: true; venues: Record<string, VenuePoller>; skipped: SkippedVenue[] } | { ok: false; detail: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'VENUE_POLLERS is not valid JSON' };
  }
  const entries = z.record(z.string(), z.unknown()).safeParse(json);
  if (!entries.success) return { ok: false, detail: 'VENUE_POLLERS is not a JSON object of venues' };
  const venues: Record<string, VenuePoller> = {};
  const skipped: SkippedVenue[] = [];
  for (const [venueId, entry] of Object.entries(entries.data)) {
    const parsed = VenuePollerSchema.safeParse(entry);
    if (parsed.success) venues[venueId] = parsed.data;
    else
      skipped.push({
        venueId,
        cause: `VENUE_POLLERS entry is malformed: ${parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`)
          .join('; ')}`,
      });
  }
  return { ok: true, venues, skipped };
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
  | ({ ok: true } & RoutedEvents)
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

export interface RoutedEvents {
  triggers: VenueTrigger[];
  malformed: MalformedEvent[];
  counts: RouteCounts;
  /**
   * Object types of ignored `object.propertyChange` events that are not contacts (e.g. "0-3" for deals,
   * or "unknown" when the event names none), distinct, for the log line that says why they were ignored.
   */
  otherObjectTypes: string[];
}

/** Routes already-decoded events (the array of a delivery). */
export function routeEvents(events: readonly unknown[], router: FlagRouter): RoutedEvents {
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
  const otherObjectTypes = new Set<string>();
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
      if (event.subscriptionType === 'object.propertyChange')
        otherObjectTypes.add(event.objectTypeId ?? event.objectName ?? 'unknown');
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
  return { triggers, malformed, counts, otherObjectTypes: [...otherObjectTypes].sort() };
}

/** HubSpot's object type id for contacts. */
export const CONTACT_OBJECT_TYPE_ID = '0-1';

function isContactPropertyChange(event: HubSpotWebhookEvent): boolean {
  if (event.subscriptionType === 'contact.propertyChange') return true;
  if (event.subscriptionType !== 'object.propertyChange') return false;
  const byId = event.objectTypeId === undefined ? undefined : event.objectTypeId === CONTACT_OBJECT_TYPE_ID;
  const byName = event.objectName === undefined ? undefined : event.objectName.toLowerCase() === 'contact';
  if (byId === undefined && byName === undefined) return false;
  return byId !== false && byName !== false;
}
