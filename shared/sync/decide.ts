/**
 * The one decision core for a venue request: what happens next, given the ledger entry, the contact as
 * read, the mapped lead and what the destination answered. Pure: no I/O, no clock. The poller
 * (pollVenue), the dry run (planVenue) and `venue-sync replay` all call these functions, so a rule is
 * written once and the dry run predicts exactly what a run does.
 */
import { AmbiguousOutcomeError, AuthError, PermanentApiError, isRunStopping } from '../rate-limit/errors';
import type { LedgerEntry, SentSnapshot } from '../reconciliation';
import type { LeadMapResult, TripleseatLead } from './lead-mapper';
import type { Outcome } from './outcome';
import type { ExistingLead } from './ports';

export interface DecisionContext {
  /** Claims of one request before it is quarantined. */
  maxAttempts: number;
  /** Whether the destination can be asked if it already has a lead (Tripleseat OAuth search). */
  canLookUp: boolean;
  /** How the destination is named in reasons. @default 'Tripleseat' */
  destinationName?: string;
  /** Why the destination cannot be asked, for the quarantine reason. @default Tripleseat's (no OAuth token) */
  noLookUpReason?: string;
}

/** The next step for one request. */
export type Step =
  /** Another live run owns it: touch nothing. */
  | { do: 'leave'; why: string }
  /** Decided by an earlier run: write the outcome back (and mark DONE once a created lead's flag is cleared). */
  | { do: 'finish'; outcome: Outcome; markDone: boolean }
  | { do: 'reject'; reason: string }
  | { do: 'quarantine'; reason: string; maybeSent: boolean }
  /** The lead may exist from an earlier attempt: look it up by what was sent before anything else. */
  | { do: 'look-up'; sent: SentSnapshot }
  /** A lookup found this request's lead: record it, no create. */
  | { do: 'record'; leadId: string }
  | { do: 'send'; lead: TripleseatLead }
  /** Keep the request for the next tick; `maybeSent` keeps it SENDING so the next claim looks it up. */
  | { do: 'retry'; error: string; maybeSent: boolean }
  /** Not this record's fault (credentials, daily limit): keep it and stop the run. */
  | { do: 'stop'; error: unknown; maybeSent: boolean };

/** What a marketer reads when a request is parked and nothing was sent. */
export const NOT_SENT_REASON = 'the booking system could not be reached';
/** What a marketer reads when a request is parked and the destination may already have the lead. */
export const MAYBE_SENT_REASON =
  'the booking system may already have this lead; it is being checked before any resend';

/** A request found by the claim (the claim said it exists and is not ours to work on). */
export function decideExisting(entry: LedgerEntry): Step {
  switch (entry.state) {
    case 'CLAIMED':
    case 'SENDING':
      return { do: 'leave', why: `being worked on by run ${entry.claimedBy ?? '?'}` };
    case 'REJECTED':
      return {
        do: 'finish',
        outcome: { kind: 'rejected', reason: entry.reason ?? 'rejected' },
        markDone: false,
      };
    case 'QUARANTINED':
      return {
        do: 'finish',
        outcome: quarantinedOutcome(entry.sendingAt !== undefined),
        markDone: false,
      };
    case 'LEAD_CREATED':
    case 'DONE':
      return {
        do: 'finish',
        outcome: { kind: 'sent', leadId: entry.leadId === 'unknown' ? undefined : entry.leadId },
        markDone: entry.state === 'LEAD_CREATED',
      };
  }
}

/**
 * A request no run has claimed before: sent when the contact maps to a lead, rejected otherwise. (What
 * decideClaimed answers for a new entry; decided before the claim so the claim can carry the intent.)
 */
export function decideNew(mapped: LeadMapResult): Step {
  return mapped.ok ? { do: 'send', lead: mapped.lead } : { do: 'reject', reason: mapped.reason };
}

/** A request this run has just claimed (new, retried, or taken over from a run that died). */
export function decideClaimed(entry: LedgerEntry, mapped: LeadMapResult, ctx: DecisionContext): Step {
  const maybeSent = entry.state === 'SENDING';
  if (entry.attempts > ctx.maxAttempts) {
    const tried = `gave up after ${entry.attempts - 1} attempts (${entry.lastError ?? 'no error recorded'})`;
    return maybeSent
      ? { do: 'quarantine', reason: `${tried}; ${maybeSentAdvice(entry, ctx)}`, maybeSent: true }
      : { do: 'quarantine', reason: `${tried}; no lead was created`, maybeSent: false };
  }
  if (maybeSent) {
    if (entry.sent && ctx.canLookUp) return { do: 'look-up', sent: entry.sent };
    return { do: 'quarantine', reason: maybeSentAdvice(entry, ctx), maybeSent: true };
  }
  return decideNew(mapped);
}

/** After a lookup: the lead it found is this request's, or (none) the request is sent now. */
export function decideAfterLookUp(found: string | undefined, mapped: LeadMapResult): Step {
  if (found) return { do: 'record', leadId: found };
  return decideNew(mapped);
}

