import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  buildSignedUri,
  decodeHubSpotUri,
  signHubSpotV1,
  signHubSpotV2,
  signHubSpotV3,
  verifyHubSpotDelivery,
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

describe('Function: verifyHubSpotDelivery', () => {
  const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const legacy = (version: string, signature: string, overrides: Record<string, string> = {}) => ({
    method: 'POST',
    uri: URI,
    body: BODY,
    headers: { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': version, ...overrides },
  });
  const options = { appSecret: APP_SECRET, now: NOW };

  it('matches the documented v1 recipe: hex SHA-256 of client secret + body', () => {
    expect(signHubSpotV1({ appSecret: APP_SECRET, body: BODY })).toBe(sha256Hex(`${APP_SECRET}${BODY}`));
  });

  it('matches the documented v2 recipe: hex SHA-256 of client secret + method + URI + body', () => {
    expect(signHubSpotV2({ appSecret: APP_SECRET, method: 'POST', uri: URI, body: BODY })).toBe(
      sha256Hex(`${APP_SECRET}POST${URI}${BODY}`),
    );
  });

  it('accepts a valid v1 delivery (in either hex case)', () => {
    // Prepare
    const signature = signHubSpotV1({ appSecret: APP_SECRET, body: BODY });

    // Act
    const lower = verifyHubSpotDelivery(legacy('v1', signature), options);
    const upper = verifyHubSpotDelivery(legacy('V1', signature.toUpperCase()), options);

    // Assess
    expect(lower).toEqual({ ok: true, version: 'v1' });
    expect(upper).toEqual({ ok: true, version: 'v1' });
  });

  it.each([
    ['signed with another secret', signHubSpotV1({ appSecret: 'not-the-secret', body: BODY }), BODY],
    [
      'with a tampered body',
      signHubSpotV1({ appSecret: APP_SECRET, body: BODY }),
      BODY.replace('true', 'TRUE'),
    ],
    ['with a signature of another length', 'abc', BODY],
  ])('refuses a forged v1 delivery %s', (_case, signature, body) => {
    const verdict = verifyHubSpotDelivery({ ...legacy('v1', signature), body }, options);

    expect(verdict).toMatchObject({ ok: false, reason: 'signature-mismatch' });
    expect(JSON.stringify(verdict)).not.toContain(signature);
  });

  it('accepts a valid v2 delivery, signed over the URI as received or as HubSpot decodes it', () => {
    // Prepare
    const uri = 'https://abc123.lambda-url.us-east-1.on.aws/hook?portal=1%3A2';
    const asReceived = signHubSpotV2({ appSecret: APP_SECRET, method: 'POST', uri, body: BODY });
    const decoded = signHubSpotV2({
      appSecret: APP_SECRET,
      method: 'POST',
      uri: decodeHubSpotUri(uri),
      body: BODY,
    });

    // Act
    const first = verifyHubSpotDelivery({ ...legacy('v2', asReceived), uri }, options);
    const second = verifyHubSpotDelivery({ ...legacy('v2', decoded), uri }, options);

    // Assess
    expect(first).toEqual({ ok: true, version: 'v2', uriForm: 'as-received' });
    expect(second).toEqual({ ok: true, version: 'v2', uriForm: 'hubspot-decoded' });
  });

  it.each([
    ['another method', { method: 'PUT' }],
    ['another URI', { uri: 'https://attacker.example/' }],
    ['another body', { body: '[]' }],
  ])('refuses a v2 delivery signed over %s', (_case, changed) => {
    // Prepare
    const signature = signHubSpotV2({ appSecret: APP_SECRET, method: 'POST', uri: URI, body: BODY });

    // Act
    const verdict = verifyHubSpotDelivery({ ...legacy('v2', signature), ...changed }, options);

    // Assess
    expect(verdict).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('refuses a v1 signature presented as v2 and the reverse', () => {
    const v1 = signHubSpotV1({ appSecret: APP_SECRET, body: BODY });
    const v2 = signHubSpotV2({ appSecret: APP_SECRET, method: 'POST', uri: URI, body: BODY });

    expect(verifyHubSpotDelivery(legacy('v2', v1), options)).toMatchObject({ ok: false });
    expect(verifyHubSpotDelivery(legacy('v1', v2), options)).toMatchObject({ ok: false });
  });

  it('refuses a legacy signature without a known version', () => {
    const v1 = signHubSpotV1({ appSecret: APP_SECRET, body: BODY });

    expect(verifyHubSpotDelivery(legacy('v9', v1), options)).toMatchObject({
      ok: false,
      reason: 'unsupported-signature-version',
    });
  });

  it('prefers v3 when present and never falls back to a valid v1 when v3 fails', () => {
    // Prepare
    const v1 = signHubSpotV1({ appSecret: APP_SECRET, body: BODY });
    const v3 = signed();
    const headers = (signature: string) => ({
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': v3.timestamp,
      'x-hubspot-signature': v1,
      'x-hubspot-signature-version': 'v1',
    });

    // Act
    const good = verifyHubSpotDelivery(
      { method: 'POST', uri: URI, body: BODY, headers: headers(v3.signature ?? '') },
      options,
    );
    const bad = verifyHubSpotDelivery(
      { method: 'POST', uri: URI, body: BODY, headers: headers('forged') },
      options,
    );

    // Assess
    expect(good).toEqual({ ok: true, version: 'v3', uriForm: 'as-received' });
    expect(bad).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('reports a delivery with no signature header at all', () => {
    expect(
      verifyHubSpotDelivery({ method: 'POST', uri: URI, body: BODY, headers: {} }, options),
    ).toMatchObject({
      ok: false,
      reason: 'missing-signature',
    });
  });
});
