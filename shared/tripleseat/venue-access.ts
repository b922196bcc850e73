/**
 * How a venue reaches Tripleseat's REST API, from its credentials: a refreshing OAuth 2.0 source when the
 * secret holds the OAuth client (id + secret), a static token when it holds only `tripleseatOauthToken`,
 * nothing otherwise. And the port the poller hands the engine, on which an OAuth failure costs only the
 * lookup, never lead creation by public key.
 */
import { AuthError, TransientApiError } from '../rate-limit/errors';
import type { ApiCaller } from '../rate-limit/types';
import type { TripleseatPort } from '../sync/ports';
import type { TripleseatClient } from './client';
import {
  RefreshingAccessToken,
  StaticAccessToken,
  TripleseatTokenEndpoint,
  type AccessTokenSource,
  type TokenPairStore,
} from './oauth';

export interface TripleseatOAuthCredentials {
  tripleseatOauthToken?: string;
  tripleseatClientId?: string;
  tripleseatClientSecret?: string;
  tripleseatRefreshToken?: string;
}

export interface AccessTokenSourceOptions {
  venueId: string;
  credentials: TripleseatOAuthCredentials;
  /** The REST API base (TRIPLESEAT_BASE_URI); the token endpoint is `{baseUrl}/oauth2/token`. */
  baseUrl: string;
  caller: ApiCaller;
  /** The reconciliation table's token items (an OAuthTokenStore). */
  tokenStore: TokenPairStore;
  now?: () => number;
}

/** Refreshing when the OAuth client is configured (it wins over a static token), else static, else none. */
export function tripleseatAccessTokens(options: AccessTokenSourceOptions): AccessTokenSource | undefined {
  const { credentials, venueId } = options;
  if (credentials.tripleseatClientId && credentials.tripleseatClientSecret) {
    return new RefreshingAccessToken({
      venueId,
      endpoint: new TripleseatTokenEndpoint({
        baseUrl: options.baseUrl,
        clientId: credentials.tripleseatClientId,
        clientSecret: credentials.tripleseatClientSecret,
        caller: options.caller,
        now: options.now,
      }),
      store: options.tokenStore,
      bootstrapRefreshToken: credentials.tripleseatRefreshToken,
      now: options.now,
    });
  }
  if (credentials.tripleseatOauthToken) return new StaticAccessToken(credentials.tripleseatOauthToken);
  return undefined;
}

/**
 * The engine's Tripleseat port for one run. Without OAuth it has no lookup (as before). With OAuth, an
 * AuthError from the lookup (a TripleseatOAuthError when a refresh was refused; a plain AuthError when a
 * static token was refused) is about OAuth only: it is reported once through `onOAuthFailure` (the poller
 * publishes `TripleseatAuthFailed`) and reaches the engine as a TransientApiError, so the record that needed
 * the lookup is retried later (and quarantined after its attempts) instead of re-sent blindly, and the run
 * goes on creating the other leads by public key. A refused public key on create still stops the run.
 */
export function tripleseatPortFor(
  client: TripleseatClient,
  onOAuthFailure: (error: AuthError) => void = () => {},
): TripleseatPort {
  const createLead: TripleseatPort['createLead'] = (lead) => client.createLead(lead);
  if (!client.hasOauth) return { createLead };
  let reported = false;
  return {
    createLead,
    findLeadsByEmail: async (email) => {
      try {
        return await client.findLeadsByEmail(email);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        if (!reported) onOAuthFailure(error);
        reported = true;
        throw new TransientApiError('tripleseat', `lead lookup unavailable: ${error.message}`, {
          status: error.status,
          cause: error,
        });
      }
    },
  };
}
