import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { type AppConfig, ConfigError, validateAppConfig } from '../shared/config/app-config';
import { HubSpotWebhook } from './hubspot-webhook';
import { AlarmTopic, OperationsDashboard } from './monitoring';
import { ReconciliationTable } from './reconciliation-table';
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
  /** E-mail addresses subscribed to the alarm topic. @default - none */
  readonly alarmEmails?: readonly string[];
  /** Customer managed key for the table. @default - AWS managed key */
  readonly tableEncryptionKey?: kms.IKey;
}

/**
 * venue-sync: one isolated poller per venue, the Webex sync, the HubSpot webhook receiver, the shared
 * reconciliation table, alarms and one dashboard. Adding a venue is a config entry, not code.
 */
export class VenueSyncStack extends Stack {
  readonly table: ReconciliationTable;
  readonly pollers: readonly VenuePoller[];
  readonly webex?: WebexSync;
  readonly webhook?: HubSpotWebhook;

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
    if (unknown.length > 0) {
      throw new ConfigError(
        unknown.map(
          (name) => `existingSecretNames: '${name}' is not a secret of any venue, webex or webhook`,
        ),
      );
    }
    Tags.of(this).add('app', 'venue-sync');

    this.table = new ReconciliationTable(this, 'Reconciliation', { encryptionKey: props.tableEncryptionKey });
    const alarms = new AlarmTopic(this, 'Alarms', { emails: props.alarmEmails });
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
          alarmAction: alarms.action,
          importExistingSecret: existing.has(venue.secretName),
          ...hubspotLimits,
        }),
    );
    for (const poller of this.pollers) dashboard.addSyncRow(poller.sync);

    if (config.webex) {
      this.webex = new WebexSync(this, 'Webex', {
        webex: config.webex,
        table: this.table,
        alarmAction: alarms.action,
        importExistingSecret: existing.has(config.webex.secretName),
        ...hubspotLimits,
      });
      dashboard.addSyncRow(this.webex.sync);
    }

    if (config.webhookSecretName) {
      const webhook = new HubSpotWebhook(this, 'HubSpotWebhook', {
        secretName: config.webhookSecretName,
        alarmAction: alarms.action,
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
