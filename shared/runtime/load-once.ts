import { createHash } from 'node:crypto';
import type { Credentials } from './credentials';

/**
 * Loads once per container and keeps the result; a failed load (a Secrets Manager hiccup) is not
 * cached, so the next invocation tries again instead of failing until recycled. For what never changes
 * while the container lives; anything built from credentials uses cachedByCredentials instead.
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

/**
 * What is built from credentials (API clients), kept while the credentials stay the same and rebuilt
 * when they change (a rotated secret). Call the result on every invocation: it reads the credentials
 * (cheap while the secret's cache is fresh) and compares their content by a digest, so the kept value
 * survives a cache refresh that brought back the same secret. A failed read or build is not kept.
 */
export function cachedByCredentials<T>(
  credentials: () => Promise<Credentials>,
  build: (credentials: Credentials) => T | Promise<T>,
): () => Promise<T> {
  let kept: { digest: string; value: Promise<T> } | undefined;
  return async () => {
    const current = await credentials();
    const digest = credentialsDigest(current);
    if (kept?.digest !== digest) {
      const value = Promise.resolve().then(() => build(current));
      const entry = { digest, value };
      kept = entry;
      value.catch(() => {
        if (kept === entry) kept = undefined;
      });
    }
    return kept.value;
  };
}

/** A digest of the credentials' content (keys sorted), so no second copy of the values is kept. */
function credentialsDigest(credentials: Credentials): string {
  const entries = Object.entries(credentials)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
