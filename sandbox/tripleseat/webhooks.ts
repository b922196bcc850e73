/**
 * The simulator's webhooks: per-venue endpoints (as `/api/v1/sites/{site_id}/webhook_endpoints` lists
 * them), the lead's life after creation (converted, booked, turned down; its event's status, date and lost
 * reason), and signed deliveries that are resent up to 5 more times when the answer is not 200.
 *
 * Tripleseat documents the triggers, the HMAC-SHA256 `X-Signature` and the retries
 * (https://support.tripleseat.com/hc/en-us/articles/40075780832919); field names and the retry cadence
 * are assumptions, the same ones shared/tripleseat/webhook/payload.ts reads (see README.md here).
 */
import { signTripleseatBody } from '../../shared/tripleseat/webhook/signature';
import type { SimClock } from '../sim-kit';
import { LEADS_PAGE_SIZE, toRestLead, type LeadPage, type RestRendering } from './lead-store';
import type { TripleseatLead } from './types';

/** Tripleseat resends a delivery up to 5 more times without a 200. */
export const DELIVERY_RETRIES = 5;

export interface WebhookEndpoint {
  id: number;
  venueId: string;
  url: string;
  /** The signing secret (never part of the REST representation). */
  secret: string;
  failed_count: number;
  disabled_at: string | null;
  include_event_financials: boolean;
}

export type EventStatusName = 'Prospect' | 'Tentative' | 'Definite' | 'Closed' | 'Lost';

/** One delivery and what became of it (tests and the live view read these). */
export interface DeliveryRecord {
  venueId: string;
  trigger: string;
  leadId: number;
  /** HTTP statuses of each attempt (a network failure is 0); empty when the delivery was dropped. */
  attempts: number[];
  delivered: boolean;
  dropped: boolean;
}

export interface TripleseatWebhooksOptions {
  clock: SimClock;
  /** A venue's live lead by id (the simulator's store; the object is changed in place). */
  findLead: (venueId: string, leadId: number) => TripleseatLead | undefined;
  rendering: () => RestRendering;
  /** Wait between attempts, simulated ms. @default 2000 */
  retryDelayMs?: number;
}

export class TripleseatWebhooks {
  readonly deliveries: DeliveryRecord[] = [];
  private readonly endpointsByVenue = new Map<string, WebhookEndpoint>();
  private readonly dropNext = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly held: Array<() => void> = [];
  private paused = false;
  private nextEndpointId = 1;
  private nextEventId = 5000;

  constructor(private readonly options: TripleseatWebhooksOptions) {}

  /** Registers (or replaces) the venue's endpoint, as Settings > Webhooks does. */
  register(venueId: string, url: string, secret: string): WebhookEndpoint {
    const endpoint: WebhookEndpoint = {
      id: this.nextEndpointId++,
      venueId,
      url,
      secret,
      failed_count: 0,
      disabled_at: null,
      include_event_financials: false,
    };
    this.endpointsByVenue.set(venueId, endpoint);
    return endpoint;
  }

  endpoint(venueId: string): WebhookEndpoint | undefined {
    return this.endpointsByVenue.get(venueId);
  }

  /** Tripleseat stops calling a disabled endpoint. */
  disable(venueId: string): void {
    const endpoint = this.endpointsByVenue.get(venueId);
    if (endpoint) endpoint.disabled_at = new Date(this.options.clock.now()).toISOString();
  }

  /** The next `count` deliveries of the venue are lost entirely (every attempt failed on the way). */
  dropDeliveries(venueId: string, count = 1): void {
    this.dropNext.set(venueId, (this.dropNext.get(venueId) ?? 0) + count);
  }

  /** Deliveries wait (in order) until `resume()`: a test decides exactly when they arrive. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const start of this.held.splice(0)) start();
  }

  /** Resolves when every delivery started so far has ended (delivered or given up). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  // ---- the lead's life (each change stamps updated_at and sends its delivery) ----

  leadCreated(lead: TripleseatLead): void {
    this.send(lead, 'CREATE_LEAD');
  }

  convertLead(venueId: string, leadId: number, options: { toBooking?: boolean } = {}): TripleseatLead {
    const lead = this.lead(venueId, leadId);
    this.touch(lead);
    lead['converted_at'] = lead.updated_at;
    if (options.toBooking) {
      lead.status = 'booked';
      this.openEvent(lead, 'Definite');
      this.send(lead, 'CONVERT_LEAD_TO_BOOKING');
    } else {
      lead.status = 'converted';
      this.send(lead, 'CONVERT_LEAD');
    }
    return lead;
  }

  turnDownLead(venueId: string, leadId: number): TripleseatLead {
    const lead = this.lead(venueId, leadId);
    this.touch(lead);
    lead.status = 'turned_down';
    this.send(lead, 'LEAD_TURNED_DOWN');
    return lead;
  }

  /** The lead's event (opened if it has none) changes status; `Lost` carries a reason. */
  changeEventStatus(
    venueId: string,
    leadId: number,
    status: EventStatusName,
    lostReason?: string,
  ): TripleseatLead {
    const lead = this.lead(venueId, leadId);
    this.touch(lead);
    this.openEvent(lead, status);
    lead['lost_reason'] = status === 'Lost' ? (lostReason ?? null) : null;
    this.send(lead, 'STATUS_CHANGE_EVENT');
    return lead;
  }

