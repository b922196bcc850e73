/**
 * The ledger state machine of one flag-set event (DESIGN.md section 5). Pure data: the store turns
 * each allowed transition into a DynamoDB condition, so an illegal move is refused by the database,
 * not by a read-then-write that a concurrent runner could race.
 *
 *   CLAIMED ──lead created──▶ LEAD_CREATED ──flag cleared──▶ DONE
 *      │  ╰──cannot be a lead──▶ REJECTED
 *      │  ╰──attempts exhausted──▶ QUARANTINED ──replay──▶ CLAIMED
 *      ╰──temporary failure (released, attempts+1)──▶ CLAIMED
 */
export const LEDGER_STATES = ['CLAIMED', 'LEAD_CREATED', 'DONE', 'REJECTED', 'QUARANTINED'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

export const LEGAL_TRANSITIONS: Readonly<Record<LedgerState, readonly LedgerState[]>> = {
  CLAIMED: ['CLAIMED', 'LEAD_CREATED', 'REJECTED', 'QUARANTINED'],
  LEAD_CREATED: ['DONE'],
  QUARANTINED: ['CLAIMED'],
  DONE: [],
  REJECTED: [],
};

/** States a transition into `to` may start from. */
export function allowedSources(to: LedgerState): LedgerState[] {
  return LEDGER_STATES.filter((from) => LEGAL_TRANSITIONS[from].includes(to));
}

export function isTerminal(state: LedgerState): boolean {
  return LEGAL_TRANSITIONS[state].length === 0;
}
