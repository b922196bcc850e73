/**
 * The HubSpot batch adapter's per-record failures: every record HubSpot did not confirm is a failure,
 * and the reasons (which the engines log) never carry the personal data HubSpot's messages quote.
 */
import { describe, expect, it } from 'vitest';
import { HubSpotContacts, newestTrueAt } from '../../shared/hubspot/contacts';
import type { HubSpotApis } from '../../shared/hubspot/sdk';
import { PermanentApiError, type ApiCaller } from '../../shared/rate-limit';

const directCaller: ApiCaller = {
  call: (_api, fn) => fn(),
  stats: () => {
    throw new Error('not used');
  },
};

describe('Class: HubSpotContacts', () => {
  describe('Method: upsertByEmail', () => {
    it('reports unconfirmed records as failures whose reasons name no email address', async () => {
      // Prepare: a 207 confirming one record and naming the other as invalid.
      const apis = {
        batch: {
          upsert: async () => ({
            results: [{ id: '101', _new: true, properties: { email: 'ok@example.com' } }],
            errors: [
              {
                category: 'VALIDATION_ERROR',
                message: 'Email address Bad.Person@example.com is invalid',
                context: { ids: ['bad.person@example.com'] },
              },
            ],
          }),
        },
      } as unknown as HubSpotApis;
      const contacts = new HubSpotContacts(apis, directCaller);

      // Act
      const { results, failed } = await contacts.upsertByEmail([
        { email: 'OK@example.com', properties: { firstname: 'Ok' } },
        { email: 'Bad.Person@example.com', properties: { firstname: 'Bad' } },
      ]);

      // Assess
      expect(results).toEqual([{ email: 'ok@example.com', id: '101', created: true }]);
      expect(failed).toEqual([
        {
          id: 'bad.person@example.com',
          reason: 'VALIDATION_ERROR: Email address [redacted-email] is invalid',
        },
      ]);
    });
  });

  describe('Method: updateContacts', () => {
    it('isolates the one input that makes HubSpot refuse a whole batch, and updates all the others', async () => {
      // Prepare: HubSpot answers 400 for any batch that contains the poisoned contact.
      const sent: string[][] = [];
      const apis = {
        batch: {
          update: async ({ inputs }: { inputs: Array<{ id: string }> }) => {
            sent.push(inputs.map((input) => input.id));
            if (inputs.some((input) => input.id === '7')) {
              throw new PermanentApiError(
                'hubspot',
                'HTTP 400 VALIDATION_ERROR: Property values were not valid',
                {
                  status: 400,
                },
              );
            }
            return { results: inputs.map(({ id }) => ({ id, properties: {} })) };
          },
        },
      } as unknown as HubSpotApis;
      const contacts = new HubSpotContacts(apis, directCaller);
      const updates = Array.from({ length: 20 }, (_, i) => ({
        id: String(i),
        properties: { flag: 'false' },
      }));

      // Act
      const { failed } = await contacts.updateContacts(updates);

      // Assess
      expect(failed).toEqual([{ id: '7', reason: expect.stringContaining('VALIDATION_ERROR') }]);
      const updatedOnce = sent.filter((batch) => !batch.includes('7')).flat();
      expect(updatedOnce.sort()).toEqual(
        updates
          .map((u) => u.id)
          .filter((id) => id !== '7')
          .sort(),
      );
      expect(sent.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(20)));
    });
  });
});

describe('Function: newestTrueAt', () => {
  const history = [
    { value: 'true', timestamp: '2026-11-01T10:00:00.000Z' },
    { value: 'false', timestamp: '2026-11-01T10:05:00.000Z' },
    { value: 'true', timestamp: '2026-11-01T10:10:00.000Z' },
  ];

  it('takes the latest "true" by timestamp when history is oldest first', () => {
    expect(newestTrueAt(history)).toBe('2026-11-01T10:10:00.000Z');
  });

  it('takes the latest "true" by timestamp when history is newest first', () => {
    expect(newestTrueAt([...history].reverse())).toBe('2026-11-01T10:10:00.000Z');
  });

  it('is undefined when the flag was never set', () => {
    expect(newestTrueAt([{ value: 'false', timestamp: '2026-11-01T10:00:00.000Z' }])).toBeUndefined();
  });
});
