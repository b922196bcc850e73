import type { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { keys } from '../../shared/reconciliation/keys';
import { TablePartitions } from '../../lib/reconciliation-table';
import { type Built, build, FOURTH_VENUE, logicalIdsUnder, withFourthVenue } from './synth';

let three: Built;
let four: Built;

beforeAll(() => {
  three = build();
  four = build(withFourthVenue());
});

const ofType = (built: Built, type: string) =>
  Object.entries(built.json.Resources).filter(([, resource]) => resource.Type === type);

describe('Construct: VenuePoller', () => {
  it('creates one poller function and one schedule per configured venue', () => {
    // Prepare
    const venueIds = appConfig.venues.map((venue) => venue.id);

    // Act
    const pollers = three.stack.pollers;

    // Assess
    expect(pollers.map((poller) => poller.venueId)).toEqual(venueIds);
    const tripleseatVenues = appConfig.venues.filter((v) => v.destination?.type !== 'http').length;
    // + a Tripleseat webhook receiver per Tripleseat venue, + webex + HubSpot webhook
    three.template.resourceCountIs('AWS::Lambda::Function', venueIds.length + tripleseatVenues + 2);
    three.template.resourceCountIs('AWS::Scheduler::Schedule', venueIds.length + 1); // + webex
    for (const id of venueIds) {
      three.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `VenueSync-${id}-poller`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: Match.absent(),
        Environment: { Variables: Match.objectLike({ VENUE_ID: id, NODE_OPTIONS: '--enable-source-maps' }) },
      });
      three.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `VenueSync-${id}-poll`,
        ScheduleExpression: 'rate(5 minutes)',
      });
    }
  });

  it('gives the poller its documented environment and no secret value', () => {
    // Prepare
    const venue = appConfig.venues[0]!;

    // Act
    const [, fn] = ofType(three, 'AWS::Lambda::Function').find(
      ([, r]) => r.Properties?.FunctionName === `VenueSync-${venue.id}-poller`,
    )!;
    const env = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(Object.keys(env).sort()).toEqual(
      [
        'FIELD_MAP',
        'HUBSPOT_DAILY_LIMIT',
        'HUBSPOT_TEN_SECOND_LIMIT',
        'NODE_OPTIONS',
        'OTHER_VENUE_FLAG_LABELS',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_SERVICE_NAME',
        'SECRET_ARN',
        'SYNC_FLAG_LABEL',
        'TABLE_NAME',
        'VENUE_ID',
        'WRITEBACK_MAP',
      ].sort(),
    );
    expect(JSON.parse(env.FIELD_MAP as string)).toEqual(venue.fieldMap);
    expect(JSON.parse(env.WRITEBACK_MAP as string)).toEqual(venue.writeBack);
    expect(env.SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^Venuevenuea.*Secret/) });
    expect(env.SYNC_FLAG_LABEL).toBe(venue.syncFlagLabel);
    expect(JSON.parse(env.OTHER_VENUE_FLAG_LABELS as string)).toEqual(
      appConfig.venues.filter((other) => other.id !== venue.id).map((other) => other.syncFlagLabel),
    );
  });

  it('adds exactly one venue set and changes nothing shared except the dashboard and the webhook map', () => {
    // Prepare
    const before = new Set(Object.keys(three.json.Resources));
    const after = new Set(Object.keys(four.json.Resources));
    const newVenue = four.stack.pollers.find((p) => p.venueId === FOURTH_VENUE.id)!;
    const newReceiver = four.stack.tripleseatWebhooks.find((w) => w.venueId === FOURTH_VENUE.id)!;
    const webhookInvokePolicy = logicalIdsUnder(
      four.stack.webhook!.node.findChild(`Invoke-${FOURTH_VENUE.id}`),
    );

    // Act
    const added = [...after].filter((id) => !before.has(id));
    const removed = [...before].filter((id) => !after.has(id));
    const changed = [...before].filter(
      (id) =>
        after.has(id) && JSON.stringify(three.json.Resources[id]) !== JSON.stringify(four.json.Resources[id]),
    );
    const addedTypes = added.map((id) => four.json.Resources[id]!.Type).sort();

    // Assess
    expect(removed).toEqual([]);
    expect(new Set(added)).toEqual(
      new Set([...logicalIdsUnder(newVenue), ...webhookInvokePolicy, ...logicalIdsUnder(newReceiver)]),
    );
    expect(addedTypes).toEqual(
      [
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Alarm', // quarantined
        'AWS::CloudWatch::Alarm', // Tripleseat OAuth refused
        'AWS::CloudWatch::Alarm', // oldest waiting request
        'AWS::IAM::Policy', // function role policy
        'AWS::IAM::Policy', // scheduler role policy
        'AWS::IAM::Policy', // webhook may invoke this poller
        'AWS::IAM::Role', // function role
        'AWS::IAM::Role', // scheduler role
        'AWS::Lambda::EventInvokeConfig',
        'AWS::Lambda::Function',
        'AWS::Logs::LogGroup',
        'AWS::SQS::Queue', // schedule DLQ
        'AWS::SQS::Queue', // on-failure queue
        'AWS::SQS::QueuePolicy',
        'AWS::SQS::QueuePolicy',
        'AWS::Scheduler::Schedule',
        'AWS::SecretsManager::Secret',
        // its Tripleseat webhook receiver (test/infra/tripleseat-webhook.test.ts)
        'AWS::CloudWatch::Alarm', // receiver errors
        'AWS::CloudWatch::Alarm', // receiver throttles
        'AWS::IAM::Policy',
        'AWS::IAM::Role',
        'AWS::Lambda::Function',
        'AWS::Lambda::Permission', // public Function URL
        'AWS::Lambda::Permission', // invoke via the Function URL only
        'AWS::Lambda::Url',
        'AWS::Logs::LogGroup',
      ].sort(),
    );
    expect(changed.map((id) => four.json.Resources[id]!.Type).sort()).toEqual([
      'AWS::CloudWatch::Dashboard',
      'AWS::Lambda::Function', // the webhook's VENUE_POLLERS
      // each existing poller's OTHER_VENUE_FLAG_LABELS gains the new venue's label
      ...appConfig.venues.map(() => 'AWS::Lambda::Function'),
    ]);
    expect(changed).toContain(
      four.stack.resolve((four.stack.webhook!.fn.node.defaultChild as CfnResource).logicalId),
    );
  });

  it("references nothing of another venue from a venue's roles", () => {
    // Act
    const leaks = crossVenueReferences(four);

    // Assess
    expect(four.stack.pollers).toHaveLength(4);
    expect(leaks).toEqual([]);
  });

  it('would notice a role that reaches another venue (the check above can fail)', () => {
    // Prepare
    const leaky = build(withFourthVenue(), {}, (stack) => {
      const [a, b] = stack.pollers;
      b!.sync.secret.grantRead(a!.sync.fn);
    });

    // Act
    const leaks = crossVenueReferences(leaky);

    // Assess
    expect(leaks).toEqual([expect.stringMatching(/^venue-a -> venue-b: Venuevenueb.*Secret/)]);
  });

  it('limits table access to the venue partitions and the shared HubSpot budget, with no Scan', () => {
    // Prepare
    const venueId = 'venue-b';

    // Act / Assess
    three.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.not(Match.arrayWith(['dynamodb:Scan'])),
            Condition: {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': [
                  `VENUE#${venueId}`,
                  `QUARANTINE#venue:${venueId}`,
                  'BUDGET#hubspot#*',
                ],
              },
              Null: { 'dynamodb:LeadingKeys': 'false' },
            },
          }),
        ]),
      },
    });
  });

  it('spells the partitions exactly as the reconciliation store writes them', () => {
    // Prepare / Act / Assess
    expect(TablePartitions.venue('x')).toBe(keys.venue('x'));
    expect(TablePartitions.venueQuarantine('x')).toBe(keys.quarantine(keys.venueSource('x')));
    expect(TablePartitions.webexQuarantine).toBe(keys.quarantine(keys.webexSource));
    expect(TablePartitions.webex).toBe(keys.webexEvent('*'));
  });

  it('tags every taggable per-venue resource with app and venue', () => {
    // Prepare
    const poller = three.stack.pollers[1]!;
    const ids = [...logicalIdsUnder(poller)].filter((id) => three.json.Resources[id]!.Properties?.Tags);

    // Act
    const tagSets = ids.map((id) => three.json.Resources[id]!.Properties!.Tags);

    // Assess
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const tags of tagSets) {
      expect(tags).toEqual(
        expect.arrayContaining([
          { Key: 'app', Value: 'venue-sync' },
          { Key: 'venue', Value: poller.venueId },
        ]),
      );
    }
  });
});

