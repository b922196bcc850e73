/**
 * Contact object routes (HubSpot's CRM contacts, search and batch API docs): basic CRUD, search and the batch endpoints with
 * their caps, duplicate checks and 207 partial failures.
 */
import type { SimResponse } from '../sim-kit';
import {
  HubSpotApiError,
  objectNotFound,
  standardError,
  validationError,
  type StandardError,
} from './errors';
import { isObject, listParam, SCOPES, stringList, type Call, type Route, type RouteContext } from './http';
import { parseSearchRequest, runSearch } from './search';
import { contactToJson, propertyNamesFor } from './serialize';
import { EmailTakenError, type ContactRecord } from './state';

export const BATCH_LIMIT = 100;
export const BATCH_HISTORY_LIMIT = 50;
const CONTACTS = '/crm/v3/objects/contacts';

export const CONTACT_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/search$/,
    scope: SCOPES.read,
    search: true,
    handle: search,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/batch\/read$/,
    scope: SCOPES.read,
    handle: batchRead,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/batch\/update$/,
    scope: SCOPES.write,
    handle: batchUpdate,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/batch\/upsert$/,
    scope: SCOPES.write,
    handle: batchUpsert,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/batch\/create$/,
    scope: SCOPES.write,
    handle: batchCreate,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/batch\/archive$/,
    scope: SCOPES.write,
    handle: batchArchive,
  },
  { method: 'GET', pattern: /^\/crm\/v3\/objects\/contacts\/?$/, scope: SCOPES.read, handle: listContacts },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/objects\/contacts\/?$/,
    scope: SCOPES.write,
    handle: createContact,
  },
  {
    method: 'GET',
    pattern: /^\/crm\/v3\/objects\/contacts\/([^/]+)$/,
    scope: SCOPES.read,
    handle: getContact,
  },
  {
    method: 'PATCH',
    pattern: /^\/crm\/v3\/objects\/contacts\/([^/]+)$/,
    scope: SCOPES.write,
    handle: updateContact,
  },
  {
    method: 'DELETE',
    pattern: /^\/crm\/v3\/objects\/contacts\/([^/]+)$/,
    scope: SCOPES.write,
    handle: archiveContact,
  },
];
function propertiesOf(input: unknown): Record<string, unknown> {
  if (isObject(input) && isObject(input.properties)) return input.properties;
  throw validationError('Invalid input: "properties" must be an object.');
}

function inputsOf(body: unknown): unknown[] {
  if (!isObject(body) || !Array.isArray(body.inputs))
    throw validationError('Invalid input: "inputs" must be an array.');
  if (body.inputs.length > BATCH_LIMIT) {
    throw validationError(`Batch input is limited to ${BATCH_LIMIT} inputs; got ${body.inputs.length}.`, {
      context: { inputs: [String(body.inputs.length)] },
    });
  }
  return body.inputs;
}

function batchResponse(
  ctx: RouteContext,
  startedAt: number,
  results: unknown[],
  errors: StandardError[],
  okStatus: number,
): SimResponse {
  const done = new Date(ctx.now()).toISOString();
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: new Date(startedAt).toISOString(),
    completedAt: done,
  };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  return { status: errors.length > 0 ? 207 : okStatus, body };
}

/** Resolves a record by id or by a unique property (`idProperty`). */
function resolve(ctx: RouteContext, id: string, idProperty: string | undefined): ContactRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return ctx.store.get(id);
  if (idProperty === 'email') {
    const found = ctx.store.idForEmail(id);
    return found ? ctx.store.get(found) : undefined;
  }
  throw validationError(`idProperty "${idProperty}" is not a unique identifier property.`);
}

function notFoundError(ids: string[]): StandardError {
  return standardError(
    'OBJECT_NOT_FOUND',
    'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
    { ids },
  );
}

function errorFor(error: unknown, context: Record<string, string[]>): StandardError {
  if (error instanceof HubSpotApiError) return standardError(error.category, error.message, context);
  if (error instanceof EmailTakenError) return standardError('CONFLICT', error.message, context);
  throw error;
}

