import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import type { AppConfigInput } from '../../shared/config/app-config';
import { LEAD_OUTCOME_METRIC_NAMES } from '../../shared/observability/lead-outcome-metric-names';
import { TablePartitions } from '../../lib/reconciliation-table';
import type { TripleseatWebhook } from '../../lib/tripleseat-webhook';
import { type Built, build, FOURTH_VENUE, logicalIdsUnder, nagFindings, withFourthVenue } from './synth';

/** The demo config with a nightly reconcile at 03:00 UTC on venue-a (a venue with OAuth). */
function withReconcile(config: AppConfigInput): AppConfigInput {
  return {
    ...config,
    venues: config.venues.map((v) => (v.id === 'venue-a' ? { ...v, leadReconcileHour: 3 } : v)),
  };
}

let three: Built;
let four: Built;

beforeAll(() => {
  three = build(withReconcile(appConfig));
  four = build(withReconcile(withFourthVenue()));
});

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

/** Every statement of the policies attached to the roles under `scope`. */
function statementsOfRolesUnder(built: Built, ids: Set<string>): Statement[] {
  const roleIds = [...ids].filter((id) => built.json.Resources[id]!.Type === 'AWS::IAM::Role');
  return Object.values(built.json.Resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties!.Roles as Array<{ Ref: string }>).some((role) => roleIds.includes(role.Ref)),
    )
    .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}

const receiverOf = (built: Built, venueId: string): TripleseatWebhook =>
  built.stack.tripleseatWebhooks.find((w) => w.venueId === venueId)!;

