/**
 * The structured log the engines write: one line per decision, with ids and reasons, never tokens or
 * personal data. Powertools' Logger satisfies it; tests and the sandbox pass their own.
 */
export interface DecisionLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLog: DecisionLog = { info: () => {}, warn: () => {}, error: () => {} };
