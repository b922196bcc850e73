/**
 * The promises a chaos run must keep, checked against the end state alone (leads in each Tripleseat
 * account, the ledger's rejections, the quarantine before and after replay), never against the order in
 * which things happened: whatever the interleaving, these must hold.
 *
 *  - one lead per valid request, in its own venue only, and no duplicates;
 *  - nothing lost: every flagged request ends as a lead, a rejection with a reason, or a quarantine entry;
 *  - quarantined only where a lead may already exist or the attempts ran out.
 *
 * Pure: the caller gathers the state (sandbox/chaos-cycle.ts), the unit tests fabricate it.
 */
import type { CheckResult } from './summary';

/** One flag tick for one venue: what the marketer asked for. */
export interface FlaggedRequest {
  venueId: string;
  contactId: string;
  /** For messages. */
  name: string;
  /** The contact's email as HubSpot holds it (normalized by the checker). */
  email: string;
  /** The data makes a valid lead (else it must be rejected with a reason). */
  valid: boolean;
}

export interface LeadFact {
  venueId: string;
  leadId: number | string;
  email: string;
}

export interface RejectionFact {
  venueId: string;
  contactId: string;
  reason: string;
}

export interface QuarantineFact {
  venueId: string;
  contactId: string;
  reason: string;
  /** The create answer was lost: a lead may already exist. */
  maybeSent: boolean;
  /** Claims the request had when it was quarantined. */
  attempts: number;
}

export interface EndState {
  requests: readonly FlaggedRequest[];
  leads: readonly LeadFact[];
  rejections: readonly RejectionFact[];
  /** Every request quarantined during the run (read before replay). */
  quarantinedDuringRun: readonly QuarantineFact[];
  /** What is still quarantined after replay (waiting for a person). */
  quarantinedAtEnd: readonly QuarantineFact[];
  /** Claims of one request before the poller quarantines it. */
  maxAttempts: number;
}

export const CHAOS_CHECKS = [
  'one-lead-per-valid-request',
  'no-duplicate-leads',
  'right-venue-only',
  'nothing-lost',
  'quarantine-justified',
] as const;

export const normalizeEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase();

export function checkEndState(state: EndState): CheckResult[] {
  const requestKey = (venueId: string, contactId: string) => `${venueId}\u0000${contactId}`;
  const leadsByVenueEmail = new Map<string, LeadFact[]>();
  for (const lead of state.leads) {
    const key = `${lead.venueId}\u0000${normalizeEmail(lead.email)}`;
    leadsByVenueEmail.set(key, [...(leadsByVenueEmail.get(key) ?? []), lead]);
  }
  const leadsOf = (request: FlaggedRequest) =>
    leadsByVenueEmail.get(`${request.venueId}\u0000${normalizeEmail(request.email)}`) ?? [];

  const oneLead: string[] = [];
  for (const request of state.requests.filter((candidate) => candidate.valid)) {
    const n = leadsOf(request).length;
    if (n !== 1) oneLead.push(`${request.name} has ${n} leads in ${request.venueId} (expected 1)`);
  }

  const duplicates: string[] = [];
  for (const leads of leadsByVenueEmail.values()) {
    if (leads.length > 1) {
      const first = leads[0] as LeadFact;
      duplicates.push(
        `${first.venueId}: ${leads.length} leads for ${normalizeEmail(first.email)} (${leads.map((lead) => `#${lead.leadId}`).join(', ')})`,
      );
    }
  }

  const misrouted: string[] = [];
  for (const lead of state.leads) {
    const email = normalizeEmail(lead.email);
    const owners = state.requests.filter((request) => normalizeEmail(request.email) === email);
    const here = owners.find((request) => request.venueId === lead.venueId);
    if (owners.length === 0)
      misrouted.push(`${lead.venueId} lead #${lead.leadId} belongs to no flagged request`);
    else if (!here)
      misrouted.push(
        `${owners[0]?.name} -> ${lead.venueId} (lead #${lead.leadId}), flagged only for ${owners.map((o) => o.venueId).join(', ')}`,
      );
    else if (!here.valid)
      misrouted.push(
        `${here.name} should have been rejected by ${lead.venueId} but got lead #${lead.leadId}`,
      );
  }

  const rejected = new Set(
    state.rejections
      .filter((rejection) => rejection.reason.trim() !== '')
      .map((rejection) => requestKey(rejection.venueId, rejection.contactId)),
  );
  const parked = new Set(
    state.quarantinedAtEnd
      .filter((entry) => entry.reason.trim() !== '')
      .map((entry) => requestKey(entry.venueId, entry.contactId)),
  );
  const lost: string[] = [];
  for (const request of state.requests) {
    const key = requestKey(request.venueId, request.contactId);
    if (leadsOf(request).length > 0 || rejected.has(key) || parked.has(key)) continue;
    lost.push(`${request.name} (${request.venueId}): no lead, no rejection with a reason, not quarantined`);
  }

  const unjustified = state.quarantinedDuringRun
    .filter((entry) => !entry.maybeSent && entry.attempts < state.maxAttempts)
    .map(
      (entry) =>
        `contact ${entry.contactId} (${entry.venueId}) quarantined after ${entry.attempts} of ${state.maxAttempts} ` +
        `attempts with no lead possibly created: ${entry.reason}`,
    );

  const result = (
    name: (typeof CHAOS_CHECKS)[number],
    problems: string[],
    okDetail: string,
  ): CheckResult => ({
    name,
    ok: problems.length === 0,
    detail: problems.length ? problems.join('; ') : okDetail,
  });
  const valid = state.requests.filter((request) => request.valid).length;
  return [
    result('one-lead-per-valid-request', oneLead, `each of ${valid} valid requests is exactly one lead`),
    result('no-duplicate-leads', duplicates, `${state.leads.length} leads, no email twice in one venue`),
    result('right-venue-only', misrouted, 'every lead is in a venue its contact was flagged (and valid) for'),
    result(
      'nothing-lost',
      lost,
      `${state.requests.length} requests: each a lead, a rejection with a reason, or quarantined ` +
        `(${state.quarantinedAtEnd.length} still quarantined)`,
    ),
    result(
      'quarantine-justified',
      unjustified,
      `${state.quarantinedDuringRun.length} quarantined, each with a lead possibly created or attempts exhausted`,
    ),
  ];
}
