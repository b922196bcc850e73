import { readFileSync } from 'node:fs';
import type { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appConfig } from '../../bin/venues';
import { ConfigError } from '../../shared/config/app-config';
import { METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAMES } from '../../shared/observability/metric-names';
import { type Built, build, cdkJsonContext, FOURTH_VENUE, logicalIdsUnder } from './synth';

const CHAT_TOPIC = 'arn:aws:sns:us-east-1:123456789012:ops-chat';

let built: Built;
/** The demo venues plus a fourth one that does not say `enabled` (a new venue), with subscribers. */
let withPaused: Built;

beforeAll(() => {
  built = build();
  const { enabled: _enabled, ...pausedVenue } = FOURTH_VENUE;
  withPaused = build({
    ...appConfig,
    venues: [...appConfig.venues, pausedVenue],
    alarmEmails: ['ops@example.com', 'oncall@example.com'],
    alarmTopicArn: CHAT_TOPIC,
  });
});

const venueDimensions = (venueId: string) =>
  Match.arrayEquals([
    { Name: 'service', Value: SERVICE_NAMES.venuePoller },
    { Name: 'venue', Value: venueId },
  ]);

type Resource = Built['json']['Resources'][string];
const resourcesUnder = (b: Built, venueId: string, type: string): Resource[] => {
  const poller = b.stack.pollers.find((p) => p.venueId === venueId)!;
  return [...logicalIdsUnder(poller)].map((id) => b.json.Resources[id]!).filter((r) => r.Type === type);
};

describe('Venue alarms', () => {
  it.each(appConfig.venues.map((v) => v.id))(
    "alarms on any quarantined request of venue '%s', notifying the alarm topic",
    (venueId) => {
      built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: METRIC_NAMES.recordsQuarantined,
        Dimensions: venueDimensions(venueId),
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      });
    },
  );

  it.each(appConfig.venues.map((v) => v.id))(
    "alarms when Tripleseat refuses the OAuth token or its refresh for venue '%s'",
    (venueId) => {
      built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: METRIC_NAMES.tripleseatAuthFailed,
        Dimensions: venueDimensions(venueId),
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      });
    },
  );

  it.each(appConfig.venues.map((v) => v.id))(
    "alarms when a request of venue '%s' waits more than two intervals",
    (venueId) => {
      built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: METRIC_NAMES.oldestWaitingSeconds,
        Dimensions: venueDimensions(venueId),
        Statistic: 'Maximum',
        Threshold: 600,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    },
  );

  it('scales the oldest-waiting threshold with the venue interval', () => {
    const fast = build({
      ...appConfig,
      venues: appConfig.venues.map((v) => (v.id === 'venue-b' ? { ...v, scheduleMinutes: 2 } : v)),
    });

    fast.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRIC_NAMES.oldestWaitingSeconds,
      Dimensions: venueDimensions('venue-b'),
      Period: 120,
      Threshold: 240,
    });
  });

  it('leaves the Webex sync without venue alarms (a registrant without email is not an outage)', () => {
    const webexAlarmMetrics = [...logicalIdsUnder(built.stack.webex!)]
      .map((id) => built.json.Resources[id]!)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties!.MetricName);

    expect(webexAlarmMetrics).not.toContain(METRIC_NAMES.recordsQuarantined);
    expect(webexAlarmMetrics).not.toContain(METRIC_NAMES.tripleseatAuthFailed);
  });

  it('graphs the oldest waiting request and tick-to-lead p50/p95 per venue', () => {
    const dashboard = Object.values(built.json.Resources).find(
      (r) => r.Type === 'AWS::CloudWatch::Dashboard',
    )!;
    const body = JSON.stringify(dashboard.Properties!.DashboardBody);

    for (const venue of appConfig.venues) {
      const row = new RegExp(
        `${METRIC_NAMES.tickToLeadSeconds}\\\\",\\\\"service\\\\",\\\\"venue-poller\\\\",\\\\"venue\\\\",\\\\"${venue.id}\\\\"`,
      );
      expect(body).toMatch(row);
    }
    expect(body).toContain(METRIC_NAMES.oldestWaitingSeconds);
    expect(body).toContain('\\"stat\\":\\"p50\\"');
    expect(body).toContain('\\"stat\\":\\"p95\\"');
  });
});

