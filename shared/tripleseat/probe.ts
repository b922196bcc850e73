/**
 * A read-only look at a venue's Tripleseat REST access, for `doctor --probe`: which `created_at` format
 * the account renders (the newest lead's), and whether the OAuth refresh works. Nothing is created or
 * deleted; a refresh rotates the token pair, which is saved before use like any other refresh.
 */
import { ApiError } from '../rate-limit/errors';
import type { TripleseatClient } from './client';
import { createdAtFormat, type CreatedAtFormat } from './created-at';
import { RefreshingAccessToken, TripleseatOAuthError, type AccessTokenSource } from './oauth';

export type RefreshCheck =
  | { status: 'ok' }
  /** A static token: nothing to refresh (it stops working after its 2 h lifetime). */
  | { status: 'static-token' }
  | { status: 'no-oauth' }
  | { status: 'failed'; reason: string; message: string };

export interface TripleseatProbe {
  /** 'unknown' also when the account has no lead yet or the lookup failed (see `leadsError`). */
  createdAtFormat: CreatedAtFormat;
  newestLeadId: string | undefined;
  leadsError: string | undefined;
  refresh: RefreshCheck;
}

/** Pure: the verdict from what was seen. */
export function summarizeProbe(seen: {
  newest: { leadId: string; createdAt: string | undefined } | undefined;
  leadsError: string | undefined;
  refresh: RefreshCheck;
}): TripleseatProbe {
  return {
    createdAtFormat: createdAtFormat(seen.newest?.createdAt),
    newestLeadId: seen.newest?.leadId,
    leadsError: seen.leadsError,
    refresh: seen.refresh,
  };
}

export async function probeTripleseat(
  client: TripleseatClient,
  tokens: AccessTokenSource | undefined,
): Promise<TripleseatProbe> {
  const refresh = await checkRefresh(tokens);
  if (!client.hasOauth) return summarizeProbe({ newest: undefined, leadsError: 'no OAuth access', refresh });
  try {
    return summarizeProbe({ newest: await client.newestLeadCreatedAt(), leadsError: undefined, refresh });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return summarizeProbe({ newest: undefined, leadsError: error.message, refresh });
  }
}

async function checkRefresh(tokens: AccessTokenSource | undefined): Promise<RefreshCheck> {
  if (!tokens) return { status: 'no-oauth' };
  if (!(tokens instanceof RefreshingAccessToken)) return { status: 'static-token' };
  try {
    await tokens.refreshNow();
    return { status: 'ok' };
  } catch (error) {
    if (error instanceof TripleseatOAuthError) {
      return { status: 'failed', reason: error.reason, message: error.message };
    }
    if (error instanceof ApiError) return { status: 'failed', reason: error.name, message: error.message };
    throw error;
  }
}
