/** Runs one SDK call through the shared ApiCaller, translating SDK failures into our error family. */
import { errorFromHttp, errorFromNetwork } from '../rate-limit/classify';
import type { ApiName } from '../rate-limit/errors';
import type { ApiCaller } from '../rate-limit/types';
import { ApiError } from '../rate-limit/errors';

/** The SDK's ApiException: `code` is the HTTP status, `body` the parsed JSON, `headers` a plain object. */
interface SdkApiException {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

function isSdkApiException(error: unknown): error is SdkApiException {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number';
}

export function hubspotCall<T>(
  caller: ApiCaller,
  api: Extract<ApiName, 'hubspot' | 'hubspot-search'>,
  context: string,
  fn: () => Promise<T>,
): Promise<T> {
  return caller.call(api, async () => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (isSdkApiException(error)) {
        throw errorFromHttp(
          api,
          { status: error.code, headers: error.headers ?? {}, body: error.body },
          context,
        );
      }
      throw errorFromNetwork(api, error, context);
    }
  });
}
