/**
 * What every route module shares: the context handlers run in, the parsed call, the route shape,
 * and small request-parsing helpers.
 */
import type { SimRequest, SimResponse } from '../sim-kit';
import type { TokenInfo, TokenRegistry } from './auth';
import type { RateLimiter } from './rate-limits';
import type { ContactStore, WriteSource } from './state';

export interface RouteContext {
  store: ContactStore;
  tokens: TokenRegistry;
  limiter: RateLimiter;
  now: () => number;
  correlationId: () => string;
  portalId: number;
  searchIndexLagMs: () => number;
}

export interface Call {
  params: string[];
  request: SimRequest;
  body: unknown;
  auth: TokenInfo;
  source: WriteSource;
}

export interface Route {
  method: string;
  pattern: RegExp;
  scope: string;
  search?: boolean;
  handle: (ctx: RouteContext, call: Call) => SimResponse;
}

export const SCOPES = {
  read: 'crm.objects.contacts.read',
  write: 'crm.objects.contacts.write',
  schemaRead: 'crm.schemas.contacts.read',
  schemaWrite: 'crm.schemas.contacts.write',
} as const;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `properties=a,b&properties=c` -> [a, b, c]; undefined when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
