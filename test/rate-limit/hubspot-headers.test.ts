/**
 * HubSpot reports its burst window on every answer (`X-HubSpot-RateLimit-*`); the SDK wrapper hands
 * those headers to the caller, whose lane then counts portal use beyond its own. A tiny local server
 * stands in for HubSpot (real SDK, real HTTP); no clock is involved.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubSpotApis } from '../../shared/hubspot/sdk';

let server: Server;
let url: string;
let status = 200;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'X-HubSpot-RateLimit-Max': '100',
      'X-HubSpot-RateLimit-Remaining': '37',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
    });
    res.end(
      status === 200
        ? '{"results":[]}'
        : '{"status":"error","message":"limit","policyName":"TEN_SECONDLY_ROLLING"}',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Function: createHubSpotApis', () => {
  it('hands every answer’s rate-limit headers to onResponseHeaders, 429s included', async () => {
    // Prepare
    const seen: Array<Record<string, string>> = [];
    const apis = createHubSpotApis({
      accessToken: 'test-token',
      baseUrl: url,
      onResponseHeaders: (headers) => seen.push(headers),
    });

    // Act
    status = 200;
    await apis.properties.getAll('contacts', false);
    status = 429;
    await apis.properties.getAll('contacts', false).catch(() => undefined);

    // Assess
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(headers['x-hubspot-ratelimit-remaining']).toBe('37');
      expect(headers['x-hubspot-ratelimit-max']).toBe('100');
    }
  });
});
