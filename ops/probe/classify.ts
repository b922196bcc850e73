/**
 * `doctor --probe` verdicts: each function turns one raw observation of a vendor into a verdict on one
 * assumption the product was built on (docs/vendor-assumptions.md lists them all, with the vendor sources).
 * Pure, so every rule is unit-tested without a vendor; ops/probe/observe.ts does the reading.
 *
 * A verdict is `confirmed` (the vendor behaves as assumed), `differs` (it does not; `seen` says how) or
 * `not-checkable` (`seen` says why). `action` is what ops should do; `needsAction` is true only when the
 * product does not cope by itself (then the command exits 1).
 */
import type { CreatedAtFormat } from '../../shared/tripleseat/created-at';
import type { RefreshCheck } from '../../shared/tripleseat/probe';

export type Verdict = 'confirmed' | 'differs' | 'not-checkable';

export type AssumptionVendor = 'webex' | 'hubspot' | 'tripleseat' | 'webhook';

export interface AssumptionResult {
  vendor: AssumptionVendor;
  /** Stable id, e.g. `hubspot.history-order` (docs/vendor-assumptions.md uses the same ids). */
  assumption: string;
  /** The venue the observation belongs to; absent for account-wide ones. */
  venueId?: string;
  /** What the product assumes, in a few words. */
  expected: string;
  verdict: Verdict;
  /** What was seen (confirmed / differs), or why nothing could be seen (not-checkable). */
  seen: string;
  /** What to do; "nothing" when the product copes. */
  action: string;
  needsAction: boolean;
}

type Judged = Pick<AssumptionResult, 'verdict' | 'seen' | 'action' | 'needsAction'>;

const NOTHING = 'nothing: the product handles this';

function notCheckable(why: string, action = 'nothing'): Judged {
  return { verdict: 'not-checkable', seen: why, action, needsAction: false };
}

// ---- Webex Events ------------------------------------------------------------------------------

/** The mapped fields the schema lacks (from the client's attendee plan). */
export function classifyWebexFields(needed: readonly string[], missing: readonly string[]): Judged {
  if (missing.length === 0) {
    return {
      verdict: 'confirmed',
      seen: `all ${needed.length} mapped field(s) exist in the schema`,
      action: 'nothing',
      needsAction: false,
    };
  }
  const noEmail = missing.includes('email');
  return {
    verdict: 'differs',
    seen: `the schema lacks ${missing.join(', ')} (of ${needed.length} mapped)`,
    action:
      `the sync leaves ${missing.length === 1 ? 'that property' : 'those properties'} empty and warns; ` +
      'remove them from webex.fieldMap or map them to fields the schema has' +
      (noEmail ? " (without 'email' no attendee can be synced: ask Webex support which field holds it)" : ''),
    needsAction: true,
  };
}

/** How a connection's items are reached. `nodes` is what the vendor's own SDKs use. */
export function classifyWebexConnection(connection: string, list: 'nodes' | 'edges'): Judged {
  return list === 'nodes'
    ? { verdict: 'confirmed', seen: `${connection} has nodes`, action: 'nothing', needsAction: false }
    : {
        verdict: 'differs',
        seen: `${connection} has edges only (no nodes)`,
        action: `${NOTHING} (queries read edges { cursor node })`,
        needsAction: false,
      };
}

export function classifyWebexTotalCount(connection: string, present: boolean): Judged {
  return present
    ? { verdict: 'confirmed', seen: `${connection} has totalCount`, action: 'nothing', needsAction: false }
    : {
        verdict: 'differs',
        seen: `${connection} has no totalCount`,
        action: `${NOTHING} (it is informative only; progress is shown without a total)`,
        needsAction: false,
      };
}

// ---- HubSpot -----------------------------------------------------------------------------------

/** The venue's checkbox as HubSpot defines it (undefined: no property has the configured label). */
export function classifyFlagType(
  label: string,
  property: { name: string; type: string; fieldType: string } | undefined,
): Judged {
  if (!property) {
    return notCheckable(
      `no property is labelled '${label}'`,
      "run 'venue-sync setup <venue>' (or fix syncFlagLabel), then probe again",
    );
  }
  const seen = `'${property.name}' is type '${property.type}', fieldType '${property.fieldType}'`;
  if (property.type === 'bool' && property.fieldType === 'booleancheckbox') {
    return { verdict: 'confirmed', seen, action: 'nothing', needsAction: false };
  }
  return {
    verdict: 'differs',
    seen,
    action:
      "the poller refuses a flag that is not a single checkbox (type 'bool'): point syncFlagLabel at one or " +
      "run 'venue-sync setup <venue>' to create it",
    needsAction: true,
  };
}

