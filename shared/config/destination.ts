/**
 * Where a venue's leads go. By default its Tripleseat account (lead form API); `type: 'http'` describes
 * any other booking system's REST endpoint in configuration: URL and method, auth from the venue's own
 * secret, a JSON body template over the venue's mapped fields, and how to read the answer (created,
 * rejected with a reason, retryable; anything else after the request went out is ambiguous).
 * Only types and pure checks live here, so lib/ can import it without pulling runtime code.
 */
import { z } from 'zod';

/** Date formats a template leaf may ask for: tokens YYYY, MM, DD in any order with separators. */
const DATE_FORMAT = /^(?=.*YYYY)(?=.*MM)(?=.*DD)[YMD\-/. ]+$/;

/** A template leaf that takes one of the venue's mapped fields. */
export const FieldLeafSchema = z
  .object({
    /** A fieldMap key (`first_name`, `email_address`, ...) or a label listed under additional_information. */
    $field: z.string().min(1),
    /** @default 'string' */
    type: z.enum(['string', 'number', 'boolean', 'date']).optional(),
    /** For `type: 'date'`: e.g. 'YYYY-MM-DD' (the mapped value is a calendar date). @default 'YYYY-MM-DD' */
    format: z
      .string()
      .regex(DATE_FORMAT, "a date format made of YYYY, MM and DD, e.g. 'YYYY-MM-DD'")
      .optional(),
    /** Without a value the key is left out; `required` refuses the lead instead (a reason on the contact). */
    required: z.boolean().optional(),
  })
  .strict();
export type FieldLeaf = z.infer<typeof FieldLeafSchema>;

/** A template leaf that is always the same value. */
export const ConstLeafSchema = z
  .object({ $const: z.union([z.string(), z.number(), z.boolean(), z.null()]) })
  .strict();
export type ConstLeaf = z.infer<typeof ConstLeafSchema>;

/** A JSON body template: objects and arrays as written; leaves are `{ $field }` or `{ $const }`. */
export type BodyTemplate = FieldLeaf | ConstLeaf | BodyTemplate[] | { [key: string]: BodyTemplate };
export const BodyTemplateSchema: z.ZodType<BodyTemplate> = z.lazy(() =>
  z.union([
    FieldLeafSchema,
    ConstLeafSchema,
    z.array(BodyTemplateSchema),
    z.record(
      z.string().refine((key) => !key.startsWith('$'), "keys starting with '$' are reserved for leaves"),
      BodyTemplateSchema,
    ),
  ]),
);

const SecretField = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a key of the secret\'s "destination" object');

export const DestinationAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), tokenField: SecretField }).strict(),
  z
    .object({
      type: z.literal('api-key'),
      /** The header the key travels in, e.g. 'X-Api-Key'. */
      header: z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name'),
      keyField: SecretField,
    })
    .strict(),
  z.object({ type: z.literal('basic'), usernameField: SecretField, passwordField: SecretField }).strict(),
]);
export type DestinationAuth = z.infer<typeof DestinationAuthSchema>;

const Status = z.number().int().min(100).max(599);

export const HttpLookupSchema = z
  .object({
    /** GET URL with `{email}` where the (URL-encoded) email goes. */
    url: z.string().min(1),
    /** Where the list of records is in the answer. @default '$' */
    itemsPath: z.string().min(1).optional(),
    idPath: z.string().min(1),
    emailPath: z.string().min(1),
    /** When the record was created (ISO 8601; a zone-less time is widened by 14 h each way). */
    createdAtPath: z.string().min(1),
    firstNamePath: z.string().min(1).optional(),
    lastNamePath: z.string().min(1).optional(),
    phonePath: z.string().min(1).optional(),
  })
  .strict();
export type HttpLookup = z.infer<typeof HttpLookupSchema>;

export const HttpDestinationSchema = z
  .object({
    type: z.literal('http'),
    /** How the destination is named in write-backs, logs and quarantine reasons, e.g. 'Marina platform'. */
    name: z.string().min(1),
    url: z.string().min(1),
    /** @default 'POST' */
    method: z.enum(['POST', 'PUT']).optional(),
    auth: DestinationAuthSchema,
    body: BodyTemplateSchema,
    created: z.object({ statuses: z.array(Status).min(1), idPath: z.string().min(1).optional() }).strict(),
    rejected: z
      .object({
        statuses: z.array(Status).min(1),
        reasonPath: z.string().min(1).optional(),
        /** Some APIs answer a success status with an error body: a value here means rejected. */
        errorInCreatedPath: z.string().min(1).optional(),
      })
      .strict(),
    /** Turned away, nothing stored (e.g. 429, 503): retried next tick. */
    retryable: z.object({ statuses: z.array(Status).min(1) }).strict(),
    /** @default 'Idempotency-Key' */
    idempotencyHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
    lookup: HttpLookupSchema.optional(),
  })
  .strict();
export type HttpDestinationConfig = z.infer<typeof HttpDestinationSchema>;

export const DestinationConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tripleseat') }).strict(),
  HttpDestinationSchema,
]);
export type DestinationConfig = z.infer<typeof DestinationConfigSchema>;

/** Every `$field` the template names, with where it sits (for messages). */
export function templateFields(template: BodyTemplate, at = '$'): Array<{ field: string; at: string }> {
  if (Array.isArray(template)) return template.flatMap((item, i) => templateFields(item, `${at}[${i}]`));
  if ('$field' in template && typeof template.$field === 'string') return [{ field: template.$field, at }];
  if ('$const' in template) return [];
  return Object.entries(template).flatMap(([key, value]) =>
    value === undefined ? [] : templateFields(value, `${at}.${key}`),
  );
}

/** The keys of the secret's `destination` object an auth config needs (doctor, the stack's secret). */
export function authSecretFields(auth: DestinationAuth): string[] {
  switch (auth.type) {
    case 'bearer':
      return [auth.tokenField];
    case 'api-key':
      return [auth.keyField];
    case 'basic':
      return [auth.usernameField, auth.passwordField];
  }
}
