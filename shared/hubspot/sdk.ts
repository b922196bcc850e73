/**
 * The HubSpot SDK, imported by API group. The root `Client` pulls every API group (about 5 MB
 * minified) into a Lambda that runs every 5 minutes; these deep imports are about 0.4 MB. Building
 * configurations directly also sidesteps the SDK's process-wide retry/limiter singleton: the SDK
 * never retries here, our policy does (shared/rate-limit).
 */
import {
  BasicApi,
  BatchApi,
  SearchApi,
  ServerConfiguration as ContactsServer,
  createConfiguration as contactsConfiguration,
} from '@hubspot/api-client/lib/codegen/crm/contacts';
import {
  CoreApi,
  GroupsApi,
  ServerConfiguration as PropertiesServer,
  createConfiguration as propertiesConfiguration,
} from '@hubspot/api-client/lib/codegen/crm/properties';
import { IsomorphicFetchHttpLibrary as ContactsHttp } from '@hubspot/api-client/lib/codegen/crm/contacts/http/isomorphic-fetch';
import { from as contactsFrom } from '@hubspot/api-client/lib/codegen/crm/contacts/rxjsStub';
import { IsomorphicFetchHttpLibrary as PropertiesHttp } from '@hubspot/api-client/lib/codegen/crm/properties/http/isomorphic-fetch';
import { from as propertiesFrom } from '@hubspot/api-client/lib/codegen/crm/properties/rxjsStub';

export const HUBSPOT_DEFAULT_BASE_URL = 'https://api.hubapi.com';

export interface HubSpotConnection {
  accessToken: string;
  /** @default https://api.hubapi.com */
  baseUrl?: string;
  /**
   * Sees every answer's headers (errors included) before the SDK reads the body: the rate-limit lane
   * paces on `X-HubSpot-RateLimit-Max` / `-Remaining` / `-Interval-Milliseconds`
   * (https://developers.hubspot.com/docs/api/usage-details).
   */
  onResponseHeaders?: (headers: Record<string, string>) => void;
}

/**
 * An SDK HTTP library whose answers' headers go to `observe` first. A wrapper rather than configuration
 * middleware: the generated API classes only apply middleware passed per call. Each API group carries
 * its own copy of the library and Observable types, hence `lift`.
 */
function observing<Request, Answer extends { headers: Record<string, string> }, Lifted>(
  library: { send(request: Request): { toPromise(): Promise<Answer> } },
  lift: (answer: Promise<Answer>) => Lifted,
  observe: (headers: Record<string, string>) => void,
): { send(request: Request): Lifted } {
  return {
    send: (request) =>
      lift(
        library
          .send(request)
          .toPromise()
          .then((answer) => {
            observe(answer.headers);
            return answer;
          }),
      ),
  };
}

export function createHubSpotApis(connection: HubSpotConnection) {
  const baseUrl = (connection.baseUrl ?? HUBSPOT_DEFAULT_BASE_URL).replace(/\/$/, '');
  const authMethods = { oauth2: { accessToken: connection.accessToken } };
  const observe = connection.onResponseHeaders;
  const contactsServer = { baseServer: new ContactsServer(baseUrl, {}), authMethods };
  const propertiesServer = { baseServer: new PropertiesServer(baseUrl, {}), authMethods };
  const contacts = contactsConfiguration(
    observe
      ? { ...contactsServer, httpApi: observing(new ContactsHttp(), contactsFrom, observe) }
      : contactsServer,
  );
  const properties = propertiesConfiguration(
    observe
      ? { ...propertiesServer, httpApi: observing(new PropertiesHttp(), propertiesFrom, observe) }
      : propertiesServer,
  );
  return {
    search: new SearchApi(contacts),
    batch: new BatchApi(contacts),
    basic: new BasicApi(contacts),
    properties: new CoreApi(properties),
    groups: new GroupsApi(properties),
  };
}

export type HubSpotApis = ReturnType<typeof createHubSpotApis>;
