/**
 * A Lambda Function URL on 127.0.0.1: each HTTP request becomes a payload-format-2.0 event for an
 * in-process handler, and its answer becomes the HTTP response. Lets a simulator's webhook deliveries
 * reach a real handler over real HTTP, as they reach the deployed Function URL.
 *
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html (request and response payloads)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FunctionUrlAnswer {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export type FunctionUrlHandler = (event: unknown) => Promise<FunctionUrlAnswer>;

export interface RunningFunctionUrl {
  url: string;
  close(): Promise<void>;
}

export async function serveFunctionUrl(handler: FunctionUrlHandler): Promise<RunningFunctionUrl> {
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const headers = Object.fromEntries(
        Object.entries(request.headers).flatMap(([name, value]) =>
          value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]],
        ),
      );
      let answer: FunctionUrlAnswer;
      try {
        answer = await handler({
          version: '2.0',
          rawPath: url.pathname,
          rawQueryString: url.search.replace(/^\?/, ''),
          headers,
          body,
          isBase64Encoded: false,
          requestContext: {
            requestId: randomUUID(),
            domainName: headers['host'] ?? '127.0.0.1',
            http: { method: request.method ?? 'GET', path: url.pathname },
          },
        });
      } catch {
        // As Lambda does for a function error behind a URL.
        answer = { statusCode: 502, body: 'Internal Server Error' };
      }
      response.writeHead(answer.statusCode, answer.headers ?? {});
      response.end(answer.body ?? '');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
