/** Property and property-group routes (HubSpot's properties API docs). */
import type { SimResponse } from '../sim-kit';
import { HubSpotApiError, validationError } from './errors';
import { isObject, listParam, SCOPES, type Call, type Route, type RouteContext } from './http';
import { FIELD_TYPES, PROPERTY_TYPES, propertyToJson, type FieldType, type PropertyType } from './properties';

export const PROPERTY_ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/crm\/v3\/properties\/contacts\/groups\/?$/,
    scope: SCOPES.schemaRead,
    handle: listGroups,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/properties\/contacts\/groups\/?$/,
    scope: SCOPES.schemaWrite,
    handle: createGroup,
  },
  {
    method: 'GET',
    pattern: /^\/crm\/v3\/properties\/contacts\/groups\/([^/]+)$/,
    scope: SCOPES.schemaRead,
    handle: getGroup,
  },
  {
    method: 'GET',
    pattern: /^\/crm\/v3\/properties\/contacts\/?$/,
    scope: SCOPES.schemaRead,
    handle: listProperties,
  },
  {
    method: 'POST',
    pattern: /^\/crm\/v3\/properties\/contacts\/?$/,
    scope: SCOPES.schemaWrite,
    handle: createProperty,
  },
  {
    method: 'GET',
    pattern: /^\/crm\/v3\/properties\/contacts\/([^/]+)$/,
    scope: SCOPES.schemaRead,
    handle: getProperty,
  },
];

function listProperties(ctx: RouteContext, call: Call): SimResponse {
  const archived = call.request.query.get('archived') === 'true';
  const only = listParam(call.request.query, 'properties');
  const results = [...ctx.store.properties.values()]
    .filter((definition) => definition.archived === archived)
    .filter((definition) => !only || only.includes(definition.name))
    .map(propertyToJson);
  return { status: 200, body: { results } };
}

function getProperty(ctx: RouteContext, call: Call): SimResponse {
  const name = call.params[0] as string;
  const definition = ctx.store.properties.get(name);
  if (!definition || definition.archived) {
    throw new HubSpotApiError(404, 'OBJECT_NOT_FOUND', `Property ${name} does not exist`, {
      context: { name: [name] },
    });
  }
  return { status: 200, body: propertyToJson(definition) };
}

function createProperty(ctx: RouteContext, call: Call): SimResponse {
  const body = call.body;
  if (!isObject(body)) throw validationError('Invalid input JSON: expected an object.');
  const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter(
    (key) => typeof body[key] !== 'string' || body[key] === '',
  );
  if (missing.length > 0) throw validationError(`Missing required fields: ${missing.join(', ')}`);
  const name = body.name as string;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw validationError(
      `Property name "${name}" must start with a lowercase letter and contain only lowercase letters, digits and underscores.`,
    );
  }
  if (!(PROPERTY_TYPES as readonly string[]).includes(body.type as string)) {
    throw validationError(
      `Invalid type "${String(body.type)}"; expected one of ${PROPERTY_TYPES.join(', ')}.`,
    );
  }
  if (!(FIELD_TYPES as readonly string[]).includes(body.fieldType as string)) {
    throw validationError(
      `Invalid fieldType "${String(body.fieldType)}"; expected one of ${FIELD_TYPES.join(', ')}.`,
    );
  }
  if (!ctx.store.groups.has(body.groupName as string)) {
    throw validationError(`Property group "${String(body.groupName)}" does not exist.`);
  }
  if (ctx.store.properties.has(name)) {
    throw new HubSpotApiError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`, {
      subCategory: 'Properties.OBJECT_ALREADY_EXISTS',
      context: { name: [name] },
    });
  }
  const options = Array.isArray(body.options)
    ? body.options.filter(isObject).map((option, index) => ({
        label: String(option.label ?? option.value),
        value: String(option.value ?? option.label),
        hidden: option.hidden === true,
        displayOrder: typeof option.displayOrder === 'number' ? option.displayOrder : index,
      }))
    : undefined;
  if (
    body.type === 'enumeration' &&
    (!options || options.length === 0) &&
    body.fieldType !== 'booleancheckbox'
  ) {
    throw validationError(`Enumeration property "${name}" needs at least one option.`);
  }
  const definition = ctx.store.defineProperty({
    name,
    label: body.label as string,
    type: body.type as PropertyType,
    fieldType: body.fieldType as FieldType,
    groupName: body.groupName as string,
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    ...(options ? { options } : {}),
    ...(typeof body.hidden === 'boolean' ? { hidden: body.hidden } : {}),
    ...(typeof body.hasUniqueValue === 'boolean' ? { hasUniqueValue: body.hasUniqueValue } : {}),
    ...(typeof body.formField === 'boolean' ? { formField: body.formField } : {}),
    ...(typeof body.displayOrder === 'number' ? { displayOrder: body.displayOrder } : {}),
  });
  return { status: 201, body: propertyToJson(definition) };
}

function listGroups(ctx: RouteContext): SimResponse {
  return {
    status: 200,
    body: { results: [...ctx.store.groups.values()].filter((group) => !group.archived) },
  };
}

function getGroup(ctx: RouteContext, call: Call): SimResponse {
  const name = call.params[0] as string;
  const group = ctx.store.groups.get(name);
  if (!group) {
    throw new HubSpotApiError(404, 'OBJECT_NOT_FOUND', `Property group ${name} does not exist`, {
      context: { name: [name] },
    });
  }
  return { status: 200, body: group };
}

function createGroup(ctx: RouteContext, call: Call): SimResponse {
  const body = call.body;
  if (!isObject(body) || typeof body.name !== 'string' || typeof body.label !== 'string') {
    throw validationError('Missing required fields: name, label');
  }
  if (ctx.store.groups.has(body.name)) {
    throw new HubSpotApiError(
      409,
      'OBJECT_ALREADY_EXISTS',
      `Property group named '${body.name}' already exists.`,
      {
        context: { name: [body.name] },
      },
    );
  }
  const group = ctx.store.defineGroup({
    name: body.name,
    label: body.label,
    ...(typeof body.displayOrder === 'number' ? { displayOrder: body.displayOrder } : {}),
  });
  return { status: 201, body: group };
}
