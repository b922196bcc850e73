/**
 * Tripleseat's error body: `{ errors: { field: [messages] } }`, `{ errors: [messages] }`, or `{ error }`.
 * https://support.tripleseat.com/hc/en-us/articles/205162108-Tripleseat-API
 */
import { z } from 'zod';
import type { VendorDetails } from './details';

const TripleseatErrorBody = z.looseObject({
  error: z.string().optional(),
  errors: z.union([z.record(z.string(), z.array(z.string())), z.array(z.string())]).optional(),
});

export function tripleseatErrorDetails(body: unknown): VendorDetails {
  const parsed = TripleseatErrorBody.safeParse(body);
  if (!parsed.success) return {};
  const { error, errors } = parsed.data;
  const listed = Array.isArray(errors)
    ? errors.join('; ')
    : errors
      ? Object.entries(errors)
          .map(([field, messages]) => `${field} ${messages.join(', ')}`)
          .join('; ')
      : undefined;
  const message = listed ?? error;
  return message !== undefined ? { message } : {};
}
