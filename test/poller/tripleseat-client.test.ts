/**
 * The lead create is not idempotent (Tripleseat documents no idempotency key): any answer that does not
 * prove the lead was NOT written must reach the poller as an AmbiguousOutcomeError after exactly one
 * request, never be retried by the shared retry policy.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AmbiguousOutcomeError, TransientApiError, createApiCaller } from '../../shared/rate-limit';
import { TripleseatClient } from '../../shared/tripleseat/client';

const lead = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email_address: 'ada@example.com',
  phone_number: '+16175550100',
};

function clientAnswering(status: number, body: string) {
  const fetchMock = vi.fn(async () => new Response(body === '' ? null : body, { status }));
  vi.stubGlobal('fetch', fetchMock);
  const caller = createApiCaller({ hubspotTenSecondLimit: 100, sleep: async () => undefined });
  const client = new TripleseatClient(
    { publicKey: 'ts-pk-secret', baseUrl: 'http://tripleseat.test' },
    caller,
  );
  return { client, fetchMock, caller };
}

describe('Class: TripleseatClient', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  describe('Method: createLead', () => {
    it.each([500, 502, 504])(
      'a %i is ambiguous (the lead may exist): one request, no blind retry',
      async (status) => {
        const { client, fetchMock, caller } = clientAnswering(status, '{"error":"upstream"}');

        const error = await client.createLead(lead).catch((e: unknown) => e);
        await caller.close();

        expect(error).toBeInstanceOf(AmbiguousOutcomeError);
        expect(String((error as Error).message)).not.toContain('ts-pk-secret');
        expect(fetchMock).toHaveBeenCalledTimes(1);
      },
    );

    it('a 503 turned the request away: transient, retried by the policy', async () => {
      const { client, fetchMock, caller } = clientAnswering(503, '');

      const error = await client.createLead(lead).catch((e: unknown) => e);
      await caller.close();

      expect(error).toBeInstanceOf(TransientApiError);
      expect(fetchMock.mock.calls.length).toBeGreaterThan(1);
    });

    it('a 200 without a readable body is ambiguous, not a crash that a later tick re-sends', async () => {
      const { client, fetchMock, caller } = clientAnswering(200, '');

      const error = await client.createLead(lead).catch((e: unknown) => e);
      await caller.close();

      expect(error).toBeInstanceOf(AmbiguousOutcomeError);
      expect(fetchMock).toHaveBeenCalledTimes(1);
    });
  });
});
