/**
 * Removes what must never reach a log: query strings of URLs (Tripleseat's `public_key=` lives there),
 * bare `public_key=`/`access_token=`-style pairs, bearer tokens, token-shaped strings
 * (HubSpot `pat-…`, Webex `sk_live_…`/`sk_test_…`), and email addresses (personal data: HubSpot's
 * validation messages quote the rejected value, e.g. "Email address a@b is invalid").
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(https?:\/\/[^\s?#"'<>]+)\?[^\s#"'<>]*/gi, '$1?[redacted]')
    .replace(
      /\b(public_key|access_token|refresh_token|api_key|apikey|token|client_secret|hapikey)=[^\s&"'<>]*/gi,
      '$1=[redacted]',
    )
    .replace(/\b(authorization\s*[:=]\s*)("?)[^\s",}]+(\s+[^\s",}]+)?/gi, '$1$2[redacted]')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\bpat-[a-z0-9]+-[0-9a-f-]{8,}/gi, '[redacted-token]')
    .replace(/\bsk_(live|test)_[A-Za-z0-9]+/gi, '[redacted-token]')
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/g, '[redacted-email]');
}
