/**
 * The handlers' environment contract (docs/design.md section 3), parsed with zod at cold start so a
 * misconfigured function fails with one message naming every bad variable.
 */
import { z } from 'zod';
import { FieldMapSchema, WritebackMapSchema } from '../config/app-config';
import { DestinationConfigSchema } from '../config/destination';

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx): z.infer<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return parsed.data;
  });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Credentials: deployed from SECRET_ARN, locally straight from the environment. */
export const CredentialSourceSchema = z.object({
  SECRET_ARN: optionalText,
  HUBSPOT_TOKEN: optionalText,
  TRIPLESEAT_PUBLIC_KEY: optionalText,
  TRIPLESEAT_OAUTH_TOKEN: optionalText,
  TRIPLESEAT_CLIENT_ID: optionalText,
  TRIPLESEAT_CLIENT_SECRET: optionalText,
  TRIPLESEAT_REFRESH_TOKEN: optionalText,
  WEBEX_TOKEN: optionalText,
  HUBSPOT_APP_SECRET: optionalText,
  /** Locally: the venue's Tripleseat webhook signing secret (deployed: `tripleseatWebhookSecret`). */
  TRIPLESEAT_WEBHOOK_SECRET: optionalText,
  /** Locally: the `destination` object of the venue's secret (JSON), for a non-Tripleseat destination. */
  DESTINATION_SECRETS: jsonOf(z.record(z.string(), z.string())).optional(),
});

const CommonEnvSchema = CredentialSourceSchema.extend({
  TABLE_NAME: z.string().min(1),
  HUBSPOT_BASE_URL: z.url().default('https://api.hubapi.com'),
  HUBSPOT_TEN_SECOND_LIMIT: z.coerce.number().int().positive().default(100),
  HUBSPOT_DAILY_LIMIT: z.coerce.number().int().positive().default(250_000),
  /** Identifies the HubSpot portal whose budget every function shares. */
  HUBSPOT_PORTAL_KEY: z.string().min(1).default('default'),
  AWS_ENDPOINT_URL_DYNAMODB: optionalText,
  AWS_REGION: optionalText,
  /** Sandbox and bench only: API time runs this many times faster than wall time. */
  VENUE_SYNC_TIME_SCALE: z.coerce.number().positive().default(1),
});

export const PollerEnvSchema = CommonEnvSchema.extend({
  VENUE_ID: z.string().min(1),
  SYNC_FLAG_LABEL: z.string().min(1),
  FIELD_MAP: jsonOf(FieldMapSchema),
  WRITEBACK_MAP: jsonOf(WritebackMapSchema).optional(),
  TRIPLESEAT_LEAD_FORM_ID: optionalText,
  TRIPLESEAT_LOCATION_ID: optionalText,
  TRIPLESEAT_BASE_URI: z.url().default('https://api.tripleseat.com'),
  /** JSON array: every other venue's syncFlagLabel, so this venue refuses a checkbox one of them names. */
  OTHER_VENUE_FLAG_LABELS: jsonOf(z.array(z.string().min(1))).optional(),
  /** JSON: the venue's lead destination (shared/config/destination.ts); absent means Tripleseat. */
  DESTINATION: jsonOf(DestinationConfigSchema).optional(),
  /** Sandbox only: the destination's URLs are sent to this scheme, host and port instead. */
  DESTINATION_BASE_URL: z.url().optional(),
});
export type PollerEnv = z.infer<typeof PollerEnvSchema>;

export const WebexEnvSchema = CommonEnvSchema.extend({
  WEBEX_EVENT_IDS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const ids = text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
        .map(Number);
      if (ids.some((id) => !Number.isInteger(id) || id <= 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated positive integers' });
      }
      return ids;
    }),
  WEBEX_FIELD_MAP: jsonOf(z.record(z.string().min(1), z.string().min(1))),
  /** Overrides the endpoint chosen by token (sk_live_ -> live host, others -> sandbox host). */
  WEBEX_API_URL: z.url().optional(),
});
export type WebexEnv = z.infer<typeof WebexEnvSchema>;

export const WebhookEnvSchema = CredentialSourceSchema.extend({
  VENUE_POLLERS: jsonOf(
    z.record(z.string().min(1), z.object({ flagLabel: z.string().min(1), functionName: z.string().min(1) })),
  ),
  AWS_ENDPOINT_URL_LAMBDA: optionalText,
});
export type WebhookEnv = z.infer<typeof WebhookEnvSchema>;

/** A venue's Tripleseat webhook receiver and its nightly lead reconcile (docs/lead-outcomes.md). */
export const LeadOutcomeEnvSchema = CommonEnvSchema.extend({
  VENUE_ID: z.string().min(1),
  WRITEBACK_MAP: jsonOf(WritebackMapSchema).optional(),
  TRIPLESEAT_BASE_URI: z.url().default('https://api.tripleseat.com'),
  /** Reconcile: how far back its first run looks, hours. @default 48 */
  LEAD_RECONCILE_FIRST_LOOKBACK_HOURS: z.coerce.number().positive().default(48),
});
export type LeadOutcomeEnv = z.infer<typeof LeadOutcomeEnvSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
  who: string,
): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new EnvError(`${who} is misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
