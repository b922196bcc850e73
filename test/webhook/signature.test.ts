import { describe, expect, it } from 'vitest';
import {
  buildSignedUri,
  decodeHubSpotUri,
  signHubSpotV3,
  verifyHubSpotSignatureV3,
  type SignedRequest,
} from '../../shared/webhook/signature';

const APP_SECRET = 'app-secret-0000-1111';
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const URI = 'https://abc123.lambda-url.us-east-1.on.aws/';
const BODY = '[{"eventId":1,"propertyName":"tripleseat_sync_venue_a","propertyValue":"true"}]';

function signed(
  overrides: Partial<SignedRequest> & { signWith?: string; signUri?: string; timestamp?: string } = {},
): SignedRequest {
  const timestamp = overrides.timestamp ?? String(NOW - 1_000);
  const method = overrides.method ?? 'POST';
  const body = overrides.body ?? BODY;
  const signature = signHubSpotV3({
    appSecret: overrides.signWith ?? APP_SECRET,
    method,
    uri: overrides.signUri ?? overrides.uri ?? URI,
    body,
    timestamp,
  });
  return { method, uri: overrides.uri ?? URI, body, timestamp, signature: overrides.signature ?? signature };
}

describe('Function: verifyHubSpotSignatureV3', () => {
  it('accepts a request signed with the app secret', () => {
    // Prepare
    const request = signed();

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toEqual({ ok: true, uriForm: 'as-received' });
  });

  it('matches the documented recipe: base64 HMAC-SHA256 over method + uri + body + timestamp', async () => {
    // Prepare
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', APP_SECRET).update(`POST${URI}${BODY}${NOW}`).digest('base64');

    // Act
    const signature = signHubSpotV3({
      appSecret: APP_SECRET,
      method: 'POST',
      uri: URI,
      body: BODY,
      timestamp: NOW,
    });

    // Assess
    expect(signature).toBe(expected);
  });

  it('rejects a tampered body', () => {
    // Prepare
    const request = { ...signed(), body: BODY.replace('venue_a', 'venue_b') };

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('rejects a request signed with another secret, without revealing either signature', () => {
    // Prepare
    const request = signed({ signWith: 'some-other-secret' });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    const detail = result.ok ? '' : result.detail;
    expect(detail).not.toContain(APP_SECRET);
    expect(detail).not.toContain(request.signature);
    expect(detail).not.toContain(
      signHubSpotV3({
        appSecret: APP_SECRET,
        method: 'POST',
        uri: URI,
        body: BODY,
        timestamp: request.timestamp ?? '',
      }),
    );
  });

  it('rejects a timestamp older than 5 minutes even when correctly signed', () => {
    // Prepare
    const request = signed({ timestamp: String(NOW - 300_001) });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'stale-timestamp' });
  });

  it('accepts a timestamp exactly 5 minutes old', () => {
    // Prepare
    const request = signed({ timestamp: String(NOW - 300_000) });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('rejects a timestamp more than 5 minutes in the future', () => {
    // Prepare
    const request = signed({ timestamp: String(NOW + 300_001) });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toMatchObject({ ok: false, reason: 'future-timestamp' });
  });

  it('accepts a small clock skew into the future', () => {
    // Prepare
    const request = signed({ timestamp: String(NOW + 30_000) });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result.ok).toBe(true);
  });

  it('accepts a URI signed in the decoded form HubSpot documents', () => {
    // Prepare
    const received = 'https://hooks.example.com/hubspot?redirect=https%3A%2F%2Fexample.com%2Fdone&name=a%20b';
    const request = signed({
      uri: received,
      signUri: 'https://hooks.example.com/hubspot?redirect=https://example.com/done&name=a%20b',
    });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toEqual({ ok: true, uriForm: 'hubspot-decoded' });
  });

  it('also accepts the URI signed exactly as received (what the Node SDK does)', () => {
    // Prepare
    const received = 'https://hooks.example.com/hubspot?redirect=https%3A%2F%2Fexample.com';
    const request = signed({ uri: received });

    // Act
    const result = verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(result).toEqual({ ok: true, uriForm: 'as-received' });
  });

  it('does not throw on a signature of another length', () => {
    // Prepare
    const request = { ...signed(), signature: 'c2hvcnQ=' };

    // Act
    const act = () => verifyHubSpotSignatureV3(request, { appSecret: APP_SECRET, now: NOW });

    // Assess
    expect(act).not.toThrow();
    expect(act()).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('reports missing and non-numeric headers', () => {
    // Prepare
    const request = signed();

    // Act
    const noSignature = verifyHubSpotSignatureV3(
      { ...request, signature: undefined },
      { appSecret: APP_SECRET, now: NOW },
    );
    const noTimestamp = verifyHubSpotSignatureV3(
      { ...request, timestamp: undefined },
      { appSecret: APP_SECRET, now: NOW },
    );
    const badTimestamp = verifyHubSpotSignatureV3(
      { ...request, timestamp: '2026-11-23T12:00:00Z' },
      { appSecret: APP_SECRET, now: NOW },
    );

    // Assess
    expect(noSignature).toMatchObject({ ok: false, reason: 'missing-signature' });
    expect(noTimestamp).toMatchObject({ ok: false, reason: 'missing-timestamp' });
    expect(badTimestamp).toMatchObject({ ok: false, reason: 'invalid-timestamp' });
  });
});

describe('Function: buildSignedUri', () => {
  it('rebuilds https://host + rawPath, adding ?rawQueryString only when there is one', () => {
    // Act
    const withQuery = buildSignedUri({
      host: 'h.example.com',
      rawPath: '/hook',
      rawQueryString: 'a=1&b=%3A',
    });
    const withoutQuery = buildSignedUri({ host: 'h.example.com', rawPath: '/', rawQueryString: '' });

    // Assess
    expect(withQuery).toBe('https://h.example.com/hook?a=1&b=%3A');
    expect(withoutQuery).toBe('https://h.example.com/');
  });
});

describe('Function: decodeHubSpotUri', () => {
  it("decodes only HubSpot's listed characters, in either hex case", () => {
    // Act
    const decoded = decodeHubSpotUri('https://h/p?x=%3a%2F%40%21%24%27%28%29%2A%2C%3B%3F&y=%20%26');

    // Assess
    expect(decoded).toBe("https://h/p?x=:/@!$'()*,;?&y=%20%26");
  });
});
