/**
 * A Tripleseat webhook delivery, parsed. Tripleseat names its triggers but does not publish the payload's
 * field names (https://support.tripleseat.com/hc/en-us/articles/40075780832919, API Webhooks), so every
 * name below is an assumption, isolated here: nothing else reads the raw payload. Unknown fields are kept
 * (passthrough) so a log or a later version can use them. docs/lead-outcomes.md lists the assumptions.
 *
 * Assumed shape (Rails-style, like the REST API's records):
 *   { "webhook_trigger_type": "CONVERT_LEAD_TO_BOOKING",        (alias: "trigger")
 *     "occurred_at": "2026-05-01T12:00:00Z",                    (optional)
 *     "lead":  { "id": 123, "email_address": "...", "status": "...", "updated_at": "..." },
 *     "event": { "id": 9, "lead_id": 123, "status": "Definite", "event_date": "2026-09-12",
 *                "lost_reason": "...", "url": "https://...", "updated_at": "..." } }
 * Records may also arrive root-wrapped one level deeper (`{"lead":{"lead":{...}}}`), as REST answers are.
 */
import { z } from 'zod';
import { parseCreatedAt, type CreatedWindow } from '../created-at';

export const LEAD_TRIGGERS = [
  'CREATE_LEAD',
  'CREATE_INTERNAL_LEAD',
  'CONVERT_LEAD',
  'CONVERT_LEAD_TO_BOOKING',
  'LEAD_TURNED_DOWN',
] as const;
export const EVENT_TRIGGERS = ['STATUS_CHANGE_EVENT', 'UPDATE_EVENT', 'CHANGE_EVENT_DATETIME'] as const;
export type LeadTrigger = (typeof LEAD_TRIGGERS)[number];
export type EventTrigger = (typeof EVENT_TRIGGERS)[number];
export type TripleseatTrigger = LeadTrigger | EventTrigger;

/** Tripleseat's event statuses; the names cannot be changed in an account. */
export const EVENT_STATUSES = ['Prospect', 'Tentative', 'Definite', 'Closed', 'Lost'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

const Id = z.union([z.number().int(), z.string().min(1)]).transform(String);
const Text = z
  .string()
  .nullish()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

const LeadRecordSchema = z
  .object({
    id: Id,
    email_address: Text,
    first_name: Text,
    last_name: Text,
    status: Text,
    created_at: Text,
    updated_at: Text,
    event_id: Id.nullish(),
  })
  .passthrough();

const EventRecordSchema = z
  .object({
    id: Id,
    lead_id: Id.nullish(),
    status: Text,
    event_date: Text,
    /** Some accounts may send the start instead of a date. */
    event_start: Text,
    lost_reason: Text,
    url: Text,
    updated_at: Text,
  })
  .passthrough();

/** `{...}` or `{lead: {...}}` (root-wrapped). */
const wrapped = <T extends z.ZodType>(key: string, schema: T) =>
  z.union([z.object({ [key]: schema }).transform((value) => value[key] as z.infer<T>), schema]);

export const TripleseatDeliverySchema = z
  .object({
    webhook_trigger_type: z.string().optional(),
    trigger: z.string().optional(),
    occurred_at: Text,
    lead: wrapped('lead', LeadRecordSchema).optional(),
    event: wrapped('event', EventRecordSchema).optional(),
  })
  .passthrough();

/** What the rest of venue-sync knows about a delivery, whatever its wire names. */
export interface TripleseatDelivery {
  trigger: TripleseatTrigger;
  /** The lead the delivery is about: the lead's id, or the event's `lead_id`. */
  leadId: string | undefined;
  /** The lead's email as Tripleseat holds it, lower-cased (CREATE_LEAD settles a lost answer by it). */
  email: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  /** When the lead was created, as a window (exact, or ±14 h for a zone-less time). */
  leadCreated: CreatedWindow | undefined;
  /**
   * When the change happened at Tripleseat, ms: the changed record's own `updated_at`, never the time of
   * sending (a retry of an old delivery must still read as old). A zone-less time is read as wall time;
   * every time of one account shares its zone, so they still order correctly against each other.
   */
  occurredAtMs: number | undefined;
  event: TripleseatEventFacts | undefined;
}

export interface TripleseatEventFacts {
  id: string;
  /** One of EVENT_STATUSES when it matches one (case-insensitively), else the text as sent. */
  status: string | undefined;
  date: string | undefined;
  lostReason: string | undefined;
  link: string | undefined;
}

export type ParsedDelivery =
  | { ok: true; delivery: TripleseatDelivery }
  | { ok: false; reason: 'not-json' | 'unknown-shape' | 'unknown-trigger'; detail: string };

const TRIGGERS: readonly string[] = [...LEAD_TRIGGERS, ...EVENT_TRIGGERS];

export function isEventTrigger(trigger: TripleseatTrigger): trigger is EventTrigger {
  return (EVENT_TRIGGERS as readonly string[]).includes(trigger);
}

/** Parses a raw body. Never throws; the detail names fields, never their values. */
export function parseTripleseatDelivery(body: string): ParsedDelivery {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'not-json', detail: 'the body is not JSON' };
  }
  const parsed = TripleseatDeliverySchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    return { ok: false, reason: 'unknown-shape', detail: `unreadable fields: ${fields}` };
  }
  const raw = parsed.data;
  const trigger = (raw.webhook_trigger_type ?? raw.trigger ?? '').trim().toUpperCase();
  if (!TRIGGERS.includes(trigger)) {
    return {
      ok: false,
      reason: 'unknown-trigger',
      detail: `trigger '${trigger.slice(0, 40)}' is none of ${TRIGGERS.join(', ')}`,
    };
  }
  return { ok: true, delivery: toDelivery(trigger as TripleseatTrigger, raw) };
}

