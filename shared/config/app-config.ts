/**
 * The typed configuration of a venue-sync deployment: the venues (stack props) and the Webex sync.
 * The CDK app validates it at synth time; the CLI and the sandbox read the same shape.
 * Only types and pure validation live here, so lib/ can import it without pulling runtime code.
 */
import { z } from 'zod';
import { normalizeLabel } from '../schema/normalize';
import { isWebexField, WEBEX_FIELDS } from '../webex/fields';
import { DestinationConfigSchema } from './destination';
import { CONFIG_RULES } from './rules';
import { REQUIRED_LEAD_FIELDS, TRIPLESEAT_LEAD_FIELDS } from './tripleseat-fields';

const VENUE_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Tripleseat lead field -> HubSpot property label; additional_information may collect several labels. */
export const FieldMapSchema = z.record(
  z.string(),
  z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
);
export type FieldMap = z.infer<typeof FieldMapSchema>;

export const WritebackMapSchema = z
  .object({
    status: z.string().min(1).optional(),
    leadId: z.string().min(1).optional(),
    syncedAt: z.string().min(1).optional(),
    /** Lead outcomes from Tripleseat webhooks (docs/lead-outcomes.md): stage text, e.g. "Booked". */
    outcome: z.string().min(1).optional(),
    eventDate: z.string().min(1).optional(),
    lostReason: z.string().min(1).optional(),
    bookingLink: z.string().min(1).optional(),
    outcomeUpdatedAt: z.string().min(1).optional(),
  })
  .strict();
export type WritebackMap = z.infer<typeof WritebackMapSchema>;

export const VenueConfigSchema = z
  .object({
    /** Stable id, used in resource names and as the table partition `VENUE#<id>`. */
    id: z.string().regex(VENUE_ID, 'lowercase letters, digits and dashes, 1-40 characters'),
    displayName: z.string().min(1),
    /** Label of the venue's HubSpot checkbox, e.g. "Tripleseat Sync - Venue A". */
    syncFlagLabel: z.string().min(1),
    fieldMap: FieldMapSchema,
    /** Secrets Manager secret holding this venue's credentials (JSON, see docs/design.md section 3). */
    secretName: z.string().min(1),
    tripleseatLocationId: z.string().min(1).optional(),
    tripleseatLeadFormId: z.string().min(1).optional(),
    /** Contact properties the poller writes after a decision; `status` is required (see below). */
    writeBack: WritebackMapSchema.optional(),
    /**
     * The one way to run a venue without `writeBack.status`: the reason, e.g. 'pilot venue, marketers
     * check Tripleseat directly'. Synth then prints a warning, because marketers see nothing on the contact.
     */
    statusWriteBackOptOut: z.string().min(1).optional(),
    /** Poll interval in minutes. @default 5 */
    scheduleMinutes: z.number().int().min(1).max(60).optional(),
    /** Whether the venue's schedule runs. @default false (a new venue stays paused until doctor passes) */
    enabled: z.boolean().optional(),
    /** Where leads go: { type: 'tripleseat' } (the default) or another platform's HTTP API (docs/adding-a-venue-on-another-platform.md). */
    destination: DestinationConfigSchema.optional(),
    /** Tripleseat site id: lets `doctor` read the venue's webhook endpoints (docs/lead-outcomes.md). */
    tripleseatSiteId: z.string().min(1).optional(),
    /** UTC hour of the nightly lead reconcile; set it only for a venue with Tripleseat OAuth. @default - none */
    leadReconcileHour: z.number().int().min(0).max(23).optional(),
  })
  .strict();
export type VenueConfig = z.infer<typeof VenueConfigSchema>;

export const WebexConfigSchema = z
  .object({
    /** Webex event ids to sync; empty means every event the token can see. */
    eventIds: z.array(z.number().int().positive()),
    /** HubSpot property label -> Webex field or derived value (see shared/webex/fields.ts). */
    fieldMap: z.record(z.string().min(1), z.string().min(1)),
    secretName: z.string().min(1),
    /** @default 15 */
    scheduleMinutes: z.number().int().min(1).max(60).optional(),
  })
  .strict();
export type WebexConfig = z.infer<typeof WebexConfigSchema>;

export const AppConfigSchema = z
  .object({
    venues: z.array(VenueConfigSchema).min(1),
    webex: WebexConfigSchema.optional(),
    /** Secret holding the HubSpot app secret for webhook signatures; omit to deploy no webhook. */
    webhookSecretName: z.string().min(1).optional(),
    /** HubSpot burst limit per 10 s of the private app (100 Starter, 190 Professional/Enterprise). */
    hubspotTenSecondLimit: z.union([z.literal(100), z.literal(190), z.literal(250)]).default(100),
    /** HubSpot daily call budget of the portal. */
    hubspotDailyLimit: z.number().int().positive().default(250_000),
    /** E-mail addresses subscribed to the alarm topic (each confirms by e-mail). @default - none */
    alarmEmails: z.array(z.email()).optional(),
    /** An existing SNS topic (e.g. a chat channel's) every alarm also notifies; same region. */
    alarmTopicArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'an SNS topic ARN')
      .optional(),
  })
  .strict();
