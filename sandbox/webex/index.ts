export { WebexSimulator } from './simulator';
export { decodeCursor, encodeCursor, type Connection } from './connection';
export { queryCost, type MaxCostExceededBody, type QueryCost } from './cost';
export { WEBEX_SCHEMA_PATH, loadWebexSchema } from './schema';
export type {
  RegistrationStatus,
  RolledId,
  WebexAttendee,
  WebexAttendeeInput,
  WebexEvent,
  WebexEventInput,
  WebexGroup,
  WebexProfile,
  WebexSimulatorOptions,
} from './types';