describe('Venue enabled / paused', () => {
  it('runs the schedule of a venue that says enabled: true', () => {
    for (const venue of appConfig.venues) {
      const [schedule] = resourcesUnder(built, venue.id, 'AWS::Scheduler::Schedule');
      expect(schedule!.Properties!.State).toBe('ENABLED');
    }
  });

  it('creates a venue without `enabled` paused: schedule DISABLED, silent NoSuccessfulRun, no webhook route', () => {
    const [schedule] = resourcesUnder(withPaused, FOURTH_VENUE.id, 'AWS::Scheduler::Schedule');
    const noRun = resourcesUnder(withPaused, FOURTH_VENUE.id, 'AWS::CloudWatch::Alarm').find(
      (a) => a.Properties!.MetricName === METRIC_NAMES.successfulRun,
    );
    const webhookId = withPaused.stack.resolve(
      (withPaused.stack.webhook!.fn.node.defaultChild as CfnResource).logicalId,
    ) as string;
    const webhookEnv = JSON.stringify(withPaused.json.Resources[webhookId]!.Properties!.Environment);

    expect(schedule!.Properties!.State).toBe('DISABLED');
    expect(noRun!.Properties!.ActionsEnabled).toBe(false);
    expect(withPaused.stack.webhook!.node.tryFindChild(`Invoke-${FOURTH_VENUE.id}`)).toBeUndefined();
    expect(webhookEnv).toContain('venue-a');
    expect(webhookEnv).not.toContain(FOURTH_VENUE.id);
  });
});

describe('Alarm subscriptions', () => {
  it('subscribes every configured e-mail address to the alarm topic', () => {
    withPaused.template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of ['ops@example.com', 'oncall@example.com']) {
      withPaused.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
      });
    }
  });

  it('makes every alarm notify the chat topic as well when alarmTopicArn is set', () => {
    const alarms = Object.values(withPaused.json.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );

    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties!.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/^AlarmsTopic/) },
        CHAT_TOPIC,
      ]);
    }
  });

  it('refuses a chat topic in another region, naming both regions', () => {
    expect(() =>
      build({ ...appConfig, alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-chat' }),
    ).toThrow(/alarmTopicArn: the topic is in eu-west-1 but the stack deploys to us-east-1/);
  });

  it('refuses something that is not an SNS topic ARN and invalid e-mail addresses', () => {
    expect(() => build({ ...appConfig, alarmTopicArn: 'ops-chat', alarmEmails: ['not-an-email'] })).toThrow(
      ConfigError,
    );
  });
});

describe('Stack outputs', () => {
  it('names outputs after the venue and what they hold, without hashes', () => {
    const outputs = Object.keys(built.json.Outputs ?? {});

    expect(outputs.sort()).toEqual(
      [
        'VenueAPollerFunctionName',
        'VenueAPollerSecretName',
        'VenueBPollerFunctionName',
        'VenueBPollerSecretName',
        'MarinaPollerFunctionName',
        'MarinaPollerSecretName',
        'VenueATripleseatWebhookUrl', // lead outcomes: only venues on Tripleseat (not the marina)
        'VenueBTripleseatWebhookUrl',
        'WebexSyncFunctionName',
        'WebexSyncSecretName',
        'HubSpotWebhookUrl',
        'HubSpotWebhookSecretName',
        'TableName',
        'AlarmTopicArn',
        'DashboardUrl',
      ].sort(),
    );
  });

  it('refuses two venue ids that would give the same output names', () => {
    const clash = {
      ...FOURTH_VENUE,
      id: 'venuea',
      syncFlagLabel: 'Tripleseat Sync - Clash',
      secretName: 's/clash',
    };

    expect(() => build({ ...appConfig, venues: [...appConfig.venues, clash] })).toThrow(
      /venue 'venuea': its stack outputs would share names with venue 'venue-a'/,
    );
  });
});

describe('cdk.json', () => {
  it('sets every feature flag aws-cdk-lib recommends, so synth warns about none', () => {
    const recommended = z
      .record(z.string(), z.unknown())
      .parse(
        JSON.parse(
          readFileSync(
            new URL('../../node_modules/aws-cdk-lib/recommended-feature-flags.json', import.meta.url),
            'utf8',
          ),
        ),
      );
    const context = cdkJsonContext();

    expect(Object.keys(recommended).filter((flag) => !(flag in context))).toEqual([]);
  });
});
