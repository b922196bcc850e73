import { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { WebexConfig } from '../shared/config/app-config';
import { SERVICE_NAMES } from '../shared/observability/metric-names';
import { type ReconciliationTable, TablePartitions } from './reconciliation-table';
import { ScheduledSync } from './scheduled-sync';
import { HANDLER_ENTRIES } from './sync-function';

export interface WebexSyncProps {
  readonly webex: WebexConfig;
  readonly table: ReconciliationTable;
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
  readonly hubspotTenSecondLimit: number;
  readonly hubspotDailyLimit: number;
  /** Import the secret by name instead of creating it. @default false */
  readonly importExistingSecret?: boolean;
  /** Prefix of physical names. @default - the stack name */
  readonly namePrefix?: string;
}

/** Webex Events -> HubSpot: a scheduled sync limited to the `WEBEX#*` and `QUARANTINE#webex` partitions. */
export class WebexSync extends Construct {
  /** Default interval, minutes. */
  static readonly DEFAULT_INTERVAL_MINUTES = 15;

  readonly sync: ScheduledSync;

  constructor(scope: Construct, id: string, props: WebexSyncProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? Stack.of(this).stackName;
    this.sync = new ScheduledSync(this, 'Sync', {
      label: 'Webex Events',
      entry: HANDLER_ENTRIES.webexSync,
      serviceName: SERVICE_NAMES.webexSync,
      functionName: `${prefix}-webex-sync`,
      scheduleName: `${prefix}-webex-sync`,
      intervalMinutes: props.webex.scheduleMinutes ?? WebexSync.DEFAULT_INTERVAL_MINUTES,
      table: props.table,
      partitions: [TablePartitions.webex, TablePartitions.webexQuarantine, TablePartitions.hubSpotBudget],
      secret: {
        secretName: props.webex.secretName,
        keys: ['hubspotToken', 'webexToken'],
        importExisting: props.importExistingSecret,
      },
      alarmActions: props.alarmActions,
      outputPrefix: 'WebexSync',
      environment: {
        WEBEX_EVENT_IDS: props.webex.eventIds.join(','),
        WEBEX_FIELD_MAP: JSON.stringify(props.webex.fieldMap),
        HUBSPOT_TEN_SECOND_LIMIT: String(props.hubspotTenSecondLimit),
        HUBSPOT_DAILY_LIMIT: String(props.hubspotDailyLimit),
      },
    });
  }
}
