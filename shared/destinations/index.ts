/** Lead destinations other than Tripleseat: configuration-driven HTTP (see http-destination.ts). */
export {
  HttpDestination,
  DEFAULT_IDEMPOTENCY_HEADER,
  type CreatePreview,
  type HttpDestinationOptions,
} from './http-destination';
export { idempotencyKeyOf } from './idempotency';
export { classifyCreateAnswer, type CreateAnswer } from './classify';
export { renderBody } from './template';
export { leadFields } from './fields';
export { authSecretFields, DestinationCredentialsError } from './auth';
export { parseJsonPath, readJsonPath } from './json-path';
