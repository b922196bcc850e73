/**
 * The parts of a Lambda Function URL request (payload format 2.0) that every signed receiver needs: the
 * headers with lower-case names (Function URLs pass them through as sent) and the body as text.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
import { z } from 'zod';

/** The parts of a payload-format-2.0 event every receiver reads (a receiver may extend it); the rest is ignored. */
export const FunctionUrlEventSchema = z.object({
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({ http: z.object({ method: z.string().min(1) }) }),
});

/** A receiver's answer; bodies are short plain text, never JSON, never request content. */
export interface FunctionUrlResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export function textResponse(statusCode: number, body: string): FunctionUrlResponse {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export interface FunctionUrlRequestParts {
  headers: Record<string, string>;
  body?: string | undefined;
  isBase64Encoded: boolean;
}

export function readFunctionUrlRequest(event: FunctionUrlRequestParts): {
  headers: Record<string, string>;
  body: string;
} {
  const headers = Object.fromEntries(
    Object.entries(event.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const body =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return { headers, body };
}