function rejectDuplicates(ids: string[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) (seen.has(id) ? duplicates : seen).add(id);
  if (duplicates.size > 0)
    throw validationError(`Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]`);
}

function search(ctx: RouteContext, call: Call): SimResponse {
  const request = parseSearchRequest(call.body);
  const asOf = ctx.now() - ctx.searchIndexLagMs();
  const page = runSearch(ctx.store, request, asOf);
  const names = propertyNamesFor(ctx.store, request.properties);
  const body: Record<string, unknown> = {
    total: page.total,
    results: page.records.map((record) => contactToJson(ctx.store, record, names, { asOf })),
  };
  if (page.nextAfter !== undefined) body.paging = { next: { after: String(page.nextAfter) } };
  return { status: 200, body };
}

function batchRead(ctx: RouteContext, call: Call): SimResponse {
  const started = ctx.now();
  const inputs = inputsOf(call.body);
  const body = call.body as Record<string, unknown>;
  const withHistory = stringList(body.propertiesWithHistory);
  if (withHistory.length > 0 && inputs.length > BATCH_HISTORY_LIMIT) {
    throw validationError(
      'The maximum number of inputs supported in a batch request for property histories is 50.',
    );
  }
  const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
  const names = propertyNamesFor(ctx.store, stringList(body.properties));
  const results: unknown[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const id = isObject(input) && input.id !== undefined ? String(input.id) : '';
    const record = resolve(ctx, id, idProperty);
    if (!record) {
      missing.push(id);
      continue;
    }
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    results.push(contactToJson(ctx.store, record, names, { withHistory }));
  }
  return batchResponse(ctx, started, results, missing.length > 0 ? [notFoundError(missing)] : [], 200);
}

function batchUpdate(ctx: RouteContext, call: Call): SimResponse {
  const started = ctx.now();
  const inputs = inputsOf(call.body);
  const ids = inputs.map((input) => (isObject(input) && input.id !== undefined ? String(input.id) : ''));
  rejectDuplicates(ids);
  const results: unknown[] = [];
  const errors: StandardError[] = [];
  const missing: string[] = [];
  inputs.forEach((input, index) => {
    const id = ids[index] as string;
    const idProperty = isObject(input) && typeof input.idProperty === 'string' ? input.idProperty : undefined;
    const record = resolve(ctx, id, idProperty);
    if (!record) {
      missing.push(id);
      return;
    }
    try {
      const values = ctx.store.validate(propertiesOf(input));
      ctx.store.update(record, values, call.source);
      results.push(contactToJson(ctx.store, record, propertyNamesFor(ctx.store, Object.keys(values))));
    } catch (error) {
      errors.push(errorFor(error, { id: [id] }));
    }
  });
  if (missing.length > 0) errors.unshift(notFoundError(missing));
  return batchResponse(ctx, started, results, errors, 200);
}

function batchUpsert(ctx: RouteContext, call: Call): SimResponse {
  const started = ctx.now();
  const inputs = inputsOf(call.body);
  const keys = inputs.map((input) => {
    if (!isObject(input) || typeof input.id !== 'string')
      throw validationError('Each upsert input needs an "id".');
    if (input.idProperty !== 'email') {
      throw validationError(
        `idProperty must be a unique property such as "email"; got "${String(input.idProperty)}".`,
      );
    }
    return input.id.trim().toLowerCase();
  });
  rejectDuplicates(keys);
  const results: unknown[] = [];
  const errors: StandardError[] = [];
  inputs.forEach((input, index) => {
    const email = keys[index] as string;
    try {
      const values = ctx.store.validate(propertiesOf(input));
      const existing = resolve(ctx, email, 'email');
      const names = propertyNamesFor(ctx.store, [...Object.keys(values), 'email']);
      if (existing) {
        ctx.store.update(existing, values, call.source);
        results.push({ ...contactToJson(ctx.store, existing, names), new: false });
      } else {
        const created = ctx.store.create({ ...values, email }, call.source);
        results.push({ ...contactToJson(ctx.store, created, names), new: true });
      }
    } catch (error) {
      errors.push(errorFor(error, { id: [email] }));
    }
  });
  return batchResponse(ctx, started, results, errors, 200);
}

