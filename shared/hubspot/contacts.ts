/**
 * HubSpot contacts and properties over the SDK: the ports the engines use. Every call goes through
 * the shared ApiCaller (limiter + one retry policy); every answer the engines rely on is parsed.
 */
import { z } from 'zod';
import { redactSecrets } from '../rate-limit/classify';
import { PermanentApiError } from '../rate-limit/errors';
import { HubSpotPropertySchema, type HubSpotProperty } from '../schema';
import type { ApiCaller } from '../rate-limit/types';
import type {
  ContactUpdate,
  FlaggedContact,
  HubSpotContactsPort,
  HubSpotUpsertPort,
  RecordFailure,
  UpsertByEmail,
} from '../sync/ports';
import { hubspotCall } from './call';
import type { HubSpotApis } from './sdk';

/** HubSpot caps batch inputs at 100, and at 50 when property history is requested. */
export const BATCH_LIMIT = 100;
export const HISTORY_BATCH_LIMIT = 50;

const StandardErrorSchema = z.object({
  message: z.string(),
  category: z.string().optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
});
type StandardError = z.infer<typeof StandardErrorSchema>;

export class HubSpotContacts implements HubSpotContactsPort, HubSpotUpsertPort {
  constructor(
    private readonly apis: HubSpotApis,
    private readonly caller: ApiCaller,
  ) {}

  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/core/get-crm-v3-properties-objectType
  async listProperties(): Promise<HubSpotProperty[]> {
    const response = await hubspotCall(this.caller, 'hubspot', 'HubSpot list contact properties', () =>
      this.apis.properties.getAll('contacts', false),
    );
    return z.array(HubSpotPropertySchema).parse(JSON.parse(JSON.stringify(response.results)));
  }

  /**
   * Windowed by id (GT afterId, ascending) instead of paging with `after`: every query starts at
   * offset 0, so a backlog above HubSpot's 10,000-result search cap still drains completely.
   * https://developers.hubspot.com/docs/api-reference/search/guide
   */
  async searchFlagged(flagProperty: string, afterId: string, limit: number) {
    const response = await hubspotCall(
      this.caller,
      'hubspot-search',
      `HubSpot search for ${flagProperty}=true`,
      () =>
        this.apis.search.doSearch({
          filterGroups: [
            {
              filters: [
                { propertyName: flagProperty, operator: 'EQ', value: 'true' },
                { propertyName: 'hs_object_id', operator: 'GT', value: afterId },
              ],
            },
          ],
          // The SDK types `sorts` as string[]; the API documents the object form, which we send.
          sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[],
          properties: ['hs_object_id'],
          limit,
          after: '0',
        } as Parameters<HubSpotApis['search']['doSearch']>[0]),
    );
    return { ids: response.results.map((contact) => contact.id), total: response.total };
  }

  // https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-read
  async readFlagged(ids: readonly string[], flagProperty: string, properties: readonly string[]) {
    const contacts: FlaggedContact[] = [];
    for (const chunk of chunks(ids, HISTORY_BATCH_LIMIT)) {
      const response = await hubspotCall(
        this.caller,
        'hubspot',
        `HubSpot batch read of ${chunk.length} contacts`,
        () =>
          this.apis.batch.read({
            inputs: chunk.map((id) => ({ id })),
            properties: [...properties, flagProperty],
            propertiesWithHistory: [flagProperty],
          }),
      );
      for (const contact of response.results) {
        contacts.push({
          id: contact.id,
          properties: { ...contact.properties },
          flagSetAt: newestTrueAt(contact.propertiesWithHistory?.[flagProperty] ?? []),
        });
      }
    }
    return contacts;
  }

  // https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-update
  async updateContacts(updates: readonly ContactUpdate[]) {
    const inputs = mergeRepeated(updates.map((update) => [update.id, update.properties]));
    const failed = await sendBatches(inputs, async (part) => {
      const response = await hubspotCall(
        this.caller,
        'hubspot',
        `HubSpot batch update of ${part.length} contacts`,
        () => this.apis.batch.update({ inputs: part.map(([id, properties]) => ({ id, properties })) }),
      );
      return {
        confirmed: new Set(response.results.map((contact) => contact.id)),
        errors: errorsOf(response),
      };
    });
    return { failed };
  }

