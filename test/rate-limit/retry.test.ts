import { describe, expect, it, vi } from 'vitest';
import {
  AuthError,
  DailyLimitError,
  PermanentApiError,
  RateLimitedError,
  TransientApiError,
  withRetry,
  type RetryEvent,
} from '../../shared/rate-limit';

/** Records waits instead of sleeping: the policy's only clock. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

function failing(errors: unknown[], result = 'ok'): { fn: () => Promise<string>; attempts: () => number } {
  let attempts = 0;
  return {
    attempts: () => attempts,
    fn: async () => {
      const error = errors[attempts];
      attempts += 1;
      if (error !== undefined) throw error;
      return result;
    },
  };
}

describe('Function: withRetry', () => {
  it('retries transient failures, then returns the result', async () => {
    // Prepare
    const { sleep, waits } = recordingSleep();
    const events: RetryEvent[] = [];
    const call = failing([
      new TransientApiError('tripleseat', 'HTTP 503', { status: 503 }),
      new TransientApiError('tripleseat', 'reset'),
    ]);

    // Act
    const result = await withRetry('tripleseat', call.fn, {
      sleep,
      random: () => 0.5,
      onRetry: (e) => events.push(e),
    });

    // Assess
    expect(result).toBe('ok');
    expect(call.attempts()).toBe(3);
    expect(waits).toEqual([100, 200]); // full jitter at 0.5 of min(cap, 200 * 2^n)
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);
  });

  it.each([
    ['AuthError 401', new AuthError('hubspot', 'HTTP 401', { status: 401 })],
    ['PermanentApiError 400', new PermanentApiError('hubspot', 'HTTP 400', { status: 400 })],
    ['DailyLimitError', new DailyLimitError('hubspot', 'daily')],
    ['a plain Error', new Error('bug')],
  ])('never retries %s (exactly one attempt)', async (_label, error) => {
    // Prepare
    const { sleep, waits } = recordingSleep();
    const call = failing([error]);

    // Act
    const outcome = withRetry('hubspot', call.fn, { sleep });

    // Assess
    await expect(outcome).rejects.toBe(error);
    expect(call.attempts()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('waits exactly retryAfterMs (plus small jitter) after a 429', async () => {
    // Prepare
    const { sleep, waits } = recordingSleep();
    const call = failing([
      new RateLimitedError('hubspot', 'burst', 10_000),
      new RateLimitedError('webex', 'cost', 750),
    ]);

    // Act
    await withRetry('hubspot', call.fn, { sleep, random: () => 0.5, rateLimitJitterMs: 100 });

    // Assess
    expect(waits).toEqual([10_050, 800]);
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    // Prepare
    const { sleep, waits } = recordingSleep();
    const last = new TransientApiError('webex', 'HTTP 502 #5', { status: 502 });
    const errors = [1, 2, 3, 4].map((n) => new TransientApiError('webex', `HTTP 502 #${n}`, { status: 502 }));
    const call = failing([...errors, last, new TransientApiError('webex', 'never reached')]);

    // Act
    const outcome = withRetry('webex', call.fn, {
      sleep,
      maxAttempts: 5,
      random: () => 1,
      maxDelayMs: 1_000,
    });

    // Assess
    await expect(outcome).rejects.toBe(last);
    expect(call.attempts()).toBe(5);
    expect(waits).toEqual([200, 400, 800, 1_000]); // exponential, capped
  });

  it('does not park on a 429 that asks for longer than maxRateLimitWaitMs', async () => {
    // Prepare
    const { sleep, waits } = recordingSleep();
    const call = failing([new RateLimitedError('tripleseat', 'slow down', 3_600_000)]);

    // Act
    const outcome = withRetry('tripleseat', call.fn, { sleep, maxRateLimitWaitMs: 60_000 });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(RateLimitedError);
    expect(call.attempts()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('scales real waits down with timeScale when no sleep is injected', async () => {
    // Prepare
    vi.useFakeTimers();
    try {
      const call = failing([new RateLimitedError('hubspot', 'burst', 10_000)]);

      // Act
      const outcome = withRetry('hubspot', call.fn, { timeScale: 1_000, rateLimitJitterMs: 0 });

      // Assess: 10 s of API time at 1000x is a 10 ms timer: 9 ms is not enough, 10 ms is
      await vi.advanceTimersByTimeAsync(9);
      expect(call.attempts()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await outcome;
      expect(call.attempts()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
