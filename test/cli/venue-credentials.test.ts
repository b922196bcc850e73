/**
 * Credentials are bound to their venue: a command naming another venue than the credentials belong to
 * refuses before any vendor call (counted at the simulators), and credentials that name no venue are
 * refused for commands that change vendor data. Secrets Manager is the AWS control plane and is mocked.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { validateAppConfig } from '../../shared/config/app-config';
import { credentialBindingProblem, secretMatchesName, type CredentialsFound } from '../../ops/context';
import { tripleseatKeys, type World } from '../../sandbox/world';
import { useWorld } from '../helpers/world';
import { cli } from './helpers';

const world = useWorld();
const config = validateAppConfig(appConfig);

function vendorCalls(w: World): number {
  return w.hubspot.log.entries.length + w.tripleseat.log.entries.length + w.webex.log.entries.length;
}

/** A Secrets Manager that answers one secret, for `--secret-arn` / `--config-secrets` (mocked AWS). */
function secretsAnswering(secretString: string): () => SecretsManagerClient {
  const client = { send: async () => ({ SecretString: secretString }) };
  return () => client as unknown as SecretsManagerClient;
}

const WRONG_VENUE =
  "these credentials belong to venue 'venue-a' (VENUE_ID), not 'venue-b'; source .sandbox/venue-b.env";

describe('Credentials bound to their venue', () => {
  it.each([
    ['run', ['run', 'venue-b']],
    ['run --dry-run', ['run', 'venue-b', '--dry-run']],
    ['doctor', ['doctor', 'venue-b']],
    ['dedupe', ['dedupe', 'venue-b']],
    ['dedupe --apply', ['dedupe', 'venue-b', '--apply', '--yes']],
    ['replay', ['replay', 'venue-b', '--yes']],
    ['setup', ['setup', 'venue-b']],
    ['setup --dry-run', ['setup', 'venue-b', '--dry-run']],
  ])(
    "with venue-a's environment, %s venue-b refuses naming both venues and calls no vendor",
    async (_, args) => {
      // Prepare: venue-a's environment, as `. .sandbox/venue-a.env` gives it
      const w = world();
      const before = vendorCalls(w);

      // Act
      const result = await cli(w, args, { venue: 'venue-a' });

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(WRONG_VENUE);
      expect(vendorCalls(w)).toBe(before);
    },
  );

  it('refuses credentials that name no venue for commands that change vendor data, before any vendor call', async () => {
    // Prepare: venue-a's keys in the environment without VENUE_ID
    const w = world();
    const { VENUE_ID: _dropped, ...unnamed } = w.pollerEnv('venue-a');
    const env = { ...unnamed, VENUE_ID: undefined };
    const before = vendorCalls(w);

    // Act
    const results = await Promise.all(
      [
        ['run', 'venue-a'],
        ['dedupe', 'venue-a', '--apply', '--yes'],
        ['replay', 'venue-a', '--yes'],
        ['setup', 'venue-a'],
      ].map((args) => cli(w, args, { env })),
    );

    // Assess
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('the credentials in the environment name no venue (VENUE_ID is unset)');
      expect(result.stderr).toContain('source .sandbox/venue-a.env');
    }
    expect(vendorCalls(w)).toBe(before);
  });

  it('lets credentials that name no venue read, saying so: setup --dry-run, dedupe, doctor (warn row)', async () => {
    const w = world();
    const env = { ...w.pollerEnv('venue-a'), VENUE_ID: undefined };

    const setup = await cli(w, ['setup', 'venue-a', '--dry-run'], { env });
    const dedupe = await cli(w, ['dedupe', 'venue-a'], { env });
    const doctor = await cli(w, ['doctor', 'venue-a', '--json'], { env });

    expect(setup.code).toBe(0);
    expect(dedupe.code).toBe(0);
    expect(dedupe.stderr).toContain("nothing shows they are 'venue-a''s");
    const rows = JSON.parse(doctor.stdout).rows as Array<{ check: string; status: string }>;
    expect(rows.find((row) => row.check === 'credentials venue-a')?.status).toBe('warn');
  });

  it("doctor without a venue checks only the named venue's Tripleseat and skips the others", async () => {
    const w = world();
    const result = await cli(w, ['doctor', '--json'], { venue: 'venue-a' });
    const rows = JSON.parse(result.stdout).rows as Array<{ check: string; status: string; detail: string }>;
    expect(rows.find((row) => row.check === 'tripleseat venue-a oauth')?.status).toBe('pass');
    expect(rows.find((row) => row.check === 'credentials venue-b')).toMatchObject({
      status: 'skip',
      detail: "the credentials belong to venue 'venue-a' (VENUE_ID)",
    });
    expect(rows.some((row) => row.check.startsWith('tripleseat venue-b'))).toBe(false);
  });

  it("refuses a secret whose name is another venue's, and one whose venueId key names another venue", async () => {
    // Prepare: venue-a's secret by ARN (name + 6-character suffix), and an unnamed secret carrying venueId
    const w = world();
    const payload = {
      hubspotToken: w.commonEnv().HUBSPOT_TOKEN,
      tripleseatPublicKey: tripleseatKeys('venue-a').publicKey,
      tripleseatOauthToken: tripleseatKeys('venue-a').oauthToken,
    };
    const before = vendorCalls(w);

    // Act
    const byName = await cli(
      w,
      [
        'run',
        'venue-b',
        '--secret-arn',
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:venue-sync/venue-a-AbC123',
      ],
      { secrets: secretsAnswering(JSON.stringify(payload)) },
    );
    const byKey = await cli(w, ['dedupe', 'venue-b', '--secret-arn', 'ops/handover'], {
      secrets: secretsAnswering(JSON.stringify({ ...payload, venueId: 'venue-a' })),
    });

    // Assess
    expect(byName.code).toBe(1);
    expect(byName.stderr).toContain(
      "these credentials belong to venue 'venue-a' (secret 'venue-sync/venue-a'), not 'venue-b'; use --secret-arn",
    );
    expect(byKey.code).toBe(1);
    expect(byKey.stderr).toContain("belong to venue 'venue-a' (the venueId key of secret ops/handover)");
    expect(vendorCalls(w)).toBe(before);
  });
});