describe('Construct: HubSpotWebhook', () => {
  it('may invoke only the venue pollers, each through its own policy', () => {
    // Prepare
    const webhookRole = three.stack.resolve(three.stack.webhook!.fn.executionRole.roleName);
    const pollerArns = three.stack.pollers.map((p) => three.stack.resolve(p.sync.fn.functionArn));

    // Act
    const invokeStatements = Object.values(three.json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => JSON.stringify(r.Properties!.Roles) === JSON.stringify([webhookRole]))
      .flatMap(
        (r) => (r.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
      )
      .filter((s) => JSON.stringify(s.Action).includes('lambda:'));

    // Assess
    expect(invokeStatements).toHaveLength(pollerArns.length);
    expect(invokeStatements.map((s) => [s.Action, s.Resource])).toEqual(
      pollerArns.map((arn) => ['lambda:InvokeFunction', arn]),
    );
    three.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    const [, fn] = ofType(three, 'AWS::Lambda::Function').find(
      ([, r]) => r.Properties?.FunctionName === 'VenueSync-hubspot-webhook',
    )!;
    const pollers = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables
      .VENUE_POLLERS;
    expect(JSON.stringify(pollers)).toContain('"venue-a\\":{\\"flagLabel\\":\\"Tripleseat Sync - Venue A\\"');
  });
});

/** For every ordered pair (A, B) of venues: what of B's appears in A's roles and their policies. */
function crossVenueReferences({ stack, json }: Built): string[] {
  const allVenues = [...appConfig.venues, FOURTH_VENUE];
  const venues = stack.pollers.map((poller) => {
    const venue = allVenues.find((v) => v.id === poller.venueId)!;
    const ids = logicalIdsUnder(poller);
    const roleIds = [...ids].filter((id) => json.Resources[id]!.Type === 'AWS::IAM::Role');
    const policies = Object.values(json.Resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties!.Roles as Array<{ Ref: string }>).some((role) => roleIds.includes(role.Ref)),
    );
    return {
      id: poller.venueId,
      ownIds: ids,
      iamText: JSON.stringify([...roleIds.map((id) => json.Resources[id]), ...policies]),
      markers: [
        `"${TablePartitions.venue(venue.id)}"`,
        `"${TablePartitions.venueQuarantine(venue.id)}"`,
        `"${venue.secretName}"`,
        `VenueSync-${venue.id}-poller`,
        `VenueSync-${venue.id}-poll"`,
      ],
    };
  });
  // Sanity: each venue's own partition is found, so the text search looks at the right documents.
  expect(venues.every((v) => v.iamText.includes(`"${TablePartitions.venue(v.id)}"`))).toBe(true);
  const leaks: string[] = [];
  for (const a of venues) {
    for (const b of venues) {
      if (a === b) continue;
      for (const id of b.ownIds) if (a.iamText.includes(`"${id}"`)) leaks.push(`${a.id} -> ${b.id}: ${id}`);
      for (const marker of b.markers)
        if (a.iamText.includes(marker)) leaks.push(`${a.id} -> ${b.id}: ${marker}`);
    }
  }
  return leaks;
}
