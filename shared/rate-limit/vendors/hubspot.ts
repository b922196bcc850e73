/**
 * HubSpot's error body: `{ status, message, category, correlationId }`, and on 429 `policyName`
 * (TEN_SECONDLY_ROLLING, DAILY) or, for search, only a message ("secondly limit").
 * https://developers.hubspot.com/docs/api/usage-details and https://developers.hubspot.com/docs/api/error-handling
 */
import { z } from 'zod';
import type { VendorDetails } from './details';

/** Loose: HubSpot adds fields; we read only these. */
const HubSpotErrorBody = z.looseObject({
  message: z.string().optional(),
  category: z.string().optional(),
  policyName: z.string().optional(),
  errorType: z.string().optional(),
  correlationId: z.string().optional(),
});

export function hubspotErrorDetails(body: unknown): VendorDetails {
  const parsed = HubSpotErrorBody.safeParse(body);
  if (!parsed.success) return {};
  const { message, category, policyName, correlationId } = parsed.data;
  return {
    ...(message !== undefined ? { message } : {}),
    ...(category !== undefined ? { code: category } : {}),
    ...(policyName !== undefined ? { policyName } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
  };
}