describe('credentialBindingProblem', () => {
  const found = (owner?: string, source: CredentialsFound['source'] = 'environment'): CredentialsFound => ({
    credentials: {},
    source,
    ...(source === 'secret' ? { secretId: 'ops/x' } : {}),
    ...(owner ? { owner: { venueId: owner, how: 'VENUE_ID' } } : {}),
  });

  it('allows own credentials for anything, unnamed ones only to read, another venue never', () => {
    expect(credentialBindingProblem('venue-a', found('venue-a'), 'write', config)).toBeUndefined();
    expect(credentialBindingProblem('venue-a', found(), 'read', config)).toBeUndefined();
    expect(credentialBindingProblem('venue-a', found(), 'write', config)).toContain('name no venue');
    expect(credentialBindingProblem('venue-a', found(undefined, 'secret'), 'write', config)).toContain(
      'secret ops/x names no venue',
    );
    expect(credentialBindingProblem('venue-b', found('venue-a'), 'read', config)).toContain(
      '(venue-sync/venue-b)',
    );
  });

  it('matches a secret by name or by ARN with the 6-character suffix, and nothing looser', () => {
    expect(secretMatchesName('venue-sync/venue-a', 'venue-sync/venue-a')).toBe(true);
    expect(
      secretMatchesName(
        'arn:aws:secretsmanager:eu-west-1:1:secret:venue-sync/venue-a-Xy12Zq',
        'venue-sync/venue-a',
      ),
    ).toBe(true);
    expect(
      secretMatchesName(
        'arn:aws:secretsmanager:eu-west-1:1:secret:venue-sync/venue-a-b-Xy12Zq',
        'venue-sync/venue-a',
      ),
    ).toBe(false);
    expect(secretMatchesName('venue-sync/venue-ab', 'venue-sync/venue-a')).toBe(false);
  });
});
