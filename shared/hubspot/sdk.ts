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

export const HUBSPOT_DEFAULT_BASE_URL = 'https://api.hubapi.com';

export interface HubSpotConnection {
  accessToken: string;
  /** @default https://api.hubapi.com */
  baseUrl?: string;
}

export function createHubSpotApis(connection: HubSpotConnection) {
  const baseUrl = (connection.baseUrl ?? HUBSPOT_DEFAULT_BASE_URL).replace(/\/$/, '');
  const authMethods = { oauth2: { accessToken: connection.accessToken } };
  const contacts = contactsConfiguration({ baseServer: new ContactsServer(baseUrl, {}), authMethods });
  const properties = propertiesConfiguration({ baseServer: new PropertiesServer(baseUrl, {}), authMethods });
  return {
    search: new SearchApi(contacts),
    batch: new BatchApi(contacts),
    basic: new BasicApi(contacts),
    properties: new CoreApi(properties),
    groups: new GroupsApi(properties),
  };
}

export type HubSpotApis = ReturnType<typeof createHubSpotApis>;