describe('Construct: TripleseatWebhook', () => {
  it('gives each Tripleseat venue one receiver with a public Function URL, and an http venue none', () => {
    // Prepare
    const tripleseat = appConfig.venues.filter((v) => v.destination?.type !== 'http').map((v) => v.id);

    // Act
    const receivers = three.stack.tripleseatWebhooks.map((w) => w.venueId);

    // Assess
    expect(tripleseat).toEqual(['venue-a', 'venue-b']);
    expect(receivers).toEqual(tripleseat);
    three.template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { FunctionName: Match.stringLikeRegexp('-ts-webhook$') },
      tripleseat.length,
    );
    // The HubSpot webhook's URL plus one per receiver; no IAM auth, the handler checks X-Signature.
    three.template.resourcePropertiesCountIs('AWS::Lambda::Url', { AuthType: 'NONE' }, 1 + tripleseat.length);
    expect(JSON.stringify(three.json)).not.toContain('VenueSync-marina-ts-webhook');
  });

  it("reads the venue's own secret by ARN and receives the venue's write-back map, no secret value", () => {
    // Prepare
    const venue = appConfig.venues[0]!;
    const poller = three.stack.pollers.find((p) => p.venueId === venue.id)!;

    // Act
    const [, fn] = Object.entries(three.json.Resources).find(
      ([, r]) => r.Properties?.FunctionName === `VenueSync-${venue.id}-ts-webhook`,
    )!;
    const env = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(env.VENUE_ID).toBe(venue.id);
    expect(env.SECRET_ARN).toEqual(three.stack.resolve(poller.sync.secret.secretArn));
    expect(JSON.parse(env.WRITEBACK_MAP as string)).toEqual(venue.writeBack);
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('tripleseat-webhook');
    expect(Object.keys(env).filter((name) => /TOKEN|WEBHOOK_SECRET|PUBLIC_KEY/.test(name))).toEqual([]);
  });

  it("scopes the receiver's role to its venue's secret and partitions, nothing else", () => {
    // Prepare
    const venueId = 'venue-b';
    const receiver = receiverOf(three, venueId);
    const secretArn = three.stack.resolve(
      three.stack.pollers.find((p) => p.venueId === venueId)!.sync.secret.secretArn,
    );

    // Act
    const statements = statementsOfRolesUnder(three, logicalIdsUnder(receiver));
    const actions = statements.flatMap((s) => [s.Action].flat());
    const secretStatements = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
    const tableStatements = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));

    // Assess
    expect(secretStatements.map((s) => s.Resource)).toEqual([secretArn]);
    expect(tableStatements).toHaveLength(1);
    expect(tableStatements[0]!.Condition).toEqual({
      'ForAllValues:StringLike': {
        'dynamodb:LeadingKeys': [
          TablePartitions.venue(venueId),
          TablePartitions.venueQuarantine(venueId),
          TablePartitions.hubSpotBudget,
        ],
      },
      Null: { 'dynamodb:LeadingKeys': 'false' },
    });
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.startsWith('lambda:'))).toEqual([]);
  });

  it("references nothing of another venue from a receiver's or reconcile's roles", () => {
    // Prepare
    const venues = four.stack.tripleseatWebhooks.map((receiver) => {
      const poller = four.stack.pollers.find((p) => p.venueId === receiver.venueId)!;
      const secretId = four.stack.resolve(poller.sync.secret.secretArn) as { Ref: string };
      return {
        id: receiver.venueId,
        iamText: JSON.stringify(statementsOfRolesUnder(four, logicalIdsUnder(receiver))),
        markers: [
          `"${TablePartitions.venue(receiver.venueId)}"`,
          `"${TablePartitions.venueQuarantine(receiver.venueId)}"`,
          `"${secretId.Ref}"`,
          ...logicalIdsUnder(receiver),
        ],
      };
    });

    // Act
    const leaks = venues.flatMap((a) =>
      venues
        .filter((b) => b !== a)
        .flatMap((b) =>
          b.markers.filter((m) => a.iamText.includes(m)).map((m) => `${a.id} -> ${b.id}: ${m}`),
        ),
    );

    // Assess
    expect(venues.map((v) => v.id)).toEqual(['venue-a', 'venue-b', FOURTH_VENUE.id]);
    expect(venues.every((v) => v.iamText.includes(`"${TablePartitions.venue(v.id)}"`))).toBe(true);
    expect(leaks).toEqual([]);
  });

  it('adds exactly one receiver when a Tripleseat venue is added', () => {
    // Prepare
    const receiverUrls = (b: Built) =>
      b.stack.tripleseatWebhooks
        .flatMap((w) => [...logicalIdsUnder(w)])
        .filter((id) => b.json.Resources[id]!.Type === 'AWS::Lambda::Url');

    // Act
    const before = receiverUrls(three);
    const after = receiverUrls(four);
    const added = after.filter((id) => !before.includes(id));

    // Assess
    expect(after).toHaveLength(before.length + 1);
    expect(added).toEqual(
      [...logicalIdsUnder(receiverOf(four, FOURTH_VENUE.id))].filter(
        (id) => four.json.Resources[id]!.Type === 'AWS::Lambda::Url',
      ),
    );
    expect(receiverOf(four, FOURTH_VENUE.id).reconcile).toBeUndefined();
  });

  it('runs the nightly reconcile only where leadReconcileHour is set, on its own schedule, role and DLQ', () => {
    // Prepare
    const reconcile = receiverOf(three, 'venue-a').reconcile!;
    const fnArn = three.stack.resolve(reconcile.fn.functionArn) as { 'Fn::GetAtt': [string, string] };

    // Act
    const schedules = Object.values(three.json.Resources).filter(
      (r) => r.Type === 'AWS::Scheduler::Schedule' && /-ts-reconcile$/.test(String(r.Properties!.Name)),
    );
    const scheduleStatements = statementsOfRolesUnder(three, logicalIdsUnder(reconcile)).filter((s) =>
      JSON.stringify(s.Action).includes('lambda:'),
    );

    // Assess
    expect(receiverOf(three, 'venue-b').reconcile).toBeUndefined();
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.Properties).toMatchObject({
      Name: 'VenueSync-venue-a-ts-reconcile',
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/ReconcileScheduleDlq/), 'Arn'] } },
      },
    });
    expect(scheduleStatements.map((s) => s.Resource)).toEqual([[fnArn, { 'Fn::Join': expect.anything() }]]);
    three.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': '123456789012',
                'aws:SourceArn':
                  'arn:aws:scheduler:us-east-1:123456789012:schedule/default/VenueSync-venue-a-ts-reconcile',
              },
            },
          }),
        ],
      },
    });
    three.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'VenueSync-venue-a-ts-reconcile',
      Environment: {
        Variables: Match.objectLike({ VENUE_ID: 'venue-a', POWERTOOLS_SERVICE_NAME: 'lead-reconcile' }),
      },
    });
  });

  it('is cdk-nag clean with receivers and a reconcile', () => {
    // Act
    const findings = nagFindings(four.app);

    // Assess
    expect(findings).toEqual([]);
  });

  it('graphs per Tripleseat venue sent, converted, booked, turned down, lost by reason and the medians', () => {
    // Prepare
    const dashboard = Object.values(three.json.Resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    )!;
    const body = JSON.stringify(dashboard.Properties!.DashboardBody);
    const metricOf = (name: string, service: string, venueId: string) =>
      `${name}\\",\\"service\\",\\"${service}\\",\\"venue\\",\\"${venueId}\\"`;

    // Act / Assess
    for (const receiver of three.stack.tripleseatWebhooks) {
      expect(body).toContain(`### ${receiver.label}: lead outcomes`);
      for (const name of [
        LEAD_OUTCOME_METRIC_NAMES.leadsConverted,
        LEAD_OUTCOME_METRIC_NAMES.leadsBooked,
        LEAD_OUTCOME_METRIC_NAMES.leadsTurnedDown,
        LEAD_OUTCOME_METRIC_NAMES.leadsLost,
        LEAD_OUTCOME_METRIC_NAMES.leadToBookingSeconds,
      ]) {
        expect(body).toContain(metricOf(name, 'tripleseat-webhook', receiver.venueId));
        expect(body).toContain(metricOf(name, 'lead-reconcile', receiver.venueId));
      }
      expect(body).toContain(metricOf('RecordsSynced', 'venue-poller', receiver.venueId));
    }
    expect(body).not.toContain('### The Marina: lead outcomes');
    expect(body).toContain('stats count(*) as leads by lostReason');
    expect(body).toContain('lead to booking p50');
  });
});
