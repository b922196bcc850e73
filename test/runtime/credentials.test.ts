/**
 * Credentials for the handlers: a secret read through Powertools Parameters with a maximum age, so a
 * rotated secret reaches a warm container without a redeploy.
 *
 * Secrets Manager is mocked with aws-sdk-client-mock (no AWS account in tests): the mock answers
 * GetSecretValue for every SecretsManagerClient, the real SDK client and Powertools provider run on top
 * of it. Only Date is faked (the Parameters cache reads it), never timers.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../lambdas/hubspot-webhook/handler';
import {
  CredentialsError,
  SECRET_MAX_AGE_SECONDS,
  credentialsSource,
} from '../../shared/runtime/credentials';
import { CredentialSourceSchema } from '../../shared/runtime/env';
import { cachedByCredentials } from '../../shared/runtime/load-once';
import { signHubSpotV3 } from '../../shared/webhook/signature';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:venue-sync/venue-a-AbCdEf';
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const secretsManager = mockClient(SecretsManagerClient);

function secretHolds(value: Record<string, string> | string): void {
  secretsManager
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .resolves({ SecretString: typeof value === 'string' ? value : JSON.stringify(value) });
}

/** The handlers' credential settings, parsed from an environment as the handlers do. */
const env = (variables: Record<string, string>) => CredentialSourceSchema.parse(variables);

const reads = () => secretsManager.commandCalls(GetSecretValueCommand).length;

beforeEach(() => {
  secretsManager.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Function: credentialsSource', () => {
  it('keeps the old value before maxAge and reads the rotated one after it', async () => {
    // Prepare
    secretHolds({ hubspotToken: 'token-v1' });
    const credentials = credentialsSource(env({ SECRET_ARN }));

    // Act / Assess
    expect((await credentials()).hubspotToken).toBe('token-v1');
    secretHolds({ hubspotToken: 'token-v2' }); // rotated in Secrets Manager
    vi.setSystemTime(T0 + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect((await credentials()).hubspotToken).toBe('token-v1');
    expect(reads()).toBe(1);
    vi.setSystemTime(T0 + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
    expect((await credentials()).hubspotToken).toBe('token-v2');
    expect(reads()).toBe(2);
  });

  it('returns the same object while the cached secret is fresh (clients built from it can be kept)', async () => {
    // Prepare
    secretHolds({ hubspotToken: 'token-v1' });
    const credentials = credentialsSource(env({ SECRET_ARN }));

    // Act
    const first = await credentials();
    const second = await credentials();

    // Assess
    expect(second).toBe(first);
  });

  it('reads the environment without touching Secrets Manager when no SECRET_ARN is set', async () => {
    // Act
    const credentials = await credentialsSource(env({ HUBSPOT_TOKEN: 'local-token', WEBEX_TOKEN: 'wx' }))();

    // Assess
    expect(credentials).toMatchObject({ hubspotToken: 'local-token', webexToken: 'wx' });
    expect(reads()).toBe(0);
  });

  it('refuses a secret that is not JSON, naming the secret and never quoting its value', async () => {
    // Prepare
    secretHolds('hubspotToken=pat-na1-very-secret');

    // Act
    const error: unknown = await credentialsSource(env({ SECRET_ARN }))().catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(CredentialsError);
    expect(String(error)).toContain(SECRET_ARN);
    expect(String(error)).toContain('docs/runbook.md');
    expect(String(error)).not.toContain('very-secret');
  });

  it('refuses unknown value types naming the keys, never the values', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ hubspotToken: 42, webexToken: 'wx-secret' }) });

    // Act
    const error: unknown = await credentialsSource(env({ SECRET_ARN }))().catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(CredentialsError);
    expect(String(error)).toContain('hubspotToken');
    expect(String(error)).not.toContain('wx-secret');
  });

  it('does not cache a failed read: the next invocation reads again', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: JSON.stringify({ hubspotToken: 'token-v1' }) });
    const credentials = credentialsSource(env({ SECRET_ARN }));

    // Act / Assess
    await expect(credentials()).rejects.toThrow('throttled');
    expect((await credentials()).hubspotToken).toBe('token-v1');
  });
});

describe('Function: cachedByCredentials', () => {
  it('builds once per distinct secret: kept across cache refreshes, rebuilt after a rotation', async () => {
    // Prepare
    secretHolds({ webexToken: 'wx-v1' });
    const built: string[] = [];
    const client = cachedByCredentials(credentialsSource(env({ SECRET_ARN })), (credentials) => {
      built.push(credentials.webexToken ?? '');
      return { token: credentials.webexToken };
    });

    // Act
    const first = await client();
    vi.setSystemTime(T0 + (SECRET_MAX_AGE_SECONDS + 1) * 1000); // refreshed, same content
    const afterRefresh = await client();
    secretHolds({ webexToken: 'wx-v2' });
    vi.setSystemTime(T0 + (2 * SECRET_MAX_AGE_SECONDS + 2) * 1000);
    const afterRotation = await client();

    // Assess
    expect(afterRefresh).toBe(first);
    expect(afterRotation).toEqual({ token: 'wx-v2' });
    expect(built).toEqual(['wx-v1', 'wx-v2']);
    expect(reads()).toBe(3);
  });

  it('does not keep a failed build: the next call builds again', async () => {
    // Prepare
    let attempts = 0;
    const client = cachedByCredentials(credentialsSource(env({ HUBSPOT_TOKEN: 't' })), () => {
      attempts += 1;
      if (attempts === 1) throw new Error('missing tripleseatPublicKey');
      return 'client';
    });

    // Act / Assess
    await expect(client()).rejects.toThrow('missing tripleseatPublicKey');
    await expect(client()).resolves.toBe('client');
  });
});

describe('Handler: hubspot-webhook with a rotated app secret', () => {
  const HOST = 'abc123xyz.lambda-url.us-east-1.on.aws';
  const body = '[]';
  function signedWith(appSecret: string): Record<string, unknown> {
    const timestamp = String(T0 - 1_000);
    return {
      rawPath: '/',
      rawQueryString: '',
      headers: {
        host: HOST,
        'x-hubspot-signature-v3': signHubSpotV3({
          appSecret,
          method: 'POST',
          uri: `https://${HOST}/`,
          body,
          timestamp,
        }),
        'x-hubspot-request-timestamp': timestamp,
      },
      requestContext: { domainName: HOST, http: { method: 'POST' } },
      body,
      isBase64Encoded: false,
    };
  }

  it('verifies with the old secret until maxAge, then with the rotated one, without a new container', async () => {
    // Prepare
    secretHolds({ hubspotAppSecret: 'app-secret-v1' });
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const handler = createHandler(
      { SECRET_ARN, VENUE_POLLERS: JSON.stringify({}) },
      {
        now: () => T0,
        observability: { log: silent, metrics: { publish: () => undefined } },
        lambda: { send: () => Promise.reject(new Error('no venue should be invoked')) },
      },
    );

    // Act / Assess
    expect((await handler(signedWith('app-secret-v1'))).statusCode).toBe(204);
    secretHolds({ hubspotAppSecret: 'app-secret-v2' });
    vi.setSystemTime(T0 + (SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect((await handler(signedWith('app-secret-v1'))).statusCode).toBe(204);
    vi.setSystemTime(T0 + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
    expect((await handler(signedWith('app-secret-v1'))).statusCode).toBe(401);
    expect((await handler(signedWith('app-secret-v2'))).statusCode).toBe(204);
    expect(reads()).toBe(2);
  });
});