/** The lookup failed. It says nothing about this record: keep it (SENDING) and try again later. */
export function decideLookUpFailed(error: unknown, entry: LedgerEntry, ctx: DecisionContext): Step {
  const message = errorText(error);
  if (isRunStopping(error)) return { do: 'stop', error, maybeSent: true };
  if (entry.attempts >= ctx.maxAttempts) {
    return {
      do: 'quarantine',
      reason: `lead lookup failed ${entry.attempts} times (${message}); ${maybeSentAdvice(entry, ctx)}`,
      maybeSent: true,
    };
  }
  return { do: 'retry', error: `lead lookup before re-sending failed: ${message}`, maybeSent: true };
}

/** The create call failed: what its error proves about whether a lead exists decides the next step. */
export function decideSendFailed(error: unknown, entry: LedgerEntry, ctx: DecisionContext): Step {
  const message = errorText(error);
  if (error instanceof AmbiguousOutcomeError || !(error instanceof Error) || !isApiError(error)) {
    // The request may have been processed: look it up next tick, or park it for a person to check.
    if (ctx.canLookUp && entry.attempts < ctx.maxAttempts) {
      return { do: 'retry', error: `answer lost: ${message}`, maybeSent: true };
    }
    return {
      do: 'quarantine',
      reason: `the answer to the create call was lost (${message}); ${maybeSentAdvice(entry, ctx)}`,
      maybeSent: true,
    };
  }
  if (error instanceof PermanentApiError) {
    const name = destinationName(ctx);
    const prefix = `${name} rejected the lead: `;
    const reason = message.startsWith(prefix) ? `${name}: ${message.slice(prefix.length)}` : message;
    return { do: 'reject', reason };
  }
  if (error instanceof AuthError || isRunStopping(error)) return { do: 'stop', error, maybeSent: false };
  // Turned away (429, 503, connection refused): nothing was created.
  if (entry.attempts >= ctx.maxAttempts) {
    return {
      do: 'quarantine',
      reason: `${destinationName(ctx)} failed ${entry.attempts} times (${message}); no lead was created`,
      maybeSent: false,
    };
  }
  return { do: 'retry', error: message, maybeSent: false };
}

/**
 * Which of the leads a lookup returned is this request's: the email that was sent, created no earlier
 * than the tick (a zone-less time widens that window), not already the lead of another request, and
 * agreeing on name and phone where the lead has them. Undefined when none qualifies.
 */
export function matchEarlierLead(
  leads: readonly ExistingLead[],
  sent: SentSnapshot,
  flagSetAtMs: number,
  leadsOfOtherRequests: ReadonlySet<string>,
): string | undefined {
  const same = (a: string | undefined, b: string | undefined, norm: (v: string) => string) =>
    a === undefined || b === undefined || a.trim() === '' || b.trim() === '' || norm(a) === norm(b);
  const text = (value: string) => value.trim().toLowerCase();
  const digits = (value: string) => value.replace(/\D/g, '').slice(-9);
  const candidates = leads.filter(
    (lead) =>
      text(lead.email) === text(sent.email) &&
      !leadsOfOtherRequests.has(lead.id) &&
      lead.createdWindow !== undefined &&
      lead.createdWindow.latestMs >= flagSetAtMs &&
      same(lead.firstName, sent.firstName, text) &&
      same(lead.lastName, sent.lastName, text) &&
      same(lead.phone, sent.phone, digits),
  );
  // Several could qualify (a zone-less time is vague): the earliest created is the first attempt's.
  candidates.sort((a, b) => (a.createdWindow?.earliestMs ?? 0) - (b.createdWindow?.earliestMs ?? 0));
  return candidates[0]?.id;
}

/** What a create call carries that identifies the person, kept on the ledger entry (SENDING). */
export function sentSnapshotOf(lead: TripleseatLead): SentSnapshot {
  return {
    email: lead.email_address,
    ...(lead.first_name ? { firstName: lead.first_name } : {}),
    ...(lead.last_name ? { lastName: lead.last_name } : {}),
    ...(lead.phone_number ? { phone: lead.phone_number } : {}),
  };
}

export function quarantinedOutcome(maybeSent: boolean): Outcome {
  return { kind: 'quarantined', reason: maybeSent ? MAYBE_SENT_REASON : NOT_SENT_REASON };
}

/** The outcome written back for a step that ends the request. */
export function outcomeOf(step: Step): Outcome | undefined {
  switch (step.do) {
    case 'reject':
      return { kind: 'rejected', reason: step.reason };
    case 'quarantine':
      return quarantinedOutcome(step.maybeSent);
    case 'record':
      return { kind: 'sent', leadId: step.leadId === 'unknown' ? undefined : step.leadId };
    case 'finish':
      return step.outcome;
    default:
      return undefined;
  }
}

function maybeSentAdvice(entry: Pick<LedgerEntry, 'contactId'>, ctx: DecisionContext): string {
  const why = ctx.canLookUp
    ? ''
    : `${ctx.noLookUpReason ?? 'this venue has no OAuth token to look it up'}, so `;
  return (
    `${why}a lead may already exist: check ${destinationName(ctx)} for contact ${entry.contactId} before replaying ` +
    '(replay with --checked-tripleseat once you have confirmed there is none)'
  );
}

function destinationName(ctx: DecisionContext): string {
  return ctx.destinationName ?? 'Tripleseat';
}

function isApiError(error: Error): boolean {
  return 'api' in error;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
