/**
 * Carries one venue request through the decision core (decide.ts) with the I/O each step needs: the
 * ledger's conditional writes and the destination's calls. The poller and `venue-sync replay` both run
 * requests through here; neither re-implements a rule.
 *
 * Order of writes, and why it is crash-safe: the claim comes first; the intent (SENDING, with what is
 * sent) is written just before the create call; the lead id is recorded before HubSpot is touched again.
 * A run that dies anywhere leaves an entry that tells the next run whether the lead may exist. A new
 * request that maps to a lead is claimed with its intent in one write: its first step is the send.
 */
import {
  IllegalTransitionError,
  keys,
  type LedgerEntry,
  type LedgerKey,
  type ReconciliationStore,
} from '../reconciliation';
import { LedgerEntrySchema } from '../reconciliation/records';
import type { DecisionLog } from './decision-log';
import {
  decideAfterLookUp,
  decideClaimed,
  decideExisting,
  decideLookUpFailed,
  decideNew,
  decideSendFailed,
  matchEarlierLead,
  outcomeOf,
  sentSnapshotOf,
  type DecisionContext,
  type Step,
} from './decide';
import type { LeadMapResult } from './lead-mapper';
import type { Outcome } from './outcome';
import type { TripleseatPort } from './ports';

/**
 * Step boundaries, observable for logs and for crash-injection tests. `claimed` is a claim that did not
 * also record the intent (a retry, a takeover, a contact that cannot be a lead); `sending` follows the
 * intent's write, whether the claim or markSending made it.
 */
export type PollStep = 'claimed' | 'sending' | 'lead-created' | 'lead-recorded' | 'flags-cleared';

export interface RequestRunnerDeps {
  store: ReconciliationStore;
  destination: TripleseatPort;
  runId: string;
  /** How long a claim is shown as held (informational; a claim lives as long as the run's lease). */
  claimTtlMs: number;
  decisions: DecisionContext;
  log: DecisionLog;
  onStep?: (step: PollStep, contactId: string) => void | Promise<void>;
  /** Every step decided for a request, in order (the dry-run parity test and the live view use it). */
  onDecision?: (key: LedgerKey, step: Step) => void;
  /** Lead id -> request, for Tripleseat's outcome deliveries (shared/reconciliation/lead-index.ts). */
  leadIndex?: LeadIndexPort;
  /**
   * The caller indexes the leads this runner creates (`newLead` results), in batches, before it writes
   * HubSpot (the poller). The runner then indexes only leads found by lookup or found recorded.
   */
  newLeadsIndexedByCaller?: boolean;
}

export interface LeadIndexPort {
  /** Refused (LeadIndexConflictError) when another request has the lead id. */
  recordLead(key: LedgerKey, leadId: string): Promise<void>;
  /** Leads just created (new ids): written in batches, without a condition. */
  recordNewLeads(leads: ReadonlyArray<{ key: LedgerKey; leadId: string }>): Promise<void>;
}

export type RequestResult =
  /**
   * The request ended (or was already ended): write this outcome back; DONE follows the write when
   * `markDone`, from `entry` (the LEAD_CREATED entry as it stands).
   */
  | {
      kind: 'finished';
      outcome: Outcome;
      markDone: boolean;
      entry: LedgerEntry;
      /** This run created the lead (not found by lookup, not recorded earlier). */
      newLead: boolean;
      resumed: boolean;
      created: boolean;
      last: Step['do'];
    }
  /** Kept for a later tick (temporary failure). */
  | { kind: 'retry' }
  /** Another run owns it, or it was taken over from this run. */
  | { kind: 'left' };

export class RequestRunner {
  constructor(private readonly deps: RequestRunnerDeps) {}

  /**
   * Claims the request and drives it until it ends or is kept for later. `mapped` is the contact mapped
   * to a lead as it reads now (a lookup searches by what an earlier attempt sent, not by this).
   */
  async run(key: LedgerKey, mapped: LeadMapResult): Promise<RequestResult> {
    const { store, runId } = this.deps;
    // What the request does if it is new, decided before the claim so the claim can carry the intent.
    const ifNew = decideNew(mapped);
    const intent = ifNew.do === 'send' ? { intent: sentSnapshotOf(ifNew.lead) } : {};
    const claim = await store.claim(key, runId, this.deps.claimTtlMs, intent);
    if (claim.outcome === 'exists') {
      const step = this.decided(key, decideExisting(claim.entry));
      if (step.do !== 'finish') return { kind: 'left' };
      // A run that stopped before its DONE may not have indexed its lead either.
      if (step.markDone && claim.entry.leadId) {
        await this.deps.leadIndex?.recordLead(key, claim.entry.leadId);
      }
      return {
        kind: 'finished',
        outcome: step.outcome,
        markDone: step.markDone,
        entry: claim.entry,
        newLead: false,
        resumed: true,
        created: false,
        last: 'finish',
      };
    }
    if (!claim.intentWritten) await this.deps.onStep?.('claimed', key.contactId);
    try {
      return await this.drive(key, claim, mapped, claim.resumed ? undefined : ifNew);
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      // Our claim was taken over (this run lost its lease): the new owner decides; we must not.
      this.deps.log.warn('request taken over by another run; leaving it', {
        venueId: key.venueId,
        contactId: key.contactId,
        state: error.current,
      });
      return { kind: 'left' };
    }
  }

