/**
 * Private-app bearer tokens: each token is one app with a set of scopes. Unknown or revoked tokens
 * get the 401 body, a missing scope the 403 MISSING_SCOPES body (HubSpot's error-handling guide).
 */
import { HubSpotApiError } from './errors';

export const ALL_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
];

/** A token given as a bare string gets every scope above. */
export type TokenSpec = string | { token: string; scopes?: string[] };

export interface TokenInfo {
  token: string;
  scopes: string[];
  appId: number;
  userId: number;
  revoked: boolean;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenInfo>();

  constructor(specs: TokenSpec[]) {
    for (const spec of specs) this.add(spec);
  }

  add(spec: TokenSpec): TokenInfo {
    const token = typeof spec === 'string' ? spec : spec.token;
    const scopes = typeof spec === 'string' ? ALL_SCOPES : (spec.scopes ?? ALL_SCOPES);
    const index = this.tokens.size;
    const info: TokenInfo = {
      token,
      scopes: [...scopes],
      appId: 4_000_001 + index,
      userId: 9_000_001 + index,
      revoked: false,
    };
    this.tokens.set(token, info);
    return info;
  }

  revoke(token: string): void {
    const info = this.tokens.get(token);
    if (info) info.revoked = true;
  }

  lookup(token: string | undefined): TokenInfo | undefined {
    const info = token ? this.tokens.get(token) : undefined;
    return info && !info.revoked ? info : undefined;
  }

  /** Resolves the `Authorization: Bearer` header or throws the 401. */
  authenticate(header: string | string[] | undefined): TokenInfo {
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
    const info = this.lookup(match?.[1]?.trim());
    if (!info) throw unauthenticated();
    return info;
  }
}

export function unauthenticated(): HubSpotApiError {
  return new HubSpotApiError(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

export function requireScope(info: TokenInfo, scope: string): void {
  if (info.scopes.includes(scope)) return;
  throw new HubSpotApiError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: [scope] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}
