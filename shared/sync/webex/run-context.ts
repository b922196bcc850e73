/** What the pieces of one Webex sync run share: its dependencies, its report and its log. */
import type { PersonRecord, ReconciliationStore } from '../../reconciliation';
import type { DecisionLog } from '../decision-log';
import type { HubSpotUpsertPort, WebexSourcePort } from '../ports';
import type { ResolvedWebexField } from '../webex-mapper';
import type { SyncWebexOptions, WebexSyncReport } from './report';

/** The reconciliation-table operations the Webex sync uses (ReconciliationStore; fakes in unit tests). */
export type WebexSyncStore = Pick<
  ReconciliationStore,
  | 'acquireLease'
  | 'releaseLease'
  | 'loadCheckpoint'
  | 'saveCheckpoint'
  | 'clearCheckpoint'
  | 'getPeople'
  | 'putPeople'
  | 'putQuarantine'
>;

export type PersonWrite = Omit<PersonRecord, 'pk' | 'sk' | 'updatedAt'>;

export interface WebexRunContext {
  webex: WebexSourcePort;
  hubspot: HubSpotUpsertPort;
  store: WebexSyncStore;
  runId: string;
  remainingMs: () => number;
  log: DecisionLog;
  options: Required<SyncWebexOptions>;
  /** The readable, resolved fields of this run. */
  fields: readonly ResolvedWebexField[];
  report: WebexSyncReport;
}