export type HistoryOrder = 'newest-first' | 'oldest-first' | 'single-entry' | 'unordered' | 'empty';

/** The order of one property's `propertiesWithHistory` entries, by their own timestamps. */
export function historyOrderOf(entries: ReadonlyArray<{ timestamp: string | Date }>): HistoryOrder {
  const times = entries.map((entry) => new Date(entry.timestamp).getTime());
  if (times.length === 0) return 'empty';
  if (times.length === 1) return 'single-entry';
  const pairs = times.slice(1).map((time, index) => Math.sign(time - (times[index] as number)));
  // Equal neighbours say nothing; every other step must point the same way.
  const steps = new Set(pairs.filter((sign) => sign !== 0));
  if (steps.size !== 1) return steps.size === 0 ? 'single-entry' : 'unordered';
  return steps.has(-1) ? 'newest-first' : 'oldest-first';
}

/**
 * @param entries the flag's history on one flagged contact, as served; undefined when no contact is
 * flagged (or the read failed: `why`).
 */
export function classifyHistoryOrder(
  entries: ReadonlyArray<{ timestamp: string | Date }> | undefined,
  why?: string,
): Judged {
  if (!entries)
    return notCheckable(why ?? 'no contact has the venue checkbox ticked', 'probe again once one has');
  const order = historyOrderOf(entries);
  const seen = `${order} (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} on a flagged contact)`;
  switch (order) {
    case 'newest-first':
      return { verdict: 'confirmed', seen, action: 'nothing', needsAction: false };
    case 'oldest-first':
    case 'unordered':
      return {
        verdict: 'differs',
        seen,
        action: `${NOTHING} (the request time is the newest "true" by timestamp, never by position)`,
        needsAction: false,
      };
    default:
      return notCheckable(
        `${seen}: one dated entry shows no order`,
        'probe again when a contact has been ticked more than once',
      );
  }
}

/** Case-insensitive header lookup over a plain header object. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * The app's burst tier from `X-HubSpot-RateLimit-Max` / `-Interval-Milliseconds` on an ordinary CRM call,
 * against the configured `hubspotTenSecondLimit`.
 */
export function classifyRateLimitTier(
  headers: Readonly<Record<string, string>> | undefined,
  configuredTenSecondLimit: number,
  why?: string,
): Judged {
  if (!headers) return notCheckable(why ?? 'no HubSpot answer to read the headers from');
  const max = Number(headerValue(headers, 'X-HubSpot-RateLimit-Max'));
  const interval = Number(headerValue(headers, 'X-HubSpot-RateLimit-Interval-Milliseconds') ?? '10000');
  if (!Number.isFinite(max) || max <= 0) {
    return notCheckable(
      'the answer carried no X-HubSpot-RateLimit-Max header (OAuth apps and search answers get none)',
      `keep hubspotTenSecondLimit at the tier of the account (now ${configuredTenSecondLimit})`,
    );
  }
  const perTenSeconds = interval === 10_000 ? max : Math.floor((max * 10_000) / interval);
  const daily = headerValue(headers, 'X-HubSpot-RateLimit-Daily');
  const seen =
    `${perTenSeconds} requests per 10 s` +
    (interval === 10_000 ? '' : ` (${max} per ${interval} ms)`) +
    (daily ? `, ${daily} per day` : '') +
    `; configured ${configuredTenSecondLimit}`;
  if (perTenSeconds === configuredTenSecondLimit) {
    return { verdict: 'confirmed', seen, action: 'nothing', needsAction: false };
  }
  if (perTenSeconds < configuredTenSecondLimit) {
    return {
      verdict: 'differs',
      seen,
      action: `set hubspotTenSecondLimit to ${perTenSeconds} in the config and redeploy: above the tier every burst meets 429s`,
      needsAction: true,
    };
  }
  return {
    verdict: 'differs',
    seen,
    action: `optional: set hubspotTenSecondLimit to ${perTenSeconds} to use the tier fully (the product is slower, not wrong)`,
    needsAction: false,
  };
}

// ---- Tripleseat --------------------------------------------------------------------------------

/** Tripleseat documents 7200 s access tokens. */
export const DOCUMENTED_ACCESS_TOKEN_SECONDS = 7200;