export type AppConfig = z.infer<typeof AppConfigSchema>;
export type AppConfigInput = z.input<typeof AppConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(
      `venue-sync configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** A valid config and what it accepted with a warning (e.g. a venue that opted out of status write-back). */
export interface CheckedAppConfig {
  readonly config: AppConfig;
  readonly warnings: readonly string[];
}

/**
 * Parses and cross-checks the config, then runs every rule in `./rules`; throws ONE ConfigError listing
 * every problem with its venue and field. Warnings come back with the config, for the caller to print.
 */
export function checkAppConfig(input: unknown): CheckedAppConfig {
  const parsed = AppConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(input, issue)));
  }
  const findings = CONFIG_RULES.flatMap((rule) => rule(parsed.data));
  const problems = [
    ...crossCheck(parsed.data),
    ...findings.filter((finding) => finding.severity === 'error').map((finding) => finding.message),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const warnings = findings.filter((finding) => finding.severity === 'warning').map((f) => f.message);
  return { config: parsed.data, warnings };
}

/** `checkAppConfig` for callers that do not print warnings (the stack, the CLI, tests). */
export function validateAppConfig(input: unknown): AppConfig {
  return checkAppConfig(input).config;
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  let where = path.join('.') || '(root)';
  if (path[0] === 'venues' && typeof path[1] === 'number') {
    const venues = (input as { venues?: Array<{ id?: unknown }> } | null)?.venues;
    const id = venues?.[path[1]]?.id;
    const rest = path.slice(2).join('.');
    where = `venue ${typeof id === 'string' ? `'${id}'` : `#${path[1]}`}${rest ? ` ${rest}` : ''}`;
  }
  return `${where}: ${issue.message}`;
}

function crossCheck(config: AppConfig): string[] {
  const problems: string[] = [];
  const firstById = new Map<string, number>();
  const firstByFlag = new Map<string, string>();
  const secretOwners = new Map<string, string>();

  config.venues.forEach((venue, index) => {
    const venueRef = `venue '${venue.id}'`;
    if (firstById.has(venue.id))
      problems.push(`${venueRef}: duplicate venue id (also venue #${firstById.get(venue.id)})`);
    else firstById.set(venue.id, index);

    // An empty normalized flag is the flagLabelHasLettersOrDigits rule's to report.
    const flag = normalizeLabel(venue.syncFlagLabel);
    const flagOwner = flag === '' ? undefined : firstByFlag.get(flag);
    if (flagOwner !== undefined && flagOwner !== venue.id) {
      problems.push(
        `${venueRef}: sync flag label '${venue.syncFlagLabel}' is the same as venue '${flagOwner}' after normalization; ` +
          `each venue needs its own checkbox or contacts would reach both venues`,
      );
    } else firstByFlag.set(flag, venue.id);

    claimSecret(secretOwners, venue.secretName, venueRef, problems);

    for (const field of Object.keys(venue.fieldMap)) {
      if (!(TRIPLESEAT_LEAD_FIELDS as readonly string[]).includes(field)) {
        problems.push(
          `${venueRef}: fieldMap has unknown Tripleseat lead field '${field}' (known: ${TRIPLESEAT_LEAD_FIELDS.join(', ')})`,
        );
      }
    }
    for (const required of REQUIRED_LEAD_FIELDS) {
      if (!(required in venue.fieldMap)) {
        problems.push(`${venueRef}: fieldMap is missing required Tripleseat lead field '${required}'`);
      }
    }
    for (const [field, labels] of Object.entries(venue.fieldMap)) {
      if (Array.isArray(labels) && field !== 'additional_information') {
        problems.push(
          `${venueRef}: fieldMap '${field}' takes one label; only additional_information may list several`,
        );
      }
    }
  });

  if (config.webex) {
    claimSecret(secretOwners, config.webex.secretName, 'webex', problems);
    const fields = Object.values(config.webex.fieldMap);
    for (const field of fields.filter((name) => !isWebexField(name))) {
      problems.push(
        `webex: fieldMap names unknown Webex field '${field}' (known: ${WEBEX_FIELDS.join(', ')})`,
      );
    }
    if (!fields.includes('email'))
      problems.push("webex: fieldMap must map a HubSpot label to 'email' (people are keyed by email)");
  }
  if (config.webhookSecretName) claimSecret(secretOwners, config.webhookSecretName, 'webhook', problems);
  return problems;
}

/** A secret belongs to exactly one function, so a leaked grant can never cross venues. */
function claimSecret(owners: Map<string, string>, secretName: string, who: string, problems: string[]): void {
  const owner = owners.get(secretName);
  if (owner !== undefined) problems.push(`${who}: secret name '${secretName}' is already used by ${owner}`);
  else owners.set(secretName, who);
}

/** The labels a venue's poller must resolve, in a stable order (for doctor, setup and the poller). */
export function venueFieldLabels(venue: VenueConfig): string[] {
  return Object.values(venue.fieldMap).flatMap((labels) => (Array.isArray(labels) ? labels : [labels]));
}
