/** Header access over every header shape the adapters meet. */

/** Fetch `Headers`, Node's `IncomingHttpHeaders`, or the HubSpot SDK's `{ [name]: string }`. */
export type HeadersLike =
  { get(name: string): string | null } | Record<string, string | string[] | number | undefined> | undefined;

/** Case-insensitive header lookup. */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return undefined;
}
