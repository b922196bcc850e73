/**
 * Renders a destination's JSON body template over a lead's fields (pure). Objects and arrays are kept
 * as written; a `{ $field }` leaf takes the field's value in the asked type, a `{ $const }` leaf its
 * constant. A field without a value leaves its key out, unless it is `required`: then the lead is refused
 * with a reason that names the field (never its value), like the lead mapper's reasons.
 */
import type { BodyTemplate, FieldLeaf } from '../config/destination';
import type { LeadFields, LeadFieldValue } from './fields';

export type RenderResult = { ok: true; body: unknown } | { ok: false; reason: string };

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

class RenderProblem extends Error {}

export function renderBody(template: BodyTemplate, fields: LeadFields): RenderResult {
  try {
    return { ok: true, body: render(template, fields) ?? null };
  } catch (error) {
    if (error instanceof RenderProblem) return { ok: false, reason: error.message };
    throw error;
  }
}

function render(template: BodyTemplate, fields: LeadFields): JsonValue | undefined {
  if (Array.isArray(template)) {
    return template.map((item) => render(item, fields)).filter((item) => item !== undefined);
  }
  if ('$const' in template && !('$field' in template)) return template.$const as JsonValue;
  if ('$field' in template && typeof template.$field === 'string') return leaf(template as FieldLeaf, fields);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(template as Record<string, BodyTemplate>)) {
    const rendered = render(value, fields);
    if (rendered !== undefined) out[key] = rendered;
  }
  return out;
}

function leaf(spec: FieldLeaf, fields: LeadFields): JsonValue | undefined {
  const value = fields.get(spec.$field);
  const name = spec.$field.replace(/_/g, ' ');
  if (value === undefined) {
    if (spec.required) throw new RenderProblem(`${name} missing`);
    return undefined;
  }
  const converted = convert(value, spec);
  if (converted === undefined) throw new RenderProblem(`${name} is not a valid ${spec.type ?? 'string'}`);
  return converted;
}

function convert(value: LeadFieldValue, spec: FieldLeaf): JsonValue | undefined {
  switch (spec.type ?? 'string') {
    case 'string':
      return String(value);
    case 'number': {
      const number = typeof value === 'number' ? value : Number(String(value).replace(/,/g, ''));
      return Number.isFinite(number) && String(value).trim() !== '' ? number : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (/^(true|yes)$/i.test(String(value))) return true;
      if (/^(false|no)$/i.test(String(value))) return false;
      return undefined;
    case 'date':
      return formatDate(String(value), spec.format ?? 'YYYY-MM-DD');
  }
}

/** The mapped lead carries dates as MM/DD/YYYY (or YYYY-MM-DD); the format's tokens are replaced. */
export function formatDate(value: string, format: string): string | undefined {
  const us = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = us ? [us[3], us[1], us[2]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  return format.replace('YYYY', year).replace('MM', month).replace('DD', day);
}

/**
 * The body's shape for a lead that has `present` fields, each value shown as `<field>` (the dry run:
 * what would be sent, without personal data). Constants are shown as they are.
 */
export function bodyShape(template: BodyTemplate, present: readonly string[]): unknown {
  const fields = new Map<string, string>(present.map((name) => [name, `<${name}>`]));
  const shapeOf = (node: BodyTemplate): JsonValue | undefined => {
    if (Array.isArray(node)) return node.map(shapeOf).filter((item) => item !== undefined);
    if ('$const' in node && !('$field' in node)) return node.$const as JsonValue;
    if ('$field' in node && typeof node.$field === 'string') return fields.get(node.$field);
    const out: { [key: string]: JsonValue } = {};
    for (const [key, value] of Object.entries(node as Record<string, BodyTemplate>)) {
      const shaped = shapeOf(value);
      if (shaped !== undefined) out[key] = shaped;
    }
    return out;
  };
  return shapeOf(template) ?? null;
}
