export { WebexSimulator } from './simulator';
export { decodeCursor, encodeCursor, type Connection } from './connection';
export { queryCost, type MaxCostExceededBody, type QueryCost } from './cost';
export {
  WEBEX_REDUCED_SCHEMA_PATH,
  WEBEX_SCHEMA_PATH,
  loadWebexSchema,
  webexSchemaPath,
  type WebexSchemaMode,
} from './schema';
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