  /** `newStep`: the request is new and this is its first step (its intent is on the entry when it sends). */
  private async drive(
    key: LedgerKey,
    claim: { entry: LedgerEntry; intentWritten: boolean },
    mapped: LeadMapResult,
    newStep: Step | undefined,
  ): Promise<RequestResult> {
    const { store, runId, destination, decisions } = this.deps;
    let entry = claim.entry;
    let intentWritten = claim.intentWritten;
    let step = this.decided(key, newStep ?? decideClaimed(entry, mapped, decisions));
    for (;;) {
      switch (step.do) {
        case 'look-up': {
          let found: string | undefined;
          try {
            found = await this.lookUp(key, step.sent);
          } catch (error) {
            step = this.decided(key, decideLookUpFailed(error, entry, decisions));
            continue;
          }
          if (found) {
            this.deps.log.info(
              'lead already at the destination from an earlier attempt; not creating another',
              {
                venueId: key.venueId,
                contactId: key.contactId,
                leadId: found,
              },
            );
          }
          step = this.decided(key, decideAfterLookUp(found, mapped));
          continue;
        }
        case 'record':
          entry = await store.markLeadCreated(key, runId, step.leadId);
          await this.deps.leadIndex?.recordLead(key, step.leadId);
          return this.finished(step, entry, true, true);
        case 'send': {
          if (!intentWritten) entry = await store.markSending(key, runId, sentSnapshotOf(step.lead));
          intentWritten = false;
          await this.deps.onStep?.('sending', key.contactId);
          let leadId: string | undefined;
          try {
            leadId = (await destination.createLead(step.lead, { key })).leadId;
          } catch (error) {
            step = this.decided(key, decideSendFailed(error, entry, decisions));
            continue;
          }
          await this.deps.onStep?.('lead-created', key.contactId);
          entry = await this.recordCreated(key, leadId);
          await this.deps.onStep?.('lead-recorded', key.contactId);
          this.deps.log.info('lead created', {
            venueId: key.venueId,
            contactId: key.contactId,
            flagSetAt: key.flagSetAt,
            leadId,
          });
          return this.finished({ do: 'record', leadId: leadId ?? 'unknown' }, entry, true, true, 'send');
        }
        case 'reject':
          entry = await store.reject(key, runId, step.reason);
          this.deps.log.info('request rejected', {
            venueId: key.venueId,
            contactId: key.contactId,
            reason: step.reason,
          });
          return this.finished(step, entry, false, false);
        case 'quarantine':
          entry = await store.quarantineLedger(key, runId, step.reason, { maybeSent: step.maybeSent });
          this.deps.log.error('request quarantined for replay', {
            venueId: key.venueId,
            contactId: key.contactId,
            maybeSent: step.maybeSent,
            reason: step.reason,
          });
          return this.finished(step, entry, false, false);
        case 'retry':
          await store.releaseForRetry(key, runId, step.error, { maybeSent: step.maybeSent });
          this.deps.log.warn('temporary failure; will retry next tick', {
            venueId: key.venueId,
            contactId: key.contactId,
            attempt: entry.attempts,
            maybeSent: step.maybeSent,
            error: step.error,
          });
          return { kind: 'retry' };
        case 'stop':
          await store.releaseForRetry(key, runId, errorText(step.error), { maybeSent: step.maybeSent });
          throw step.error;
        case 'leave':
        case 'finish':
          // decideClaimed never answers these for a request this run holds.
          throw new Error(`unexpected step '${step.do}' for a claimed request`);
      }
    }
  }

  /** The lead id is recorded before HubSpot is touched; if this run lost the claim meanwhile, say where the lead is. */
  private async recordCreated(key: LedgerKey, leadId: string | undefined): Promise<LedgerEntry> {
    try {
      const entry = await this.deps.store.markLeadCreated(key, this.deps.runId, leadId ?? 'unknown');
      if (leadId && !this.deps.newLeadsIndexedByCaller) await this.deps.leadIndex?.recordLead(key, leadId);
      return entry;
    } catch (error) {
      if (error instanceof IllegalTransitionError) {
        this.deps.log.error('lead created after this run lost its claim; the new owner finds it by lookup', {
          venueId: key.venueId,
          contactId: key.contactId,
          leadId,
        });
      }
      throw error;
    }
  }

  /** Looks the lead up by what was sent; leads the ledger gives to this contact's other requests are excluded. */
  private async lookUp(key: LedgerKey, sent: NonNullable<LedgerEntry['sent']>): Promise<string | undefined> {
    const find = this.deps.destination.findLeadsByEmail?.bind(this.deps.destination);
    if (!find) return undefined;
    const leads = await find(sent.email);
    const others = await this.leadsOfOtherRequests(key);
    return matchEarlierLead(leads, sent, Date.parse(key.flagSetAt), others);
  }

  private async leadsOfOtherRequests(key: LedgerKey): Promise<Set<string>> {
    const ownSk = keys.ledger(key.contactId, key.flagSetAt);
    const leadIds = new Set<string>();
    for (const record of await this.deps.store.recordsForContact(key.contactId)) {
      const entry = LedgerEntrySchema.safeParse(record);
      if (!entry.success || entry.data.venueId !== key.venueId || entry.data.sk === ownSk) continue;
      if (entry.data.leadId && entry.data.leadId !== 'unknown') leadIds.add(entry.data.leadId);
    }
    return leadIds;
  }

  private decided(key: LedgerKey, step: Step): Step {
    this.deps.onDecision?.(key, step);
    return step;
  }

  /** `created`: the request's lead exists now (made or found by this run); `last === 'send'`: made by it. */
  private finished(
    step: Step,
    entry: LedgerEntry,
    markDone: boolean,
    created: boolean,
    last: Step['do'] = step.do,
  ): RequestResult {
    const outcome = outcomeOf(step);
    if (!outcome) throw new Error(`step '${step.do}' has no outcome`);
    const newLead = last === 'send';
    return { kind: 'finished', outcome, markDone, entry, newLead, resumed: false, created, last };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