  changeEventDate(venueId: string, leadId: number, eventDate: string): TripleseatLead {
    const lead = this.lead(venueId, leadId);
    this.touch(lead);
    this.openEvent(lead);
    lead['event_date'] = eventDate;
    this.send(lead, 'CHANGE_EVENT_DATETIME');
    return lead;
  }

  // ---- REST ----

  /** `GET /api/v1/sites/{site_id}/webhook_endpoints` (assumed root-wrapped list). */
  endpointsBody(venueId: string): { webhook_endpoints: Array<Omit<WebhookEndpoint, 'secret' | 'venueId'>> } {
    const endpoint = this.endpointsByVenue.get(venueId);
    if (!endpoint) return { webhook_endpoints: [] };
    const { secret: _secret, venueId: _venue, ...visible } = endpoint;
    return { webhook_endpoints: [visible] };
  }

  /** Lead search narrowed by `updated_after` (ISO or epoch seconds), oldest change first. */
  searchUpdatedAfter(leads: readonly TripleseatLead[], updatedAfter: string, page: number): LeadPage {
    const after = /^\d+$/.test(updatedAfter) ? Number(updatedAfter) * 1000 : Date.parse(updatedAfter);
    const matches = leads
      .filter((lead) => Date.parse(lead.updated_at) >= after)
      .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.id - b.id);
    const start = (page - 1) * LEADS_PAGE_SIZE;
    return {
      results: matches
        .slice(start, start + LEADS_PAGE_SIZE)
        .map((lead) => ({ lead: toRestLead(lead, this.options.rendering()) })),
      total_pages: Math.ceil(matches.length / LEADS_PAGE_SIZE),
    };
  }

  // ---- plumbing ----

  private lead(venueId: string, leadId: number): TripleseatLead {
    const lead = this.options.findLead(venueId, leadId);
    if (!lead) throw new Error(`TripleseatWebhooks: venue ${venueId} has no lead ${leadId}`);
    return lead;
  }

  private touch(lead: TripleseatLead): void {
    // Strictly later than the previous change, so two changes in one simulated millisecond still order.
    const now = Math.max(this.options.clock.now(), Date.parse(lead.updated_at) + 1);
    lead.updated_at = new Date(now).toISOString();
  }

  /** Opens the lead's event on its first event change; `status` (when given) becomes the event's. */
  private openEvent(lead: TripleseatLead, status?: EventStatusName): void {
    if (lead['event_id'] === undefined || lead['event_id'] === null) {
      lead['event_id'] = this.nextEventId++;
      lead['event_url'] = `https://app.tripleseat.com/events/${String(lead['event_id'])}`;
      lead['event_status'] = 'Prospect';
    }
    if (status) lead['event_status'] = status;
  }

  private payload(lead: TripleseatLead, trigger: string): Record<string, unknown> {
    const rest = toRestLead(lead, this.options.rendering());
    const hasEvent = lead['event_id'] !== undefined && lead['event_id'] !== null;
    return {
      webhook_trigger_type: trigger,
      occurred_at: rest['updated_at'],
      lead: rest,
      ...(hasEvent
        ? {
            event: {
              id: lead['event_id'],
              lead_id: lead.id,
              status: lead['event_status'] ?? null,
              event_date: lead['event_date'] ?? null,
              lost_reason: lead['lost_reason'] ?? null,
              url: lead['event_url'] ?? null,
              updated_at: rest['updated_at'],
            },
          }
        : {}),
    };
  }

  private send(lead: TripleseatLead, trigger: string): void {
    const record: DeliveryRecord = {
      venueId: lead.venueId,
      trigger,
      leadId: lead.id,
      attempts: [],
      delivered: false,
      dropped: false,
    };
    this.deliveries.push(record);
    const endpoint = this.endpointsByVenue.get(lead.venueId);
    if (!endpoint || endpoint.disabled_at !== null) return;
    const drops = this.dropNext.get(lead.venueId) ?? 0;
    if (drops > 0) {
      this.dropNext.set(lead.venueId, drops - 1);
      record.dropped = true;
      return;
    }
    // The body is fixed at the change: a retry resends the same bytes, as a queued delivery would.
    const body = JSON.stringify(this.payload(lead, trigger));
    const start = () => {
      const running = this.deliver(endpoint, body, record).finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    };
    if (this.paused) this.held.push(start);
    else start();
  }

  private async deliver(endpoint: WebhookEndpoint, body: string, record: DeliveryRecord): Promise<void> {
    for (let attempt = 0; attempt <= DELIVERY_RETRIES; attempt++) {
      if (attempt > 0) await this.wait(this.options.retryDelayMs ?? 2000);
      let status = 0;
      try {
        const response = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': signTripleseatBody(body, endpoint.secret),
          },
          body,
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      record.attempts.push(status);
      if (status === 200) {
        record.delivered = true;
        return;
      }
      endpoint.failed_count += 1;
    }
  }

  private wait(simulatedMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, simulatedMs / this.options.clock.timeScale));
  }
}