export function classifyRefresh(refresh: RefreshCheck): Judged {
  switch (refresh.status) {
    case 'ok':
      return {
        verdict: 'confirmed',
        seen: 'refresh_token grant answered; the new pair is stored',
        action: 'nothing',
        needsAction: false,
      };
    case 'static-token':
      return notCheckable(
        'a static OAuth token (tripleseatOauthToken) has nothing to refresh; it stops working after its lifetime',
        'give the venue its OAuth client (tripleseatClientId / tripleseatClientSecret) and run tripleseat-auth',
      );
    case 'no-oauth':
      return notCheckable('the venue has no Tripleseat OAuth access');
    case 'failed':
      return {
        verdict: 'differs',
        seen: `refresh failed (${refresh.reason}): ${refresh.message}`,
        action:
          "re-authorize with 'venue-sync tripleseat-auth <venue>'; until then lost create answers are quarantined, leads are still created",
        needsAction: true,
      };
  }
}

/** The access-token lifetime the token endpoint gave (seconds), undefined when no pair was issued. */
export function classifyTokenLifetime(seconds: number | undefined, why?: string): Judged {
  if (seconds === undefined) return notCheckable(why ?? 'no token pair was issued');
  const seen = `access tokens live ${Math.round(seconds)} s`;
  if (Math.abs(seconds - DOCUMENTED_ACCESS_TOKEN_SECONDS) <= 60) {
    return { verdict: 'confirmed', seen, action: 'nothing', needsAction: false };
  }
  return {
    verdict: 'differs',
    seen: `${seen} (documented ${DOCUMENTED_ACCESS_TOKEN_SECONDS} s)`,
    action: `${NOTHING} (it refreshes ahead of expiry, at most at half the lifetime)`,
    needsAction: false,
  };
}

/** The newest lead's `created_at` format; `leadsError` when the lead list could not be read. */
export function classifyCreatedAt(
  format: CreatedAtFormat,
  sample: { leadId: string | undefined; leadsError: string | undefined },
): Judged {
  if (sample.leadsError) return notCheckable(`the lead list could not be read: ${sample.leadsError}`);
  if (!sample.leadId) return notCheckable('the account has no lead yet', 'probe again after the first lead');
  const seen = `lead ${sample.leadId}: ${format}`;
  switch (format) {
    case 'utc':
    case 'offset':
      return { verdict: 'confirmed', seen: `${seen} (an instant)`, action: 'nothing', needsAction: false };
    case 'zoneless':
      return {
        verdict: 'differs',
        seen: `${seen} (wall time, zone unknown)`,
        action: `${NOTHING} (a lookup treats it as ±14 h wide, so no lead is missed; the answer-lost check may see more candidates)`,
        needsAction: false,
      };
    case 'unknown':
      return {
        verdict: 'differs',
        seen: `${seen} (unparseable)`,
        action:
          'a lost create answer cannot be matched by time: such requests are quarantined; report the format so it can be parsed',
        needsAction: true,
      };
  }
}

// ---- Webhook target ----------------------------------------------------------------------------

/** A Lambda Function URL: `https://<url-id>.lambda-url.<region>.on.aws/`. */
const FUNCTION_URL_HOST = /^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$/;

export function classifyWebhookUrl(url: string | undefined, webhookDeployed: boolean): Judged {
  if (!webhookDeployed) return notCheckable('the config deploys no webhook (no webhookSecretName)');
  if (!url) {
    return notCheckable(
      'the target URL is not known here',
      "pass --webhook-url <the stack output 'HubSpotWebhookUrl'> (or WEBHOOK_URL) to check it",
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      verdict: 'differs',
      seen: `'${url}' is not a URL`,
      action: "use the stack output 'HubSpotWebhookUrl' as the target URL",
      needsAction: true,
    };
  }
  if (parsed.protocol !== 'https:') {
    return {
      verdict: 'differs',
      seen: `${parsed.protocol.replace(':', '')} URL`,
      action: "HubSpot only calls https targets: use the stack output 'HubSpotWebhookUrl'",
      needsAction: true,
    };
  }
  if (!FUNCTION_URL_HOST.test(parsed.hostname)) {
    return {
      verdict: 'differs',
      seen: `${parsed.hostname} is not a Lambda Function URL host`,
      action:
        'fine behind a proxy or custom domain only if it forwards the Host header and path unchanged (the v3 ' +
        "signature covers the URL HubSpot called); otherwise use the stack output 'HubSpotWebhookUrl'",
      needsAction: false,
    };
  }
  return {
    verdict: 'confirmed',
    seen: `Function URL in ${parsed.hostname.split('.')[2]}`,
    action: 'nothing',
    needsAction: false,
  };
}
