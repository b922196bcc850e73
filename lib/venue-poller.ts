import { Stack, Tags } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { VenueAlarms } from './monitoring';
import type { VenueConfig } from '../shared/config/app-config';
import { authSecretFields } from '../shared/config/destination';
import { METRIC_DIMENSIONS, SERVICE_NAMES } from '../shared/observability/metric-names';
import { type ReconciliationTable, TablePartitions } from './reconciliation-table';
import { ScheduledSync } from './scheduled-sync';
import { HANDLER_ENTRIES } from './sync-function';

/** The JSON keys of a venue's secret (docs/design.md section 3; docs/runbook.md). */
export const VENUE_SECRET_KEYS = ['hubspotToken', 'tripleseatPublicKey'] as const;
export const VENUE_SECRET_OPTIONAL_KEYS = ['tripleseatOauthToken'] as const;

export interface VenuePollerProps {
  readonly venue: VenueConfig;
  readonly table: ReconciliationTable;
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
  /** HubSpot burst limit per 10 s of the private app. */
  readonly hubspotTenSecondLimit: number;
  /** HubSpot daily call budget of the portal. */
  readonly hubspotDailyLimit: number;
  /**
   * Every other venue's syncFlagLabel; the poller refuses a checkbox one of them names.
   * @default [] - no other venues
   */
  readonly otherVenueFlagLabels?: readonly string[];
  /** Import the venue's secret by name instead of creating it. @default false */
  readonly importExistingSecret?: boolean;
  /** Prefix of physical names. @default - the stack name */
  readonly namePrefix?: string;
}

/**
 * One venue's poller: every resource of the venue sits under this construct and is tagged `venue=<id>`,
 * and its role can reach only this venue's secret and `VENUE#<id>` / `QUARANTINE#venue:<id>` partitions
 * (plus the shared HubSpot budget). Adding a venue to the config adds one of these and nothing else.
 */
export class VenuePoller extends Construct {
  /** Default poll interval, minutes. */
  static readonly DEFAULT_INTERVAL_MINUTES = 5;

  readonly venueId: string;
  readonly flagLabel: string;
  /** Whether its schedule ticks (`enabled` in the config; a venue is paused unless it says true). */
  readonly enabled: boolean;
  readonly sync: ScheduledSync;
  readonly venueAlarms: VenueAlarms;

  constructor(scope: Construct, id: string, props: VenuePollerProps) {
    super(scope, id);
    const { venue } = props;
    const prefix = props.namePrefix ?? Stack.of(this).stackName;
    this.venueId = venue.id;
    this.flagLabel = venue.syncFlagLabel;
    this.enabled = venue.enabled ?? false;
    const functionName = `${prefix}-${venue.id}-poller`;
    if (functionName.length > 64) {
      throw new Error(
        `venue '${venue.id}': function name '${functionName}' exceeds 64 characters; shorten the id or prefix`,
      );
    }

    this.sync = new ScheduledSync(this, 'Poller', {
      label: venue.displayName,
      entry: HANDLER_ENTRIES.venuePoller,
      serviceName: SERVICE_NAMES.venuePoller,
      extraMetricDimensions: { [METRIC_DIMENSIONS.venue]: venue.id },
      functionName,
      scheduleName: `${prefix}-${venue.id}-poll`,
      intervalMinutes: venue.scheduleMinutes ?? VenuePoller.DEFAULT_INTERVAL_MINUTES,
      table: props.table,
      partitions: [
        TablePartitions.venue(venue.id),
        TablePartitions.venueQuarantine(venue.id),
        TablePartitions.hubSpotBudget,
      ],
      secret: {
        secretName: venue.secretName,
        // A venue on another platform keeps that platform's credentials under "destination" instead.
        keys: venue.destination?.type === 'http' ? ['hubspotToken'] : VENUE_SECRET_KEYS,
        optionalKeys:
          venue.destination?.type === 'http'
            ? authSecretFields(venue.destination.auth).map((field) => `destination.${field}`)
            : VENUE_SECRET_OPTIONAL_KEYS,
        importExisting: props.importExistingSecret,
      },
      alarmActions: props.alarmActions,
      enabled: this.enabled,
      outputPrefix: `${VenuePoller.outputIdOf(venue.id)}Poller`,
      environment: {
        VENUE_ID: venue.id,
        SYNC_FLAG_LABEL: venue.syncFlagLabel,
        OTHER_VENUE_FLAG_LABELS: JSON.stringify(props.otherVenueFlagLabels ?? []),
        FIELD_MAP: JSON.stringify(venue.fieldMap),
        ...(venue.writeBack ? { WRITEBACK_MAP: JSON.stringify(venue.writeBack) } : {}),
        ...(venue.tripleseatLeadFormId ? { TRIPLESEAT_LEAD_FORM_ID: venue.tripleseatLeadFormId } : {}),
        ...(venue.tripleseatLocationId ? { TRIPLESEAT_LOCATION_ID: venue.tripleseatLocationId } : {}),
        ...(venue.destination ? { DESTINATION: JSON.stringify(venue.destination) } : {}),
        HUBSPOT_TEN_SECOND_LIMIT: String(props.hubspotTenSecondLimit),
        HUBSPOT_DAILY_LIMIT: String(props.hubspotDailyLimit),
      },
    });
    this.venueAlarms = new VenueAlarms(this, 'VenueAlarms', { sync: this.sync, actions: props.alarmActions });
    Tags.of(this).add('venue', venue.id);
  }

  /** The venue id as a logical-id word: `venue-a` -> `VenueA` (outputs `VenueAPollerSecretName`, ...). */
  static outputIdOf(venueId: string): string {
    return venueId
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
  }

  get functionName(): string {
    return this.sync.fn.functionName;
  }
}
