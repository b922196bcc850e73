/**
 * Webex Events' transport-level error: `{ message, extensions: { code, availableCost,
 * dailyAvailableCost, referenceId } }`; a 429 with `dailyAvailableCost < 1` is the daily quota.
 * https://developer.webex.com/webex-events/docs/api-rate-limits
 */
import { z } from 'zod';
import type { VendorDetails } from './details';

const WebexErrorBody = z.looseObject({
  message: z.string().optional(),
  extensions: z
    .looseObject({
      code: z.string().optional(),
      availableCost: z.number().optional(),
      dailyAvailableCost: z.number().optional(),
      referenceId: z.string().optional(),
    })
    .optional(),
});

export function webexErrorDetails(body: unknown): VendorDetails {
  const parsed = WebexErrorBody.safeParse(body);
  if (!parsed.success) return {};
  const { message, extensions } = parsed.data;
  return {
    ...(message !== undefined ? { message } : {}),
    ...(extensions?.code !== undefined ? { code: extensions.code } : {}),
    ...(extensions?.referenceId !== undefined ? { correlationId: extensions.referenceId } : {}),
    ...(extensions?.availableCost !== undefined ? { webexAvailableCost: extensions.availableCost } : {}),
    ...(extensions?.dailyAvailableCost !== undefined
      ? { webexDailyAvailableCost: extensions.dailyAvailableCost }
      : {}),
  };
}
