import type { LeadFields } from './lead-input';
import type { CreatedAtRendering, TripleseatLead } from './types';

/** How the REST representation renders timestamps (the stored lead always keeps ISO UTC). */
export interface RestRendering {
  createdAt: CreatedAtRendering;
  utcOffsetMinutes: number;
}

export const DEFAULT_RENDERING: RestRendering = { createdAt: 'utc', utcOffsetMinutes: -300 };

/** Tripleseat's REST pages hold 50 records (as published clients page them, e.g. bonroyage/tripleseat-php PaginatedResponse). */
export const LEADS_PAGE_SIZE = 50;

/**
 * Assumed shape: Rails-style root-wrapped records, `{results:[{lead:{...}}], total_pages}`, the same
 * wrapping `GET /v1/lead_forms.json` shows (`[{lead_form:{...}}]`) and `GET /v1/leads/{id}.json` uses.
 */
export interface LeadPage {
  results: Array<{ lead: Record<string, unknown> }>;
  total_pages: number;
}

/** Every account's leads. Ids are global, like rows of one multi-tenant database. */
export class LeadStore {
  private readonly byId = new Map<number, TripleseatLead>();
  private nextId: number;

  constructor(firstId: number) {
    this.nextId = firstId;
  }

  create(venueId: string, fields: LeadFields, nowMs: number): TripleseatLead {
    const at = new Date(nowMs).toISOString();
    const lead: TripleseatLead = {
      ...fields,
      id: this.nextId++,
      venueId,
      first_name: String(fields.first_name),
      last_name: String(fields.last_name),
      email_address: String(fields.email_address),
      phone_number: String(fields.phone_number),
      lead_form_id: fields.lead_form_id === undefined ? null : String(fields.lead_form_id),
      location_id: fields.location_id === undefined ? null : String(fields.location_id),
      status: 'new',
      created_at: at,
      updated_at: at,
      deleted_at: null,
    };
    this.byId.set(lead.id, lead);
    return lead;
  }

  /** A live (not deleted) lead of this account, or undefined: other accounts' leads are invisible. */
  find(venueId: string, id: number): TripleseatLead | undefined {
    const lead = this.byId.get(id);
    return lead && lead.venueId === venueId && lead.deleted_at === null ? lead : undefined;
  }

  /** Soft delete, as Rails apps with `deleted_at` do; the lead disappears from every read. */
  delete(venueId: string, id: number, nowMs: number): boolean {
    const lead = this.find(venueId, id);
    if (!lead) return false;
    lead.deleted_at = new Date(nowMs).toISOString();
    lead.updated_at = lead.deleted_at;
    return true;
  }

  live(venueId?: string): TripleseatLead[] {
    return [...this.byId.values()].filter(
      (lead) => lead.deleted_at === null && (venueId === undefined || lead.venueId === venueId),
    );
  }

  /**
   * Case-insensitive substring match on email, first, last and full name; oldest first (by id) so a
   * client paging through a growing result set does not see pages shift under it. An empty query lists all.
   */
  search(venueId: string, query: string, page: number, rendering = DEFAULT_RENDERING): LeadPage {
    const needle = query.trim().toLowerCase();
    const matches = this.live(venueId).filter((lead) => {
      if (needle === '') return true;
      const haystack = [
        lead.email_address,
        lead.first_name,
        lead.last_name,
        `${lead.first_name} ${lead.last_name}`,
      ].map((value) => value.toLowerCase());
      return haystack.some((value) => value.includes(needle));
    });
    const start = (page - 1) * LEADS_PAGE_SIZE;
    return {
      results: matches
        .slice(start, start + LEADS_PAGE_SIZE)
        .map((lead) => ({ lead: toRestLead(lead, rendering) })),
      total_pages: Math.ceil(matches.length / LEADS_PAGE_SIZE),
    };
  }
}

/** The REST representation: the stored fields without simulator bookkeeping, timestamps as configured. */
export function toRestLead(lead: TripleseatLead, rendering = DEFAULT_RENDERING): Record<string, unknown> {
  const { venueId: _venueId, ...rest } = lead;
  return {
    ...rest,
    created_at: renderTimestamp(lead.created_at, rendering),
    updated_at: renderTimestamp(lead.updated_at, rendering),
  };
}

/** `2026-11-23T12:00:00.000Z` as `...Z`, `2026-11-23T07:00:00-05:00` or `2026-11-23 07:00:00`. */
export function renderTimestamp(iso: string, rendering: RestRendering): string {
  if (rendering.createdAt === 'utc') return iso;
  const local = new Date(Date.parse(iso) + rendering.utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  if (rendering.createdAt === 'zoneless') return local.replace('T', ' ');
  const sign = rendering.utcOffsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(rendering.utcOffsetMinutes);
  const offset = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${local}${sign}${offset}`;
}
