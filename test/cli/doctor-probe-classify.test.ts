/** `doctor --probe` verdicts: raw observation -> confirmed / differs / not-checkable, without any vendor. */
import { describe, expect, it } from 'vitest';
import {
  classifyCreatedAt,
  classifyFlagType,
  classifyHistoryOrder,
  classifyRateLimitTier,
  classifyRefresh,
  classifyTokenLifetime,
  classifyWebexConnection,
  classifyWebexFields,
  classifyWebexTotalCount,
  classifyWebhookUrl,
  historyOrderOf,
} from '../../ops/probe/classify';

const at = (iso: string) => ({ timestamp: iso });

describe('Function: historyOrderOf', () => {
  it.each([
    [[], 'empty'],
    [[at('2026-01-02T00:00:00Z')], 'single-entry'],
    [[at('2026-01-03T00:00:00Z'), at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z')], 'newest-first'],
    [[at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')], 'oldest-first'],
    [[at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z'), at('2026-01-03T00:00:00Z')], 'unordered'],
    [[at('2026-01-02T00:00:00Z'), at('2026-01-02T00:00:00Z')], 'single-entry'],
  ] as const)('%j is %s', (entries, order) => {
    // Act / Assess
    expect(historyOrderOf(entries)).toBe(order);
  });
});

describe('Function: classifyHistoryOrder', () => {
  it('confirms newest-first, says oldest-first differs (handled), and cannot judge one entry or none', () => {
    // Act
    const newest = classifyHistoryOrder([at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z')]);
    const oldest = classifyHistoryOrder([at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z')]);
    const single = classifyHistoryOrder([at('2026-01-01T00:00:00Z')]);
    const none = classifyHistoryOrder(undefined, "no contact has 'X' ticked");

    // Assess
    expect(newest.verdict).toBe('confirmed');
    expect(oldest).toMatchObject({ verdict: 'differs', needsAction: false });
    expect(oldest.seen).toContain('oldest-first');
    expect(single.verdict).toBe('not-checkable');
    expect(none).toMatchObject({ verdict: 'not-checkable', seen: "no contact has 'X' ticked" });
  });
});

describe('Function: classifyRateLimitTier', () => {
  it('reads the tier from X-HubSpot-RateLimit-Max (any header case) against the configured limit', () => {
    // Act
    const same = classifyRateLimitTier(
      { 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
      100,
    );
    const higherTier = classifyRateLimitTier({ 'X-HubSpot-RateLimit-Max': '190' }, 100);
    const lowerTier = classifyRateLimitTier({ 'X-HubSpot-RateLimit-Max': '100' }, 190);
    const none = classifyRateLimitTier({ 'X-HubSpot-RateLimit-Daily': '250000' }, 100);

    // Assess
    expect(same.verdict).toBe('confirmed');
    expect(higherTier).toMatchObject({ verdict: 'differs', needsAction: false });
    expect(higherTier.action).toContain('hubspotTenSecondLimit to 190');
    expect(lowerTier).toMatchObject({ verdict: 'differs', needsAction: true });
    expect(lowerTier.action).toContain('hubspotTenSecondLimit to 100');
    expect(none.verdict).toBe('not-checkable');
  });
});

describe('Function: classifyFlagType', () => {
  it('confirms a single checkbox and flags any other type as needing action', () => {
    // Act
    const box = classifyFlagType('Sync', { name: 'sync', type: 'bool', fieldType: 'booleancheckbox' });
    const text = classifyFlagType('Sync', { name: 'sync', type: 'string', fieldType: 'text' });
    const missing = classifyFlagType('Sync', undefined);

    // Assess
    expect(box.verdict).toBe('confirmed');
    expect(text).toMatchObject({ verdict: 'differs', needsAction: true });
    expect(missing.verdict).toBe('not-checkable');
  });
});

describe('Function: classifyWebex*', () => {
  it('missing mapped fields need action; edges-only and no totalCount are absorbed', () => {
    // Act
    const allThere = classifyWebexFields(['email', 'checkedIn'], []);
    const missing = classifyWebexFields(['email', 'checkedIn'], ['checkedIn']);
    const edges = classifyWebexConnection('eventsConnection', 'edges');
    const nodes = classifyWebexConnection('attendeesConnection', 'nodes');
    const noTotal = classifyWebexTotalCount('attendeesConnection', false);

    // Assess
    expect(allThere.verdict).toBe('confirmed');
    expect(missing).toMatchObject({ verdict: 'differs', needsAction: true });
    expect(missing.seen).toContain('checkedIn');
    expect(edges).toMatchObject({ verdict: 'differs', needsAction: false });
    expect(nodes.verdict).toBe('confirmed');
    expect(noTotal).toMatchObject({ verdict: 'differs', needsAction: false });
  });
});

describe('Function: classifyRefresh / classifyTokenLifetime / classifyCreatedAt', () => {
  it('judges the Tripleseat observations', () => {
    // Act / Assess
    expect(classifyRefresh({ status: 'ok' }).verdict).toBe('confirmed');
    expect(classifyRefresh({ status: 'static-token' }).verdict).toBe('not-checkable');
    expect(classifyRefresh({ status: 'failed', reason: 'refresh-refused', message: 'no' })).toMatchObject({
      verdict: 'differs',
      needsAction: true,
    });
    expect(classifyTokenLifetime(7200).verdict).toBe('confirmed');
    expect(classifyTokenLifetime(60)).toMatchObject({ verdict: 'differs', needsAction: false });
    expect(classifyTokenLifetime(undefined).verdict).toBe('not-checkable');
    const sample = { leadId: '42', leadsError: undefined };
    expect(classifyCreatedAt('utc', sample).verdict).toBe('confirmed');
    expect(classifyCreatedAt('offset', sample).verdict).toBe('confirmed');
    expect(classifyCreatedAt('zoneless', sample)).toMatchObject({ verdict: 'differs', needsAction: false });
    expect(classifyCreatedAt('unknown', sample)).toMatchObject({ verdict: 'differs', needsAction: true });
    expect(classifyCreatedAt('unknown', { leadId: undefined, leadsError: undefined }).verdict).toBe(
      'not-checkable',
    );
  });
});

describe('Function: classifyWebhookUrl', () => {
  it('wants an https Function URL; other https hosts are a warning, http needs action', () => {
    // Act
    const functionUrl = classifyWebhookUrl('https://abcdefghij0123456789.lambda-url.eu-west-1.on.aws/', true);
    const proxy = classifyWebhookUrl('https://hooks.example.com/hubspot', true);
    const http = classifyWebhookUrl('http://abc.lambda-url.us-east-1.on.aws/', true);
    const unknown = classifyWebhookUrl(undefined, true);
    const noWebhook = classifyWebhookUrl(undefined, false);

    // Assess
    expect(functionUrl).toMatchObject({ verdict: 'confirmed', seen: 'Function URL in eu-west-1' });
    expect(proxy).toMatchObject({ verdict: 'differs', needsAction: false });
    expect(http).toMatchObject({ verdict: 'differs', needsAction: true });
    expect(unknown.verdict).toBe('not-checkable');
    expect(unknown.action).toContain('--webhook-url');
    expect(noWebhook.verdict).toBe('not-checkable');
  });
});
