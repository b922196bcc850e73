/**
 * A venue's current OAuth token pair (access + rotating refresh token), one item in the venue's own
 * partition: pk `VENUE#<id>`, sk `OAUTH#<provider>`. Every write is conditional on the version it was
 * based on, so when several refreshers race (scheduled poll, webhook-triggered poll, the CLI) exactly one
 * pair wins and the others re-read it instead of overwriting it with a pair nobody else knows about.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from './keys';
import { TableAccess, type StoreOptions } from './table-access';

export interface OAuthTokenPair {
  accessToken: string;
  refreshToken: string;
  /** When the pair was asked for (epoch ms); with expiresAtMs, the token's lifetime. */
  issuedAtMs: number;
  /** When the access token stops working (epoch ms), as computed when it was issued. */
  expiresAtMs: number;
}

export interface StoredOAuthTokenPair extends OAuthTokenPair {
  /** Starts at 1; each accepted write adds one. */
  version: number;
  /** Who wrote this version (e.g. `refresh`, `authorization_code`), for `status` and debugging. */
  writtenBy: string;
  writtenAt: string;
}

const StoredPairSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  issuedAtMs: z.number(),
  expiresAtMs: z.number(),
  version: z.number().int().positive(),
  writtenBy: z.string(),
  writtenAt: z.string(),
});

export type SaveOutcome = { saved: true; stored: StoredOAuthTokenPair } | { saved: false };

export type OAuthTokenStoreOptions = Pick<StoreOptions, 'client' | 'tableName' | 'now'>;

export class OAuthTokenStore {
  private readonly access: TableAccess;

  constructor(options: OAuthTokenStoreOptions) {
    this.access = new TableAccess(options);
  }

  /** The stored pair, or undefined when the venue was never authorized. Always a strongly consistent read. */
  async read(venueId: string, provider: string): Promise<StoredOAuthTokenPair | undefined> {
    const item = await this.access.get(keys.venue(venueId), keys.oauthTokens(provider));
    if (!item) return undefined;
    const parsed = StoredPairSchema.safeParse(item);
    if (!parsed.success) {
      // Name the item and the fields, never the values (they are secrets).
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new Error(
        `OAuth token item ${keys.venue(venueId)}/${keys.oauthTokens(provider)} is malformed (${fields}); ` +
          `re-authorize with 'venue-sync tripleseat-auth ${venueId}'`,
      );
    }
    return parsed.data;
  }

  /**
   * Saves `pair` as the version after `basedOn` (undefined: there must be no item yet). Returns
   * `{saved: false}` when someone else wrote first; the caller then re-reads and uses their pair.
   */
  async save(
    venueId: string,
    provider: string,
    pair: OAuthTokenPair,
    basedOn: number | undefined,
    writtenBy: string,
  ): Promise<SaveOutcome> {
    const stored: StoredOAuthTokenPair = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      issuedAtMs: pair.issuedAtMs,
      expiresAtMs: pair.expiresAtMs,
      version: (basedOn ?? 0) + 1,
      writtenBy,
      writtenAt: new Date(this.access.now()).toISOString(),
    };
    const saved = await this.access.ifConditionHolds(() =>
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
      this.access.doc.send(
        new PutCommand({
          TableName: this.access.table,
          Item: { pk: keys.venue(venueId), sk: keys.oauthTokens(provider), ...stored },
          ...(basedOn === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :basedOn',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':basedOn': basedOn },
              }),
        }),
      ),
    );
    return saved ? { saved: true, stored } : { saved: false };
  }
}
