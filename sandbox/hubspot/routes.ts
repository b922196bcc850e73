/**
 * The HTTP surface: matches `METHOD path` to a handler, then applies auth, rate limits and scopes in
 * HubSpot's order (401 before 429 before 403) and turns thrown `HubSpotApiError`s into JSON bodies.
 * Every response, errors included, is JSON: the SDK throws a plain Error otherwise (seen in @hubspot/api-client).
 */
import type { SimRequest, SimResponse } from '../sim-kit';
import { requireScope, unauthenticated } from './auth';
import { CONTACT_ROUTES } from './contacts-routes';
import { HubSpotApiError, validationError } from './errors';
import { isObject, type Route, type RouteContext } from './http';
import { PROPERTY_ROUTES } from './properties-routes';

export { BATCH_HISTORY_LIMIT, BATCH_LIMIT } from './contacts-routes';
export type { RouteContext } from './http';
export const TOKEN_INFO_PATH = '/oauth/v2/private-apps/get/access-token-info';

// Order matters: fixed paths (search, batch, groups) before the `{id}` / `{name}` patterns.
const ROUTES: Route[] = [...CONTACT_ROUTES, ...PROPERTY_ROUTES];

/** Builds the simulator's request handler over shared state. */
export function createHandler(ctx: RouteContext): (request: SimRequest) => SimResponse {
  return (request) => {
    const correlationId = ctx.correlationId();
    const withCorrelation = (response: SimResponse): SimResponse => ({
      ...response,
      headers: { ...response.headers, 'X-HubSpot-Correlation-Id': correlationId },
    });
    const fail = (error: HubSpotApiError, headers: Record<string, string> = {}): SimResponse =>
      withCorrelation({ status: error.status, body: error.toBody(correlationId), headers });

    try {
      if (request.method === 'POST' && request.path === TOKEN_INFO_PATH) {
        return withCorrelation(tokenInfo(ctx, parseJson(request.rawBody)));
      }
      const found = matchRoute(request);
      if (!found) {
        return fail(
          new HubSpotApiError(
            404,
            'RESOURCE_NOT_FOUND',
            `Unable to route ${request.method} ${request.path}.`,
          ),
        );
      }
      const auth = ctx.tokens.authenticate(request.headers.authorization);
      const decision = ctx.limiter.check({
        now: ctx.now(),
        appId: auth.appId,
        isSearch: found.route.search === true,
        correlationId: ctx.correlationId,
      });
      if (!decision.allowed)
        return withCorrelation({ status: 429, body: decision.body, headers: decision.headers });
      try {
        requireScope(auth, found.route.scope);
        const body =
          request.method === 'GET' || request.method === 'DELETE' ? undefined : parseJson(request.rawBody);
        const response = found.route.handle(ctx, {
          params: found.params,
          request,
          body,
          auth,
          source: { sourceType: 'INTEGRATION', sourceId: String(auth.appId) },
        });
        return withCorrelation({ ...response, headers: { ...decision.headers, ...response.headers } });
      } catch (error) {
        if (error instanceof HubSpotApiError) return fail(error, decision.headers);
        throw error;
      }
    } catch (error) {
      if (error instanceof HubSpotApiError) return fail(error);
      throw error;
    }
  };
}

function matchRoute(request: SimRequest): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== request.method) continue;
    const match = route.pattern.exec(request.path);
    if (match) return { route, params: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  return undefined;
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw validationError(`Invalid input JSON: ${(error as Error).message}`);
  }
}

// --- token introspection ------------------------------------------------------------------

/**
 * `POST /oauth/v2/private-apps/get/access-token-info` with `{tokenKey}` -> `{userId, hubId, appId,
 * scopes}`. Needs no scope and no Authorization header; not counted against the rate limits here.
 */
function tokenInfo(ctx: RouteContext, body: unknown): SimResponse {
  const key = isObject(body) && typeof body.tokenKey === 'string' ? body.tokenKey : undefined;
  if (!key) throw validationError('Missing required field: tokenKey');
  const info = ctx.tokens.lookup(key);
  if (!info) throw unauthenticated();
  return {
    status: 200,
    body: { userId: info.userId, hubId: ctx.portalId, appId: info.appId, scopes: info.scopes },
  };
}
