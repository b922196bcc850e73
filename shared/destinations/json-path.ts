/**
 * The small JSON path dialect destination configs use to say where a value sits in an answer:
 * `$` (the whole body), `$.data.id`, `$.items[0].id`, `$['odd key']`. Nothing else (no wildcards or
 * filters): a path names exactly one place, so what is read is never a guess. Pure.
 */
export type JsonPathSegment = string | number;

export type ParsedJsonPath = { ok: true; segments: JsonPathSegment[] } | { ok: false; problem: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** Parses a path; the problem says where it stopped making sense. */
export function parseJsonPath(path: string): ParsedJsonPath {
  if (!path.startsWith('$')) return { ok: false, problem: `'${path}' must start with '$'` };
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (!name) return { ok: false, problem: `'${path}' has no name after '.' at '${rest}'` };
      segments.push(name[0]);
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\['([^'\]]+)'\]/.exec(rest);
    if (quoted) {
      segments.push(quoted[1] as string);
      rest = rest.slice(quoted[0].length);
      continue;
    }
    return { ok: false, problem: `'${path}' cannot be read at '${rest}' (use .name, [0] or ['name'])` };
  }
  return { ok: true, segments };
}

/** The value at `path` in `value`, or undefined when any step is missing. Throws on an unparsable path. */
export function readJsonPath(value: unknown, path: string): unknown {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(`invalid JSON path: ${parsed.problem}`);
  let current: unknown = value;
  for (const segment of parsed.segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = Reflect.get(current, segment) as unknown;
    }
  }
  return current;
}

/** A scalar at `path` as text (numbers too: ids are often numeric); undefined for anything else. */
export function readJsonText(value: unknown, path: string): string | undefined {
  const found = readJsonPath(value, path);
  if (typeof found === 'string') return found.trim() === '' ? undefined : found;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  return undefined;
}
