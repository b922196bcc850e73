/**
 * Loads once per container and keeps the result; a failed load (a secret not filled yet, a Secrets
 * Manager hiccup) is not cached, so the next invocation tries again instead of failing until recycled.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
}
