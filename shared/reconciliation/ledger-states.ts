/**
 * The ledger state machine of one flag-set event (docs/design.md section 5). Pure data: the store turns
 * each allowed transition into a DynamoDB condition, so an illegal move is refused by the database,
 * not by a read-then-write that a concurrent runner could race.
 *
 *   (new request that maps to a lead: claimed with its intent, created SENDING)
 *   CLAIMED ──intent recorded──▶ SENDING ──lead created──▶ LEAD_CREATED ──flag cleared──▶ DONE
 *      │                            │ ╰──answer lost: looked up next claim (stays SENDING, released)
 *      │                            │ ╰──turned away, nothing created (released) ──▶ CLAIMED
 *      │                            ╰──refused for good / lost with no lookup ──▶ REJECTED / QUARANTINED
 *      ├──cannot be a lead──▶ REJECTED
 *      ├──attempts exhausted──▶ QUARANTINED ──replay──▶ CLAIMED (never sent) or SENDING (may be sent)
 *      ╰──temporary failure before sending (released, attempts+1 on the next claim)──▶ CLAIMED
 *
 * SENDING is the intent written just before the create call: a request found in SENDING may have
 * reached the destination, so it is looked up (or quarantined for a person to check), never re-sent
 * blindly. A request found in CLAIMED was never sent and is simply retried.
 */
export const LEDGER_STATES = [
  'CLAIMED',
  'SENDING',
  'LEAD_CREATED',
  'DONE',
  'REJECTED',
  'QUARANTINED',
] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

export const LEGAL_TRANSITIONS: Readonly<Record<LedgerState, readonly LedgerState[]>> = {
  CLAIMED: ['CLAIMED', 'SENDING', 'REJECTED', 'QUARANTINED'],
  SENDING: ['SENDING', 'CLAIMED', 'LEAD_CREATED', 'REJECTED', 'QUARANTINED'],
  LEAD_CREATED: ['DONE'],
  QUARANTINED: ['CLAIMED', 'SENDING'],
  DONE: [],
  REJECTED: [],
};

/** States in which a request is owned by a run (its claim); a run holding the venue lease may take them over. */
export const IN_FLIGHT_STATES: readonly LedgerState[] = ['CLAIMED', 'SENDING'];

/** States a transition into `to` may start from. */
export function allowedSources(to: LedgerState): LedgerState[] {
  return LEDGER_STATES.filter((from) => LEGAL_TRANSITIONS[from].includes(to));
}
