/**
 * The parts of a Lambda Function URL request (payload format 2.0) that every signed receiver needs: the
 * headers with lower-case names (Function URLs pass them through as sent) and the body as text.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
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
