import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../shared/runtime/load-once';

describe('Function: loadOnce', () => {
  it('loads once and reuses the result', async () => {
    let loads = 0;
    const load = loadOnce(async () => ++loads);

    const results = await Promise.all([load(), load(), load()]);

    expect(results).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('does not cache a failure: the next call loads again (a secret filled after the first try)', async () => {
    let attempts = 0;
    const load = loadOnce(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('secret not filled yet');
      return 'token';
    });

    await expect(load()).rejects.toThrow('secret not filled yet');
    await expect(load()).resolves.toBe('token');
    expect(attempts).toBe(2);
  });
});
