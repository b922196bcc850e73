/**
 * What a destination's answer to a create means, by the venue's configured rules (pure): created (with
 * the id from its JSON path), rejected (with the reason from its JSON path), retryable (turned away,
 * nothing stored), credentials refused (the run stops), and everything else ambiguous: the request
 * reached the platform and may have been stored, so it is never re-sent blindly.
 */
import type { HttpDestinationConfig } from '../config/destination';
import { readJsonText } from './json-path';

export type CreateAnswer =
  | { kind: 'created'; leadId: string | undefined }
  | { kind: 'rejected'; reason: string }
  | { kind: 'retryable'; why: string }
  | { kind: 'auth'; why: string }
  | { kind: 'ambiguous'; why: string };

/** 401/403 stop the run unless the venue lists them under another rule. */
const AUTH_STATUSES = new Set([401, 403]);
const MAX_REASON_CHARS = 200;

export function classifyCreateAnswer(
  config: Pick<HttpDestinationConfig, 'created' | 'rejected' | 'retryable'>,
  status: number,
  body: unknown,
): CreateAnswer {
  if (config.created.statuses.includes(status)) {
    const error = config.rejected.errorInCreatedPath
      ? readJsonText(body, config.rejected.errorInCreatedPath)
      : undefined;
    if (error !== undefined) return { kind: 'rejected', reason: shorten(error) };
    const leadId = config.created.idPath ? readJsonText(body, config.created.idPath) : undefined;
    return { kind: 'created', leadId };
  }
  if (config.rejected.statuses.includes(status)) {
    const reason = config.rejected.reasonPath ? readJsonText(body, config.rejected.reasonPath) : undefined;
    return { kind: 'rejected', reason: shorten(reason ?? `refused with HTTP ${status}`) };
  }
  if (config.retryable.statuses.includes(status)) return { kind: 'retryable', why: `HTTP ${status}` };
  if (AUTH_STATUSES.has(status)) return { kind: 'auth', why: `HTTP ${status}` };
  return { kind: 'ambiguous', why: `HTTP ${status}` };
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON_CHARS ? `${oneLine.slice(0, MAX_REASON_CHARS - 1)}…` : oneLine;
}
