export { TripleseatSimulator } from './simulator';
export { LEADS_PAGE_SIZE, renderTimestamp, type LeadPage } from './lead-store';
export type { OAuthServerStats } from './oauth-server';
export type {
  CreatedAtRendering,
  LeadErrors,
  TripleseatAccountConfig,
  TripleseatLead,
  TripleseatSimulatorOptions,
} from './types';