  // https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-upsert
  async upsertByEmail(inputs: readonly UpsertByEmail[]) {
    const results: Array<{ email: string; id: string; created: boolean }> = [];
    // HubSpot lowercases emails: merging by the lowercased address is also how results are keyed below.
    const merged = mergeRepeated(inputs.map((input) => [input.email.trim().toLowerCase(), input.properties]));
    const failed = await sendBatches(merged, async (part) => {
      const response = await hubspotCall(
        this.caller,
        'hubspot',
        `HubSpot batch upsert of ${part.length} contacts`,
        () =>
          this.apis.batch.upsert({
            inputs: part.map(([email, properties]) => ({ id: email, idProperty: 'email', properties })),
          }),
      );
      const confirmed = new Set<string>();
      for (const contact of response.results) {
        const email = contact.properties['email']?.toLowerCase();
        if (!email) continue;
        confirmed.add(email);
        results.push({ email, id: contact.id, created: contact._new });
      }
      return { confirmed, errors: errorsOf(response) };
    });
    return { results, failed };
  }
}

type BatchInputs = Array<[id: string, properties: Record<string, string>]>;

/** HubSpot refuses a batch that repeats an id ("Duplicate IDs"): merge repeats, later values win. */
function mergeRepeated(entries: ReadonlyArray<readonly [string, Record<string, string>]>): BatchInputs {
  const merged = new Map<string, Record<string, string>>();
  for (const [id, properties] of entries) merged.set(id, { ...merged.get(id), ...properties });
  return [...merged];
}

/**
 * Sends inputs 100 a call. `send` returns the ids HubSpot confirmed and its `errors[]`; every input it
 * did not confirm is a failure with its reason, and a batch refused whole is split until the bad input
 * stands alone (sendSplittingRefusals).
 */
async function sendBatches(
  inputs: BatchInputs,
  send: (part: BatchInputs) => Promise<{ confirmed: Set<string>; errors: StandardError[] }>,
): Promise<RecordFailure[]> {
  const failed: RecordFailure[] = [];
  for (const chunk of chunks(inputs, BATCH_LIMIT)) {
    await sendSplittingRefusals(
      chunk,
      async (part) => {
        const { confirmed, errors } = await send(part);
        failed.push(
          ...perRecordFailures(
            part.map(([id]) => id),
            confirmed,
            errors,
          ),
        );
      },
      ([id], reason) => failed.push({ id, reason }),
    );
  }
  return failed;
}

/**
 * HubSpot can refuse a whole batch (400) for one bad input. Halve it until the bad inputs stand alone,
 * so one record never blocks the others; a lone refused input becomes that record's failure. Costs
 * nothing when nothing is refused, and about 2·log2(100) calls per poisoned batch when something is.
 */
async function sendSplittingRefusals<T>(
  inputs: T[],
  send: (part: T[]) => Promise<void>,
  refuse: (input: T, reason: string) => void,
): Promise<void> {
  try {
    await send(inputs);
  } catch (error) {
    if (!(error instanceof PermanentApiError) || error.status !== 400) throw error;
    if (inputs.length === 1) {
      refuse(inputs[0] as T, redactSecrets(error.message));
      return;
    }
    const middle = Math.ceil(inputs.length / 2);
    await sendSplittingRefusals(inputs.slice(0, middle), send, refuse);
    await sendSplittingRefusals(inputs.slice(middle), send, refuse);
  }
}

function errorsOf(response: object): StandardError[] {
  const errors = 'errors' in response ? response.errors : undefined;
  return z
    .array(StandardErrorSchema)
    .catch([])
    .parse(JSON.parse(JSON.stringify(errors ?? [])));
}

/**
 * A 207 names failed records in `errors[].context.ids` (or similar); a record that is neither in the
 * results nor named is still a failure — never assume success for a record HubSpot did not confirm.
 * Reasons are logged: HubSpot's messages may quote the rejected values, so they are redacted.
 */
function perRecordFailures(sent: string[], succeeded: Set<string>, errors: StandardError[]): RecordFailure[] {
  const describe = (error: StandardError) => redactSecrets(`${error.category ?? 'ERROR'}: ${error.message}`);
  const reasons = new Map<string, string>();
  for (const error of errors) {
    const ids = Object.values(error.context ?? {}).flat();
    for (const id of ids) reasons.set(id.toLowerCase(), describe(error));
  }
  const fallback = errors[0] ? describe(errors[0]) : 'not confirmed by HubSpot';
  return sent
    .filter((id) => !succeeded.has(id))
    .map((id) => ({ id, reason: reasons.get(id.toLowerCase()) ?? fallback }));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * When the newest request was made: the latest "true" in the flag's history by its own timestamp.
 * HubSpot does not document the order of `propertiesWithHistory` for v3 (v1 was newest first), so the
 * array order is never trusted.
 */
export function newestTrueAt(
  history: ReadonlyArray<{ value: string; timestamp: Date | string | number }>,
): string | undefined {
  let newest: number | undefined;
  for (const entry of history) {
    if (entry.value !== 'true') continue;
    const at = new Date(entry.timestamp).getTime();
    if (Number.isFinite(at) && (newest === undefined || at > newest)) newest = at;
  }
  return newest === undefined ? undefined : new Date(newest).toISOString();
}
