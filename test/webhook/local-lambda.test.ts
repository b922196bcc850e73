import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNameOf, startLocalLambda, type LocalLambda } from '../../sandbox/local-lambda';

describe('Sandbox: local Lambda Invoke API', () => {
  let local: LocalLambda;
  let client: LambdaClient;
  const seen: Array<{ event: unknown; requestId: string; remaining: number }> = [];

  beforeAll(async () => {
    local = await startLocalLambda({ timeoutMs: 30_000 });
    local.register('echo', async (event, context) => {
      seen.push({ event, requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() });
      return { echoed: event };
    });
    local.register('boom', async () => {
      throw new Error('poller exploded');
    });
    client = new LambdaClient({
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await local.close();
  });

  it('answers RequestResponse with 200 and the JSON result', async () => {
    // Act
    const answer = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{"n":1}') }),
    );

    // Assess
    expect(answer.StatusCode).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toEqual({ echoed: { n: 1 } });
    expect(seen.at(-1)?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.at(-1)?.remaining).toBeGreaterThan(25_000);
  });

  it('answers Event with 202 before the function finishes, then runs it', async () => {
    // Prepare
    let release: () => void = () => {};
    local.register('slow', () => new Promise((resolve) => (release = () => resolve('done'))));

    // Act
    const answer = await client.send(
      new InvokeCommand({
        FunctionName: 'slow',
        InvocationType: 'Event',
        Payload: new TextEncoder().encode('{}'),
      }),
    );
    const whileRunning = local.invocations.at(-1)?.status;
    release();
    await local.idle();

    // Assess
    expect(answer.StatusCode).toBe(202);
    expect(whileRunning).toBe('running');
    expect(local.invocations.at(-1)).toMatchObject({
      functionName: 'slow',
      invocationType: 'Event',
      status: 'succeeded',
      result: 'done',
    });
  });

  it('reports a thrown error as FunctionError Unhandled', async () => {
    // Act
    const answer = await client.send(new InvokeCommand({ FunctionName: 'boom' }));

    // Assess
    expect(answer.FunctionError).toBe('Unhandled');
    expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toMatchObject({
      errorMessage: 'poller exploded',
    });
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    // Act
    const act = client.send(new InvokeCommand({ FunctionName: 'missing', InvocationType: 'Event' }));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('resolves a function ARN with a qualifier to the registered name', async () => {
    // Act
    const answer = await client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo',
        Qualifier: 'live',
        Payload: new TextEncoder().encode('2'),
      }),
    );

    // Assess
    expect(answer.StatusCode).toBe(200);
    expect(functionNameOf('echo:live')).toBe('echo');
    expect(local.invocations.at(-1)).toMatchObject({ functionName: 'echo', payload: 2 });
  });
});
