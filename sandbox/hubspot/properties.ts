/**
 * Contact property definitions (HubSpot's properties API docs) and the write-side value rules HubSpot documents: the simulator
 * validates and normalises every written value the way HubSpot does before it reaches state.
 */
import type { PropertyValueError } from './errors';

export const PROPERTY_TYPES = [
  'bool',
  'date',
  'datetime',
  'enumeration',
  'number',
  'phone_number',
  'string',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const FIELD_TYPES = [
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface PropertyOption {
  label: string;
  value: string;
  hidden?: boolean;
  displayOrder?: number;
  description?: string;
}

/** What a caller gives to define a property (in-process or via `POST /crm/v3/properties/contacts`). */
export interface PropertyDefinitionInput {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName?: string;
  description?: string;
  options?: PropertyOption[];
  hidden?: boolean;
  hasUniqueValue?: boolean;
  formField?: boolean;
  displayOrder?: number;
}

/** The stored property, shaped like the API's `Property` model. */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: Array<Required<Omit<PropertyOption, 'description'>> & { description?: string }>;
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  readOnlyValue: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export function toPropertyDefinition(
  input: PropertyDefinitionInput,
  nowIso: string,
  flags: { hubspotDefined?: boolean; readOnlyValue?: boolean; calculated?: boolean } = {},
): PropertyDefinition {
  const options =
    input.options ??
    (input.type === 'bool'
      ? [
          { label: 'Yes', value: 'true' },
          { label: 'No', value: 'false' },
        ]
      : []);
  return {
    name: input.name,
    label: input.label,
    type: input.type,
    fieldType: input.fieldType,
    groupName: input.groupName ?? 'contactinformation',
    description: input.description ?? '',
    options: options.map((option, index) => ({
      label: option.label,
      value: option.value,
      hidden: option.hidden ?? false,
      displayOrder: option.displayOrder ?? index,
      ...(option.description !== undefined ? { description: option.description } : {}),
    })),
    displayOrder: input.displayOrder ?? -1,
    calculated: flags.calculated ?? false,
    externalOptions: false,
    hasUniqueValue: input.hasUniqueValue ?? false,
    hidden: input.hidden ?? false,
    hubspotDefined: flags.hubspotDefined ?? false,
    formField: input.formField ?? false,
    readOnlyValue: flags.readOnlyValue ?? false,
    createdAt: nowIso,
    updatedAt: nowIso,
    archived: false,
  };
}

/** The API representation (`Property`), with `modificationMetadata` instead of our flat flag. */
export function propertyToJson(definition: PropertyDefinition): Record<string, unknown> {
  const { readOnlyValue, ...rest } = definition;
  return {
    ...rest,
    modificationMetadata: {
      archivable: !definition.hubspotDefined,
      readOnlyDefinition: definition.hubspotDefined,
      readOnlyValue,
    },
  };
}

export const DEFAULT_GROUPS: Array<Omit<PropertyGroup, 'archived'>> = [
  { name: 'contactinformation', label: 'Contact information', displayOrder: 0 },
  { name: 'contact_activity', label: 'Contact activity', displayOrder: 1 },
  { name: 'sales_properties', label: 'Sales properties', displayOrder: 2 },
];

const text = (name: string, label: string): PropertyDefinitionInput => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
});

/**
 * A subset of HubSpot's built-in contact properties. Labels deliberately differ from internal names
 * ("First Name" -> firstname, "Phone Number" -> phone) so label resolution is exercised.
 */
