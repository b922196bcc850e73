import { describe, expect, it } from 'vitest';
import {
  AuthError,
  DailyLimitError,
  PermanentApiError,
  RateLimitedError,
  TransientApiError,
  errorFromHttp,
  errorFromNetwork,
} from '../../shared/rate-limit';

// Real 429 bodies as the vendors document and send them (HubSpot usage details, Webex rate limits).
const HUBSPOT_BURST_429 = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
  policyName: 'TEN_SECONDLY_ROLLING',
  groupName: 'publicapi:private_app-api-calls-ten-secondly:123:456',
};
const HUBSPOT_DAILY_429 = {
  status: 'error',
  message: 'You have reached your daily limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
  policyName: 'DAILY',
  requestId: '3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd',
};
const HUBSPOT_SEARCH_429 = {
  status: 'error',
  message: 'You have reached your secondly limit.',
  correlationId: 'a43683b0-5717-4ceb-80b4-104d02915d8c',
  category: 'RATE_LIMITS',
};
const WEBEX_SECONDLY_429 = {
  message: 'Max cost exceeded',
  extensions: {
    code: 'MAX_COST_EXCEEDED',
    cost: 51,
    availableCost: 0,
    threshold: 50,
    dailyThreshold: 200,
    dailyAvailableCost: 190,
  },
};
const WEBEX_DAILY_429 = {
  message: 'Max cost exceeded',
  extensions: {
    code: 'MAX_COST_EXCEEDED',
    cost: 51,
    availableCost: 0,
    threshold: 50,
    dailyThreshold: 200,
    dailyAvailableCost: 0,
  },
};

