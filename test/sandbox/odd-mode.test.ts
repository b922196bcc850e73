/**
 * The product against the "odd vendor" world (WorldOptions.odd): HubSpot history oldest-first, Tripleseat
 * `created_at` without a zone and 60 s OAuth access tokens refreshed through the venue's OAuth client,
 * Webex's reduced schema. The real poller handler over real HTTP and dynalite: one lead per request,
 * nothing lost, whichever way the vendor turned out.
 */
import { describe, expect, it } from 'vitest';
import { oddSimulatorOptions, tripleseatKeys } from '../../sandbox/world';
import {
  ledgerOf,
  tickPoller,
  tripleseatLeadsOf as leadsFor,
  useWorld,
  validContact,
} from '../helpers/world';

const world = useWorld({ odd: true });
/** Longer than the odd access-token lifetime (60 s): every tick below starts with an expired token. */
const PAST_TOKEN_LIFETIME_MS = 2 * 60_000;

describe('World: odd mode', () => {
  it('plays every open assumption the other way and gives OAuth venues a client instead of a token', () => {
    // Prepare
    const w = world();

    // Act
    const env = w.pollerEnv('venue-a');
    const withoutOauth = w.pollerEnv('marina');

    // Assess
    expect(w.odd).toBe(true);
    expect(oddSimulatorOptions()).toEqual({
      hubspot: { historyOrder: 'oldest-first' },
      tripleseat: { createdAtFormat: 'zoneless', accessTokenLifetimeSeconds: 60 },
      webex: { schemaMode: 'reduced' },
    });
    expect(env).toMatchObject({
      TRIPLESEAT_CLIENT_ID: tripleseatKeys('venue-a').clientId,
      TRIPLESEAT_CLIENT_SECRET: tripleseatKeys('venue-a').clientSecret,
      TRIPLESEAT_REFRESH_TOKEN: expect.any(String),
    });
    expect(env['TRIPLESEAT_OAUTH_TOKEN']).toBeUndefined();
    expect(withoutOauth['TRIPLESEAT_CLIENT_ID']).toBeUndefined();
  });
});

describe('Engine: pollVenue in odd mode', () => {
  it('ticks across token expiries give one lead per request in the right venue, refreshing the token', async () => {
    // Prepare
    const w = world();
    const a = Array.from({ length: 3 }, () => validContact(w));
    const b = validContact(w);
    for (const id of a) w.tick(id, 'venue-a');
    w.tick(b, 'venue-b');
    const refreshesBefore = w.tripleseat.oauthStats('venue-a').refreshes;

    // Act: several ticks, each after the access token expired.
    const reports = [];
    for (let tick = 0; tick < 3; tick++) {
      reports.push(await tickPoller(w, 'venue-a'), await tickPoller(w, 'venue-b'));
      w.clock.advance(PAST_TOKEN_LIFETIME_MS);
    }

    // Assess
    for (const id of a) expect(leadsFor(w, 'venue-a', id)).toHaveLength(1);
    expect(leadsFor(w, 'venue-b', b)).toHaveLength(1);
    expect(leadsFor(w, 'venue-b', a[0] as string)).toHaveLength(0);
    expect(reports.reduce((sum, report) => sum + report.created, 0)).toBe(4);
    for (const id of a) expect(w.hubspot.getContact(id)?.properties[w.flagProperty('venue-a')]).toBe('false');
    // Creating uses the public key; REST (and so a refresh) is needed only for a lookup (next case).
    expect(w.tripleseat.oauthStats('venue-a')).toMatchObject({
      refusedGrants: 0,
      refreshes: refreshesBefore,
    });
  });

  it('lead created but the answer lost: the lookup (fresh token, zone-less created_at) finds it; re-runs add nothing', async () => {
    // Prepare
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-b');
    w.tripleseat.faults.add({ match: /create\.js/, dropAnswerAfterWrite: true, times: 1 });
    const refreshesBefore = w.tripleseat.oauthStats('venue-b').refreshes;

    // Act
    const lost = await tickPoller(w, 'venue-b');
    w.clock.advance(PAST_TOKEN_LIFETIME_MS);
    const lookedUp = await tickPoller(w, 'venue-b');
    w.clock.advance(PAST_TOKEN_LIFETIME_MS);
    const again = await tickPoller(w, 'venue-b');

    // Assess
    expect(lost).toMatchObject({ retried: 1, created: 0 });
    expect(lookedUp).toMatchObject({ created: 1, rejected: 0, quarantined: 0 });
    expect(again.created).toBe(0);
    expect(leadsFor(w, 'venue-b', contact)).toHaveLength(1);
    expect(w.tripleseat.oauthStats('venue-b').refreshes).toBeGreaterThan(refreshesBefore);
    const entry = (await ledgerOf(w, 'venue-b')).find((e) => e.contactId === contact);
    expect(entry?.leadId).toBe(String(leadsFor(w, 'venue-b', contact)[0]?.id));
  });

  it('a contact ticked again (history served oldest-first) gets a second lead, once', async () => {
    // Prepare
    const w = world();
    const contact = validContact(w);
    w.tick(contact, 'venue-a');
    await tickPoller(w, 'venue-a');
    w.clock.advance(PAST_TOKEN_LIFETIME_MS);

    // Act
    w.tick(contact, 'venue-a');
    await tickPoller(w, 'venue-a');
    w.clock.advance(PAST_TOKEN_LIFETIME_MS);
    await tickPoller(w, 'venue-a');

    // Assess
    expect(leadsFor(w, 'venue-a', contact)).toHaveLength(2);
    expect((await ledgerOf(w, 'venue-a')).filter((e) => e.contactId === contact)).toHaveLength(2);
  });
});