export const DEFAULT_PROPERTIES: Array<{
  input: PropertyDefinitionInput;
  readOnlyValue?: boolean;
  calculated?: boolean;
}> = [
  { input: { ...text('email', 'Email'), hasUniqueValue: true, formField: true } },
  { input: { ...text('firstname', 'First Name'), formField: true } },
  { input: { ...text('lastname', 'Last Name'), formField: true } },
  {
    input: {
      name: 'phone',
      label: 'Phone Number',
      type: 'string',
      fieldType: 'phonenumber',
      formField: true,
    },
  },
  { input: { name: 'mobilephone', label: 'Mobile Phone Number', type: 'string', fieldType: 'phonenumber' } },
  { input: { ...text('company', 'Company Name'), formField: true } },
  { input: text('jobtitle', 'Job Title') },
  { input: text('website', 'Website URL') },
  { input: text('address', 'Street Address') },
  { input: text('city', 'City') },
  { input: text('state', 'State/Region') },
  { input: text('zip', 'Postal Code') },
  { input: text('country', 'Country/Region') },
  { input: { name: 'message', label: 'Message', type: 'string', fieldType: 'textarea' } },
  {
    input: {
      name: 'lifecyclestage',
      label: 'Lifecycle Stage',
      type: 'enumeration',
      fieldType: 'radio',
      groupName: 'contactinformation',
      options: [
        'subscriber',
        'lead',
        'marketingqualifiedlead',
        'salesqualifiedlead',
        'opportunity',
        'customer',
      ].map((value) => ({ label: value, value })),
    },
  },
  {
    input: {
      name: 'hs_lead_status',
      label: 'Lead Status',
      type: 'enumeration',
      fieldType: 'radio',
      groupName: 'sales_properties',
      options: [
        { label: 'New', value: 'NEW' },
        { label: 'Open', value: 'OPEN' },
        { label: 'In Progress', value: 'IN_PROGRESS' },
        { label: 'Unqualified', value: 'UNQUALIFIED' },
        { label: 'Connected', value: 'CONNECTED' },
      ],
    },
  },
  {
    input: { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number' },
    readOnlyValue: true,
    calculated: true,
  },
  { input: { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date' } },
  {
    input: { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date' },
    readOnlyValue: true,
    calculated: true,
  },
];

function problem(name: string, error: PropertyValueError['error'], message: string): PropertyValueError {
  return { isValid: false, message, error, name, localizedErrorMessage: message };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Validates and normalises one written value. Returns the value to store ("" clears), or a problem.
 * Non-string JSON scalars are coerced to strings as HubSpot does.
 */
export function normaliseValue(
  definition: PropertyDefinition | undefined,
  name: string,
  raw: unknown,
  options: { allowReadOnly?: boolean } = {},
): { ok: true; value: string } | { ok: false; problem: PropertyValueError } {
  if (!definition || definition.archived) {
    return {
      ok: false,
      problem: problem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`),
    };
  }
  if (definition.readOnlyValue && !options.allowReadOnly) {
    return {
      ok: false,
      problem: problem(
        name,
        'READ_ONLY_VALUE',
        `"${name}" is a read only property; its value cannot be set.`,
      ),
    };
  }
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: '' };
  if (typeof raw === 'object') {
    return {
      ok: false,
      problem: problem(name, 'INVALID_TYPE', `${JSON.stringify(raw)} is not a valid value for ${name}`),
    };
  }
  const value = String(raw);
  switch (definition.type) {
    case 'bool':
      if (value === 'true' || value === 'false') return { ok: true, value };
      return {
        ok: false,
        problem: problem(name, 'INVALID_BOOLEAN', `${value} is not a valid boolean value for ${name}`),
      };
    case 'number':
      if (NUMBER.test(value.trim())) return { ok: true, value: value.trim() };
      return {
        ok: false,
        problem: problem(name, 'INVALID_LONG', `${value} is not a valid number for ${name}`),
      };
    case 'date': {
      if (DATE_ONLY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
        return { ok: true, value };
      if (/^\d+$/.test(value)) {
        const ms = Number(value);
        if (ms % 86_400_000 === 0) return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
        return {
          ok: false,
          problem: problem(
            name,
            'INVALID_DATE',
            `${value} is at ${new Date(ms).toISOString()} which is not midnight UTC`,
          ),
        };
      }
      return {
        ok: false,
        problem: problem(name, 'INVALID_DATE', `${value} is not a valid date for ${name}`),
      };
    }
    case 'datetime': {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      if (!Number.isNaN(ms)) return { ok: true, value: new Date(ms).toISOString() };
      return {
        ok: false,
        problem: problem(name, 'INVALID_DATETIME', `${value} is not a valid datetime for ${name}`),
      };
    }
    case 'enumeration': {
      const allowed = definition.options.map((option) => option.value);
      // Multi-select checkboxes hold ";"-separated values; each must be an option value (case-sensitive).
      const parts = definition.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = parts.find((part) => !allowed.includes(part));
      if (bad === undefined) return { ok: true, value };
      return {
        ok: false,
        problem: problem(
          name,
          'INVALID_OPTION',
          `${bad} was not one of the allowed options: [${allowed.join(', ')}]`,
        ),
      };
    }
    default:
      return { ok: true, value };
  }
}
