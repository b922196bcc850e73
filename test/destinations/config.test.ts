/** Synth-time checks of an http destination: one ConfigError lists every problem. */
import { describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { ConfigError, validateAppConfig } from '../../shared/config/app-config';
import { parseJsonPath, readJsonPath } from '../../shared/destinations';

function withMarinaDestination(patch: Record<string, unknown>): unknown {
  return {
    ...appConfig,
    venues: appConfig.venues.map((venue) =>
      venue.id === 'marina' && venue.destination?.type === 'http'
        ? { ...venue, destination: { ...venue.destination, ...patch } }
        : venue,
    ),
  };
}

describe('Config rule: destinationValid', () => {
  it('passes the demo marina', () => {
    expect(() => validateAppConfig(appConfig)).not.toThrow();
  });

  it('lists every problem at once: unmapped field, bad JSON paths, http URL, lookup without {email}, status twice', () => {
    const input = withMarinaDestination({
      url: 'http://api.marina-platform.example/api/v2/enquiries',
      body: { vessel: { make: { $field: 'Boat Model' } }, email: { $field: 'email_address' } },
      created: { statuses: [201], idPath: 'enquiry.id' },
      rejected: { statuses: [422, 201], reasonPath: '$.error[' },
      retryable: { statuses: [429, 502] },
      lookup: {
        url: 'https://api.marina-platform.example/api/v2/enquiries',
        idPath: '$.id',
        emailPath: '$.contact.email',
        createdAtPath: '$.created_at',
      },
    });

    const error = (() => {
      try {
        validateAppConfig(input);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain("venue 'marina'");
    expect(problems).toContain("body $.vessel.make names 'Boat Model', which this venue does not map");
    expect(problems).toContain('url must use https');
    expect(problems).toContain("lookup.url must contain '{email}'");
    expect(problems).toContain("created.idPath is not a JSON path: 'enquiry.id' must start with '$'");
    expect(problems).toContain('rejected.reasonPath is not a JSON path');
    expect(problems).toContain('status 201 is both created and rejected');
    expect(problems).toContain('retryable lists 500, 502 or 504');
  });

  it('refuses an auth that names no secret key', () => {
    expect(() => validateAppConfig(withMarinaDestination({ auth: { type: 'bearer' } }))).toThrow(
      /venue 'marina' destination\.auth\.tokenField/,
    );
  });
});

describe('JSON paths', () => {
  it('reads names, indexes and quoted keys, and says where a path stops making sense', () => {
    const body = { data: [{ id: 7, 'odd key': { x: 'y' } }] };

    expect(readJsonPath(body, '$.data[0].id')).toBe(7);
    expect(readJsonPath(body, "$.data[0]['odd key'].x")).toBe('y');
    expect(readJsonPath(body, '$.data[1].id')).toBeUndefined();
    expect(readJsonPath(body, '$.constructor')).toBeUndefined();
    expect(parseJsonPath('$.data[*]')).toEqual({ ok: false, problem: expect.stringContaining("at '[*]'") });
  });
});
