import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAMES } from '../../shared/observability/metric-names';
import { type Built, build, logicalIdsUnder } from './synth';

let built: Built;

beforeAll(() => {
  built = build();
});

const alarmsUnder = (b: Built, ids: Set<string>) =>
  [...ids].map((id) => b.json.Resources[id]!).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');

describe('Monitoring', () => {
  it('gives every venue its ten alarms, all notifying the one topic', () => {
    // Prepare
    const topicRef = { Ref: expect.stringMatching(/^AlarmsTopic/) };

    // Act
    const perVenue = built.stack.pollers.map((p) => alarmsUnder(built, logicalIdsUnder(p)));

    // Assess
    built.template.resourceCountIs('AWS::SNS::Topic', 1);
    for (const alarms of perVenue) {
      expect(alarms).toHaveLength(10);
      for (const alarm of alarms) expect(alarm.Properties!.AlarmActions).toEqual([topicRef]);
    }
  });

  it('alarms when a venue has no successful run for three intervals, counting silence as failure', () => {
    // Act / Assess
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC_NAMES.successfulRun,
      Dimensions: Match.arrayEquals([
        { Name: 'service', Value: SERVICE_NAMES.venuePoller },
        { Name: 'venue', Value: 'marina' },
      ]),
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on the rejected-record rate and the HubSpot daily budget', () => {
    // Act / Assess
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(flagged > 0, 100 * rejected / flagged, 0)' }),
        Match.objectLike({
          Id: 'rejected',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: METRIC_NAMES.recordsRejected,
              Namespace: METRICS_NAMESPACE,
            }),
          }),
        }),
      ]),
      Threshold: 20,
    });
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRIC_NAMES.hubSpotDailyBudgetUsedPercent,
      Dimensions: Match.arrayWith([{ Name: 'venue', Value: 'venue-b' }]),
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms when either dead-letter queue holds a message', () => {
    // Prepare
    const poller = built.stack.pollers[0]!;
    const queues = [poller.sync.scheduleDeadLetterQueue, poller.sync.failureQueue].map((q) =>
      built.stack.resolve(q.queueName),
    );

    // Act
    const depthAlarms = alarmsUnder(built, logicalIdsUnder(poller)).filter(
      (a) => a.Properties!.MetricName === 'ApproximateNumberOfMessagesVisible',
    );

    // Assess
    expect(depthAlarms.map((a) => (a.Properties!.Dimensions as Array<{ Value: unknown }>)[0]!.Value)).toEqual(
      queues,
    );
    for (const alarm of depthAlarms)
      expect(alarm.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('encrypts the alarm topic and accepts only TLS publishing', () => {
    // Act / Assess
    built.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    built.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    built.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('has one dashboard with a row per venue and one for Webex', () => {
    // Act
    const dashboards = Object.values(built.json.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    );
    const body = JSON.stringify(dashboards[0]!.Properties!.DashboardBody);

    // Assess
    expect(dashboards).toHaveLength(1);
    for (const venue of appConfig.venues) expect(body).toContain(`## ${venue.displayName}`);
    expect(body).toContain('## Webex Events');
  });

  it('outputs per-venue function and secret names, the dashboard URL and the webhook URL', () => {
    // Act
    const outputs = built.json.Outputs as Record<string, { Description?: string; Value: unknown }>;
    const described = Object.values(outputs).map((o) => o.Description ?? '');

    // Assess
    for (const venue of appConfig.venues) {
      expect(described).toContain(`${venue.displayName}: Lambda function`);
      // A venue on another platform names its platform's keys instead of Tripleseat's.
      expect(described).toContain(
        venue.destination?.type === 'http'
          ? `${venue.displayName}: fill this secret with JSON {hubspotToken, destination.marinaApiKey?}`
          : `${venue.displayName}: fill this secret with JSON {hubspotToken, tripleseatPublicKey, tripleseatOauthToken?}`,
      );
    }
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['DashboardUrl', expect.stringMatching(/^HubSpotWebhookUrl/)]),
    );
  });
});
