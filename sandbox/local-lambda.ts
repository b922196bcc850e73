/**
 * A tiny local Lambda Invoke API on 127.0.0.1, so the unchanged @aws-sdk/client-lambda (pointed at it
 * with AWS_ENDPOINT_URL_LAMBDA) can invoke functions that run in this process: the sandbox registers
 * each venue's poller handler by function name, the tests register spies.
 *
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 *   POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=...]
 *   X-Amz-Invocation-Type: RequestResponse (default) -> 200 + the function's JSON result
 *                                                       (a thrown error: 200 + X-Amz-Function-Error: Unhandled)
 *                          Event                      -> 202 at once, the function runs afterwards
 *                          DryRun                     -> 204
 *   unknown function -> 404, x-amzn-ErrorType: ResourceNotFoundException
 * The SDK signs with SigV4; this server does not check signatures, so dummy credentials do (see LOCAL_AWS
 * in ./local-dynamo). FunctionName may be a name, a name:qualifier or a full ARN (URL-encoded by the SDK).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalInvokeContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export type LocalFunction = (event: unknown, context: LocalInvokeContext) => Promise<unknown>;

export type LocalInvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvocationRecord {
  requestId: string;
  functionName: string;
  invocationType: LocalInvocationType;
  /** The decoded JSON payload (or the raw text when it is not JSON; undefined when empty). */
  payload: unknown;
  receivedAt: number;
  status: 'running' | 'succeeded' | 'failed' | 'not-found';
  finishedAt?: number;
  result?: unknown;
  /** The error's message when the function threw. */
  error?: string;
}

export interface LocalLambdaOptions {
  /** Functions to register at start, by name. */
  functions?: Record<string, LocalFunction>;
  /** What `getRemainingTimeInMillis` counts down from; default 60 s. */
  timeoutMs?: number;
  port?: number;
  /** Clock for the record's timestamps (the sandbox's scaled clock); default Date.now. */
  now?: () => number;
}

export interface LocalLambda {
  /** The endpoint for AWS_ENDPOINT_URL_LAMBDA, e.g. http://127.0.0.1:41234. */
  readonly endpoint: string;
  /** Every invocation in arrival order (including ones for unknown functions). */
  readonly invocations: readonly InvocationRecord[];
  register(functionName: string, fn: LocalFunction): void;
  /** Resolves once every asynchronous (Event) invocation started so far has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** `my-fn`, `my-fn:live`, `arn:aws:lambda:us-east-1:123456789012:function:my-fn[:live]` -> `my-fn`. */
export function functionNameOf(raw: string): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::.+)?$/.exec(raw);
  if (arn?.[1]) return arn[1];
  return raw.split(':')[0] ?? raw;
}

export async function startLocalLambda(options: LocalLambdaOptions = {}): Promise<LocalLambda> {
  const functions = new Map<string, LocalFunction>(Object.entries(options.functions ?? {}));
  const invocations: InvocationRecord[] = [];
  const running = new Set<Promise<void>>();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const now = options.now ?? Date.now;

  async function run(fn: LocalFunction, record: InvocationRecord): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const context: LocalInvokeContext = {
      awsRequestId: record.requestId,
      functionName: record.functionName,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      record.result = await fn(record.payload, context);
      record.status = 'succeeded';
    } catch (error) {
      record.status = 'failed';
      record.error = error instanceof Error ? error.message : String(error);
    } finally {
      record.finishedAt = now();
    }
  }

  async function respond(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local-lambda');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match?.[1]) {
      sendJson(
        res,
        404,
        { Type: 'User', message: `Unsupported operation: ${req.method} ${url.pathname}` },
        'UnknownOperationException',
      );
      return;
    }
    const functionName = functionNameOf(decodeURIComponent(match[1]));
    const invocationType = invocationTypeOf(req.headers['x-amz-invocation-type']);
    const requestId = randomUUID();
    const record: InvocationRecord = {
      requestId,
      functionName,
      invocationType,
      payload: decodePayload(rawBody),
      receivedAt: now(),
      status: 'running',
    };
    invocations.push(record);
    const fn = functions.get(functionName);
    if (!fn) {
      record.status = 'not-found';
      record.finishedAt = now();
      sendJson(
        res,
        404,
        { Type: 'User', message: `Function not found: ${functionName}` },
        'ResourceNotFoundException',
        requestId,
      );
      return;
    }
    if (invocationType === 'DryRun') {
      record.status = 'succeeded';
      record.finishedAt = now();
      res.writeHead(204, { 'x-amzn-requestid': requestId });
      res.end();
      return;
    }
    if (invocationType === 'Event') {
      // Answer first, then run: the caller must not wait for (or see) the function's outcome.
      res.writeHead(202, { 'x-amzn-requestid': requestId, 'content-length': '0' });
      res.end();
      const done = run(fn, record).finally(() => running.delete(done));
      running.add(done);
      return;
    }
    await run(fn, record);
    const headers: Record<string, string> = {
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
    };
    if (record.status === 'failed') {
      headers['x-amz-function-error'] = 'Unhandled';
      sendJson(
        res,
        200,
        { errorType: 'Error', errorMessage: record.error ?? 'error' },
        undefined,
        requestId,
        headers,
      );
      return;
    }
    sendJson(res, 200, record.result ?? null, undefined, requestId, headers);
  }

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running]);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      respond(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { message: `local lambda error: ${String(error)}` }, 'ServiceException');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    register(functionName, fn) {
      functions.set(functionName, fn);
    },
    idle,
    async close() {
      await idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function invocationTypeOf(header: string | string[] | undefined): LocalInvocationType {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === 'Event' || value === 'DryRun') return value;
  return 'RequestResponse';
}

function decodePayload(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  errorType?: string,
  requestId?: string,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  if (requestId) headers['x-amzn-requestid'] = requestId;
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