function batchCreate(ctx: RouteContext, call: Call): SimResponse {
  const started = ctx.now();
  const inputs = inputsOf(call.body);
  const results: unknown[] = [];
  const errors: StandardError[] = [];
  inputs.forEach((input, index) => {
    try {
      const values = ctx.store.validate(propertiesOf(input));
      const record = ctx.store.create(values, call.source);
      results.push(contactToJson(ctx.store, record, propertyNamesFor(ctx.store, Object.keys(values))));
    } catch (error) {
      errors.push(errorFor(error, { inputIndex: [String(index)] }));
    }
  });
  return batchResponse(ctx, started, results, errors, 201);
}

function batchArchive(ctx: RouteContext, call: Call): SimResponse {
  for (const input of inputsOf(call.body)) {
    const record = isObject(input) && input.id !== undefined ? ctx.store.get(String(input.id)) : undefined;
    if (record) ctx.store.archive(record);
  }
  return { status: 204 };
}

function listContacts(ctx: RouteContext, call: Call): SimResponse {
  const limit = Math.min(Number(call.request.query.get('limit') ?? 10) || 10, 100);
  const after = Number(call.request.query.get('after') ?? 0) || 0;
  const names = propertyNamesFor(ctx.store, listParam(call.request.query, 'properties'));
  const withHistory = listParam(call.request.query, 'propertiesWithHistory');
  const page = [...ctx.store.all()].filter((record) => Number(record.id) >= after);
  const results = page
    .slice(0, limit)
    .map((record) => contactToJson(ctx.store, record, names, { withHistory }));
  const body: Record<string, unknown> = { results };
  const next = page[limit];
  if (next) {
    body.paging = { next: { after: next.id, link: `${CONTACTS}?after=${next.id}` } };
  }
  return { status: 200, body };
}

function createContact(ctx: RouteContext, call: Call): SimResponse {
  const values = ctx.store.validate(propertiesOf(call.body));
  try {
    const record = ctx.store.create(values, call.source);
    return {
      status: 201,
      body: contactToJson(ctx.store, record, propertyNamesFor(ctx.store, Object.keys(values))),
    };
  } catch (error) {
    if (error instanceof EmailTakenError) throw new HubSpotApiError(409, 'CONFLICT', error.message);
    throw error;
  }
}

function getContact(ctx: RouteContext, call: Call): SimResponse {
  const id = call.params[0] as string;
  const record = resolve(ctx, id, call.request.query.get('idProperty') ?? undefined);
  if (!record) throw objectNotFound(id);
  const names = propertyNamesFor(ctx.store, listParam(call.request.query, 'properties'));
  const withHistory = listParam(call.request.query, 'propertiesWithHistory');
  return { status: 200, body: contactToJson(ctx.store, record, names, { withHistory }) };
}

function updateContact(ctx: RouteContext, call: Call): SimResponse {
  const id = call.params[0] as string;
  const record = resolve(ctx, id, call.request.query.get('idProperty') ?? undefined);
  if (!record) throw objectNotFound(id);
  const values = ctx.store.validate(propertiesOf(call.body));
  try {
    ctx.store.update(record, values, call.source);
  } catch (error) {
    if (error instanceof EmailTakenError) throw new HubSpotApiError(409, 'CONFLICT', error.message);
    throw error;
  }
  return {
    status: 200,
    body: contactToJson(ctx.store, record, propertyNamesFor(ctx.store, Object.keys(values))),
  };
}

function archiveContact(ctx: RouteContext, call: Call): SimResponse {
  const record = ctx.store.get(call.params[0] as string);
  if (record) ctx.store.archive(record);
  return { status: 204 };
}