/**
 * Builds a delivery from a lead record as the REST API returns it (the nightly reconcile): its status
 * says which lead trigger it amounts to; event fields on the lead, when present, add the event.
 */
export function deliveryFromRestLead(record: unknown): TripleseatDelivery | undefined {
  const lead = wrapped('lead', LeadRecordSchema).safeParse(record);
  if (!lead.success) return undefined;
  const fields = lead.data as Record<string, unknown>;
  const event = EventRecordSchema.safeParse({
    id: fields['event_id'],
    lead_id: lead.data.id,
    status: fields['event_status'],
    event_date: fields['event_date'],
    lost_reason: fields['lost_reason'],
    url: fields['event_url'],
    updated_at: lead.data.updated_at,
  });
  const hasEvent = event.success && lead.data.event_id !== undefined && lead.data.event_id !== null;
  const trigger: TripleseatTrigger =
    hasEvent && event.data.status ? 'STATUS_CHANGE_EVENT' : leadTriggerOf(lead.data.status);
  return toDelivery(trigger, {
    lead: lead.data,
    ...(hasEvent ? { event: event.data } : {}),
    occurred_at: undefined,
  });
}

/** A REST lead's `status` as the trigger that would have announced it (assumed status words). */
function leadTriggerOf(status: string | undefined): LeadTrigger {
  const word = (status ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (word.includes('turneddown') || word === 'declined') return 'LEAD_TURNED_DOWN';
  if (word.includes('booked') || word.includes('booking')) return 'CONVERT_LEAD_TO_BOOKING';
  if (word.includes('convert')) return 'CONVERT_LEAD';
  return 'CREATE_LEAD';
}

type RawDelivery = Pick<z.infer<typeof TripleseatDeliverySchema>, 'occurred_at' | 'lead' | 'event'>;

function toDelivery(trigger: TripleseatTrigger, raw: RawDelivery): TripleseatDelivery {
  const { lead, event } = raw;
  const changedAt = isEventTrigger(trigger)
    ? (event?.updated_at ?? lead?.updated_at ?? raw.occurred_at)
    : (lead?.updated_at ?? raw.occurred_at);
  const window = parseCreatedAt(changedAt).window;
  return {
    trigger,
    leadId: lead?.id ?? event?.lead_id ?? undefined,
    email: lead?.email_address?.toLowerCase(),
    firstName: lead?.first_name,
    lastName: lead?.last_name,
    leadCreated: parseCreatedAt(lead?.created_at).window,
    occurredAtMs: window ? Math.round((window.earliestMs + window.latestMs) / 2) : undefined,
    event: event
      ? {
          id: event.id,
          status: canonicalStatus(event.status),
          date: event.event_date ?? event.event_start,
          lostReason: event.lost_reason,
          link: event.url,
        }
      : undefined,
  };
}

function canonicalStatus(status: string | undefined): string | undefined {
  if (status === undefined) return undefined;
  return EVENT_STATUSES.find((known) => known.toLowerCase() === status.toLowerCase()) ?? status;
}