describe('Function: errorFromHttp', () => {
  describe('429 answers', () => {
    it('maps HubSpot TEN_SECONDLY_ROLLING to a rate limit waiting the interval header', () => {
      // Act
      const error = errorFromHttp(
        'hubspot',
        {
          status: 429,
          headers: { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' },
          body: HUBSPOT_BURST_429,
        },
        'HubSpot batch update of 100 contacts',
      );

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(10_000);
      expect(error.message).toContain('HubSpot batch update of 100 contacts');
      expect(error.message).toContain('HTTP 429');
      expect(error.message).toContain('TEN_SECONDLY_ROLLING');
    });

    it('waits 10 s for TEN_SECONDLY_ROLLING without the interval header', () => {
      // Act
      const error = errorFromHttp('hubspot', { status: 429, body: JSON.stringify(HUBSPOT_BURST_429) }, 'ctx');

      // Assess
      expect((error as RateLimitedError).retryAfterMs).toBe(10_000);
    });

    it('maps HubSpot DAILY to DailyLimitError, never retried', () => {
      // Act
      const error = errorFromHttp('hubspot', { status: 429, body: HUBSPOT_DAILY_429 }, 'HubSpot search');

      // Assess
      expect(error).toBeInstanceOf(DailyLimitError);
      expect(error).not.toBeInstanceOf(TransientApiError);
      expect(error.message).toContain('You have reached your daily limit.');
    });

    it('treats a "daily limit" message without policyName as daily', () => {
      // Act
      const error = errorFromHttp(
        'hubspot',
        { status: 429, body: { message: 'You have reached your daily limit.' } },
        'c',
      );

      // Assess
      expect(error).toBeInstanceOf(DailyLimitError);
    });

    it('maps the HubSpot search secondly 429 to a ~1 s wait', () => {
      // Act
      const error = errorFromHttp(
        'hubspot-search',
        { status: 429, headers: { 'x-hubspot-ratelimit-daily': '250000' }, body: HUBSPOT_SEARCH_429 },
        'HubSpot contact search',
      );

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(1_000);
      expect(error.message).toContain('RATE_LIMITS');
    });

    it('maps Webex MAX_COST_EXCEEDED per-second to X-Secondly-Retry-After milliseconds', () => {
      // Act
      const error = errorFromHttp(
        'webex',
        { status: 429, headers: new Headers({ 'X-Secondly-Retry-After': '750' }), body: WEBEX_SECONDLY_429 },
        'Webex attendees page',
      );

      // Assess
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(750);
      expect(error.message).toContain('MAX_COST_EXCEEDED');
    });

    it('maps Webex MAX_COST_EXCEEDED with dailyAvailableCost 0 to DailyLimitError', () => {
      // Act
      const error = errorFromHttp(
        'webex',
        { status: 429, headers: { 'X-Daily-Retry-After': '3600' }, body: WEBEX_DAILY_429 },
        'Webex attendees page',
      );

      // Assess
      expect(error).toBeInstanceOf(DailyLimitError);
      expect(error.message).toContain('3600 s');
    });

    it('treats a Webex 429 with only X-Daily-Retry-After as daily', () => {
      // Act
      const error = errorFromHttp('webex', { status: 429, headers: { 'x-daily-retry-after': '60' } }, 'c');

      // Assess
      expect(error).toBeInstanceOf(DailyLimitError);
    });

    it('honours Retry-After in seconds and as an HTTP date', () => {
      // Prepare
      const now = Date.UTC(2026, 10, 23, 12, 0, 0);
      const inFive = new Date(now + 5_000).toUTCString();

      // Act
      const seconds = errorFromHttp('tripleseat', { status: 429, headers: { 'Retry-After': '3' } }, 'c');
      const date = errorFromHttp('tripleseat', { status: 429, headers: { 'retry-after': inFive } }, 'c', {
        now: () => now,
      });

      // Assess
      expect((seconds as RateLimitedError).retryAfterMs).toBe(3_000);
      expect((date as RateLimitedError).retryAfterMs).toBe(5_000);
    });

    it('defaults to ~1 s when a 429 names no wait', () => {
      // Act
      const error = errorFromHttp('tripleseat', { status: 429, body: 'Too Many Requests' }, 'c');

      // Assess
      expect((error as RateLimitedError).retryAfterMs).toBe(1_000);
    });
  });

  describe('other statuses', () => {
    it.each([500, 502, 503, 504, 408])('maps %i to TransientApiError', (status) => {
      // Act
      const error = errorFromHttp('tripleseat', { status, body: '' }, 'Tripleseat lead create');

      // Assess
      expect(error).toBeInstanceOf(TransientApiError);
      expect(error).not.toBeInstanceOf(RateLimitedError);
      expect(error.status).toBe(status);
    });

    it('maps Webex 409 to TransientApiError', () => {
      // Act
      const error = errorFromHttp('webex', { status: 409, body: { message: 'conflict' } }, 'c');

      // Assess
      expect(error).toBeInstanceOf(TransientApiError);
    });

    it('maps HubSpot 409 CONFLICT (contact exists) to PermanentApiError: retrying cannot help', () => {
      // Act
      const error = errorFromHttp(
        'hubspot',
        {
          status: 409,
          body: {
            status: 'error',
            message: 'Contact already exists. Existing ID: 512',
            category: 'CONFLICT',
          },
        },
        'HubSpot contact create',
      );

      // Assess
      expect(error).toBeInstanceOf(PermanentApiError);
      expect(error.message).toContain('Existing ID: 512');
    });

    it.each([
      [401, 'INVALID_AUTHENTICATION'],
      [403, 'MISSING_SCOPES'],
    ])('maps %i to AuthError', (status, category) => {
      // Act
      const error = errorFromHttp('hubspot', { status, body: { message: 'nope', category } }, 'c');

      // Assess
      expect(error).toBeInstanceOf(AuthError);
      expect(error.message).toContain(category);
    });

    it.each([400, 404, 413, 422])('maps %i to PermanentApiError', (status) => {
      // Act
      const error = errorFromHttp(
        'hubspot',
        { status, body: { message: 'bad', category: 'VALIDATION_ERROR' } },
        'c',
      );

      // Assess
      expect(error).toBeInstanceOf(PermanentApiError);
      expect(error).not.toBeInstanceOf(TransientApiError);
    });

    it('lists Tripleseat field errors in the message', () => {
      // Act
      const error = errorFromHttp(
        'tripleseat',
        { status: 422, body: { errors: { email_address: ['is invalid'] } } },
        'c',
      );

      // Assess
      expect(error.message).toContain('email_address is invalid');
    });
  });

  describe('secrets', () => {
    it('never puts tokens, Authorization values or public_key query strings in messages', () => {
      // Prepare
      const context =
        'Tripleseat POST https://api.tripleseat.com/v1/leads/create.js?public_key=PK_SECRET_123&lead_form_id=7';
      const body = {
        message:
          'bad request for https://api.tripleseat.com/v1/leads/create.js?public_key=PK_SECRET_123 with Authorization: Bearer pat-na1-11111111-2222-3333-4444-555555555555 and sk_live_abcDEF123',
      };

      // Act
      const error = errorFromHttp('tripleseat', { status: 400, body }, context);

      // Assess
      expect(error.message).not.toContain('PK_SECRET_123');
      expect(error.message).not.toContain('pat-na1-1111');
      expect(error.message).not.toContain('sk_live_abc');
      expect(error.message).not.toMatch(/public_key=(?!\[redacted\])/);
      expect(error.message).toContain('https://api.tripleseat.com/v1/leads/create.js');
    });

    it('never puts the email address a vendor message quotes in messages (personal data)', () => {
      // Prepare: HubSpot's validation messages quote the rejected value.
      const body = {
        message:
          'Property values were not valid: [{"message":"Email address Ada.L+x@mail.example.co.uk is invalid"}]',
        category: 'VALIDATION_ERROR',
      };

      // Act
      const error = errorFromHttp('hubspot', { status: 400, body }, 'HubSpot batch upsert of 1 contacts');

      // Assess
      expect(error.message).not.toMatch(/@|Ada\.L/);
      expect(error.message).toContain('Email address [redacted-email] is invalid');
    });
  });
});

describe('Function: errorFromNetwork', () => {
  it.each([
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    }),
    new DOMException('The operation timed out.', 'TimeoutError'),
  ])('maps %s to TransientApiError', (cause) => {
    // Act
    const error = errorFromNetwork('hubspot', cause, 'HubSpot batch read');

    // Assess
    expect(error).toBeInstanceOf(TransientApiError);
    expect(error.message).toContain('HubSpot batch read');
  });

  it('redacts the URL that node-fetch puts in its message, also in the kept cause', () => {
    // Prepare
    const cause = new Error(
      'request to https://api.tripleseat.com/v1/leads/create.js?public_key=PK_SECRET_123 failed, reason: socket hang up',
    );

    // Act
    const error = errorFromNetwork('tripleseat', cause, 'Tripleseat lead create');

    // Assess
    expect(error.message).not.toContain('PK_SECRET_123');
    expect(String((error.cause as Error).message)).not.toContain('PK_SECRET_123');
    expect(error.message).toContain('socket hang up');
  });
});
