/** Every Powertools log line of an invocation carries its request id (Logger.addContext). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createHandler } from '../../lambdas/hubspot-webhook/handler';
import { logInvocationContext } from '../../shared/runtime/lambda-entry';
import { powertoolsObservability } from '../../shared/runtime/observability';

const LogLineSchema = z.object({ message: z.string() }).loose();

/** The log lines Powertools writes (info to stdout, warn and error to stderr) while `act` runs. */
async function logLines(act: () => Promise<unknown>): Promise<z.infer<typeof LogLineSchema>[]> {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  // Metrics (EMF) lines share the stream; they carry no message.
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => LogLineSchema.safeParse(JSON.parse(line)))
    .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Function: logInvocationContext', () => {
  it('puts the request id and function name on every line logged after it', async () => {
    // Prepare
    const observability = powertoolsObservability('venue-sync-test');

    // Act
    const lines = await logLines(async () => {
      logInvocationContext(observability, {
        awsRequestId: 'req-0001',
        functionName: 'VenueSync-venue-a-poller',
        getRemainingTimeInMillis: () => 30_000,
      });
      observability.log.info('run started');
      observability.log.warn('slow answer', { api: 'hubspot' });
      logInvocationContext(observability, { awsRequestId: 'req-0002' });
      observability.log.info('next run');
    });

    // Assess
    expect(lines.map((line) => [line.message, line['function_request_id']])).toEqual([
      ['run started', 'req-0001'],
      ['slow answer', 'req-0001'],
      ['next run', 'req-0002'],
    ]);
    expect(lines[0]?.['function_name']).toBe('VenueSync-venue-a-poller');
  });

  it('leaves the log lines as they are when the context has no request id', async () => {
    // Prepare
    const observability = powertoolsObservability('venue-sync-test');

    // Act
    const lines = await logLines(async () => {
      logInvocationContext(observability, undefined);
      observability.log.info('bare call');
    });

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]?.['function_request_id']).toBeUndefined();
  });
});

describe('Handler: hubspot-webhook logging through Powertools', () => {
  it("logs the refusal with the invocation's request id", async () => {
    // Prepare
    const handler = createHandler(
      { HUBSPOT_APP_SECRET: 'app-secret', VENUE_POLLERS: JSON.stringify({}) },
      { lambda: { send: () => Promise.reject(new Error('no venue should be invoked')) } },
    );

    // Act
    const lines = await logLines(() => handler({ not: 'a function url event' }, { awsRequestId: 'req-77' }));

    // Assess
    expect(lines.map((line) => [line.message, line['function_request_id']])).toEqual([
      ['webhook refused: not a Function URL request', 'req-77'],
    ]);
  });
});
