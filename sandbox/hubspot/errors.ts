/**
 * HubSpot's error body (HubSpot's error-handling guide): `{status:"error", message, correlationId, category, ...}`.
 * Route handlers throw `HubSpotApiError`; the router turns it into a JSON response with the
 * simulator's deterministic correlation id.
 */

export type ErrorCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'CONFLICT'
  | 'OBJECT_ALREADY_EXISTS'
  | 'INVALID_AUTHENTICATION'
  | 'MISSING_SCOPES'
  | 'RATE_LIMITS'
  | 'RESOURCE_NOT_FOUND';

export class HubSpotApiError extends Error {
  override readonly name = 'HubSpotApiError';

  constructor(
    readonly status: number,
    readonly category: ErrorCategory,
    message: string,
    /** Extra fields merged into the body (`context`, `subCategory`, `errors`, `links`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toBody(correlationId: string): Record<string, unknown> {
    return { status: 'error', message: this.message, correlationId, ...this.extra, category: this.category };
  }
}

/** One validation problem inside "Property values were not valid: [...]". */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error:
    | 'PROPERTY_DOESNT_EXIST'
    | 'INVALID_OPTION'
    | 'READ_ONLY_VALUE'
    | 'INVALID_BOOLEAN'
    | 'INVALID_LONG'
    | 'INVALID_DATE'
    | 'INVALID_DATETIME'
    | 'INVALID_TYPE';
  name: string;
  localizedErrorMessage: string;
}

export function propertyValuesError(problems: PropertyValueError[]): HubSpotApiError {
  return new HubSpotApiError(
    400,
    'VALIDATION_ERROR',
    `Property values were not valid: ${JSON.stringify(problems)}`,
  );
}

export function validationError(message: string, extra: Record<string, unknown> = {}): HubSpotApiError {
  return new HubSpotApiError(400, 'VALIDATION_ERROR', message, extra);
}

/** The observed 404 for an unknown contact id (note HubSpot's double space). */
export function objectNotFound(id: string): HubSpotApiError {
  return new HubSpotApiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  });
}

/** A batch's per-input error (StandardError in the spec), collected into `errors[]` of a 207. */
export interface StandardError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
  links: Record<string, string>;
  subCategory?: string;
}

export function standardError(
  category: string,
  message: string,
  context: Record<string, string[]> = {},
  subCategory?: string,
): StandardError {
  return {
    status: 'error',
    category,
    message,
    context,
    errors: [],
    links: {},
    ...(subCategory ? { subCategory } : {}),
  };
}
