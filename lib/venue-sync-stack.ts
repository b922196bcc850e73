import { CfnOutput, Stack, type StackProps, Tags, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { type AppConfig, ConfigError, validateAppConfig } from '../shared/config/app-config';
import { HubSpotWebhook } from './hubspot-webhook';
import { AlarmTopic, OperationsDashboard } from './monitoring';
import { ReconciliationTable } from './reconciliation-table';
import { isTripleseatVenue, TripleseatWebhook } from './tripleseat-webhook';
import { VenuePoller } from './venue-poller';
import { WebexSync } from './webex-sync';

export interface VenueSyncStackProps extends StackProps {
  /** The deployment's configuration (bin/venues.ts), validated again here. */
  readonly config: AppConfig;
  /**
   * Secret names (from the config) that already exist and are imported instead of created.
   * @default - every secret is created by the stack
   */
  readonly existingSecretNames?: readonly string[];
  /** E-mail addresses subscribed to the alarm topic, besides the config's `alarmEmails`. @default - none */
  readonly alarmEmails?: readonly string[];
  /** Customer managed key for the table. @default - AWS managed key */
  readonly tableEncryptionKey?: kms.IKey;
}

/**
 * venue-sync: one isolated poller per venue, the Webex sync, the HubSpot webhook receiver, one Tripleseat
 * webhook receiver per Tripleseat venue (lead outcomes), the shared reconciliation table, alarms and one
 * dashboard. Adding a venue is a config entry, not code.
 */
export class VenueSyncStack extends Stack {
  readonly table: ReconciliationTable;
  readonly pollers: readonly VenuePoller[];
  readonly webex?: WebexSync;
  readonly webhook?: HubSpotWebhook;
  /** One Tripleseat webhook receiver (and nightly reconcile) per venue on Tripleseat. */
  readonly tripleseatWebhooks: readonly TripleseatWebhook[];

  constructor(scope: Construct, id: string, props: VenueSyncStackProps) {
    super(scope, id, props);
    const config = validateAppConfig(props.config);
    const existing = new Set(props.existingSecretNames ?? []);
    const known = new Set([
      ...config.venues.map((v) => v.secretName),
      ...(config.webex ? [config.webex.secretName] : []),
      ...(config.webhookSecretName ? [config.webhookSecretName] : []),
    ]);
    const unknown = [...existing].filter((name) => !known.has(name));
    const problems = [
      ...unknown.map(
        (name) => `existingSecretNames: '${name}' is not a secret of any venue, webex or webhook`,
      ),
      ...outputIdClashes(config),
      ...alarmTopicRegionProblems(config.alarmTopicArn, this.region),
    ];
    if (problems.length > 0) throw new ConfigError(problems);
    Tags.of(this).add('app', 'venue-sync');

    this.table = new ReconciliationTable(this, 'Reconciliation', { encryptionKey: props.tableEncryptionKey });
    const alarms = new AlarmTopic(this, 'Alarms', {
      emails: [...new Set([...(config.alarmEmails ?? []), ...(props.alarmEmails ?? [])])],
      extraTopicArn: config.alarmTopicArn,
    });
    const dashboard = new OperationsDashboard(this, 'Operations', {
      dashboardName: `${this.stackName}-operations`,
    });
    const hubspotLimits = {
      hubspotTenSecondLimit: config.hubspotTenSecondLimit,
      hubspotDailyLimit: config.hubspotDailyLimit,
    };

    this.pollers = config.venues.map(
      (venue) =>
        new VenuePoller(this, `Venue-${venue.id}`, {
          venue,
          otherVenueFlagLabels: config.venues.filter((v) => v.id !== venue.id).map((v) => v.syncFlagLabel),
          table: this.table,
          alarmActions: alarms.actions,
          importExistingSecret: existing.has(venue.secretName),
          ...hubspotLimits,
        }),
    );
    // Lead outcomes come back from Tripleseat only: a venue on another platform gets no receiver.
    this.tripleseatWebhooks = config.venues.flatMap((venue, i) =>
      isTripleseatVenue(venue)
        ? [
            new TripleseatWebhook(this, `TripleseatWebhook-${venue.id}`, {
              venue,
              table: this.table,
              secret: this.pollers[i]!.sync.secret,
              alarmActions: alarms.actions,
              ...hubspotLimits,
            }),
          ]
        : [],
    );
    for (const poller of this.pollers) {
      dashboard.addSyncRow(poller.sync);
      dashboard.addVenueLatencyRow(poller.sync);
      const receiver = this.tripleseatWebhooks.find((w) => w.venueId === poller.venueId);
      if (receiver) dashboard.addLeadOutcomesRow(poller.sync, receiver);
    }

    if (config.webex) {
      this.webex = new WebexSync(this, 'Webex', {
        webex: config.webex,
        table: this.table,
        alarmActions: alarms.actions,
        importExistingSecret: existing.has(config.webex.secretName),
        ...hubspotLimits,
      });
      dashboard.addSyncRow(this.webex.sync);
    }

    if (config.webhookSecretName) {
      const webhook = new HubSpotWebhook(this, 'HubSpotWebhook', {
        secretName: config.webhookSecretName,
        alarmActions: alarms.actions,
        importExistingSecret: existing.has(config.webhookSecretName),
      });
      for (const poller of this.pollers) webhook.addPoller(poller);
      this.webhook = webhook;
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Reconciliation table' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Subscribe to get alarms',
    });
    new CfnOutput(this, 'DashboardUrl', { value: dashboard.url, description: 'CloudWatch dashboard' });
  }
}

/** Venue ids that give the same output ids (`venue-a` and `venueA` both give `VenueAPoller...`). */
function outputIdClashes(config: AppConfig): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const venue of config.venues) {
    const outputId = VenuePoller.outputIdOf(venue.id).toLowerCase();
    const owner = owners.get(outputId);
    if (owner !== undefined && owner !== venue.id) {
      problems.push(
        `venue '${venue.id}': its stack outputs would share names with venue '${owner}'; choose an id that differs by more than dashes`,
      );
    } else owners.set(outputId, venue.id);
  }
  return problems;
}

/** CloudWatch alarms can only notify a topic in their own region. */
function alarmTopicRegionProblems(topicArn: string | undefined, stackRegion: string): string[] {
  const topicRegion = topicArn?.split(':')[3];
  if (topicRegion === undefined || Token.isUnresolved(stackRegion) || topicRegion === stackRegion) return [];
  return [
    `alarmTopicArn: the topic is in ${topicRegion} but the stack deploys to ${stackRegion}; CloudWatch alarms ` +
      `notify topics in their own region only, so use a topic in ${stackRegion}`,
  ];
}
