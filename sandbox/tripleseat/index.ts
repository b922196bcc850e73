export { TripleseatSimulator } from './simulator';
export { LEADS_PAGE_SIZE, type LeadPage } from './lead-store';
export type {
  LeadErrors,
  TripleseatAccountConfig,
  TripleseatLead,
  TripleseatSimulatorOptions,
} from './types';
