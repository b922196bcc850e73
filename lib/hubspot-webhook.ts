import { CfnOutput, Duration, Lazy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SERVICE_NAMES } from '../shared/observability/metric-names';
import { FunctionAlarms } from './monitoring';
import { createOrImportSecret } from './scheduled-sync';
import { HANDLER_ENTRIES, SyncFunction } from './sync-function';
import type { VenuePoller } from './venue-poller';

export interface HubSpotWebhookProps {
  /** Secret holding `{hubspotAppSecret}` (the HubSpot app's client secret, for signature v3). */
  readonly secretName: string;
  readonly alarmActions: readonly cloudwatch.IAlarmAction[];
  /** Import the secret by name instead of creating it. @default false */
  readonly importExistingSecret?: boolean;
  /** Prefix of physical names. @default - the stack name */
  readonly namePrefix?: string;
}

/**
 * The HubSpot webhook receiver: a Function URL that checks the v3 signature and triggers the matching
 * venue poller early (async invoke). It may invoke ONLY the pollers registered with `addPoller`, through
 * one small policy per venue (so adding a venue adds a policy instead of editing a shared one); its
 * environment `VENUE_POLLERS` maps venue id -> { flagLabel, functionName }.
 */
export class HubSpotWebhook extends Construct {
  readonly fn: SyncFunction;
  readonly url: lambda.FunctionUrl;
  readonly secret: secretsmanager.ISecret;
  private readonly pollers: Record<string, { flagLabel: string; functionName: string }> = {};

  constructor(scope: Construct, id: string, props: HubSpotWebhookProps) {
    super(scope, id);
    this.secret = createOrImportSecret(this, 'Secret', {
      secretName: props.secretName,
      keys: ['hubspotAppSecret'],
      importExisting: props.importExistingSecret,
    });
    this.fn = new SyncFunction(this, 'Function', {
      entry: HANDLER_ENTRIES.hubspotWebhook,
      serviceName: SERVICE_NAMES.hubspotWebhook,
      functionName: `${props.namePrefix ?? Stack.of(this).stackName}-hubspot-webhook`,
      description: 'venue-sync: HubSpot webhook receiver (signature v3), triggers venue polls early',
      // HubSpot gives up on a webhook after 5 s; the handler only verifies and fires async invokes.
      timeout: Duration.seconds(10),
      memorySize: 256,
      environment: {
        SECRET_ARN: this.secret.secretArn,
        VENUE_POLLERS: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.pollers) }),
      },
    });
    this.secret.grantRead(this.fn);

    this.url = this.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new FunctionAlarms(this, 'Alarms', {
      fn: this.fn,
      label: 'HubSpot webhook',
      actions: props.alarmActions,
    });
    new CfnOutput(this, 'Url', {
      description: 'HubSpot webhook target URL (app settings > Webhooks > Target URL)',
      value: this.url.url,
    }).overrideLogicalId('HubSpotWebhookUrl');
    new CfnOutput(this, 'SecretName', {
      description: 'HubSpot webhook: fill this secret with JSON {hubspotAppSecret}',
      value: props.secretName,
    }).overrideLogicalId('HubSpotWebhookSecretName');
  }

  /**
   * Lets the webhook trigger this venue's poller (and no other function). A paused venue gets no route:
   * a tick on its checkbox waits, like its schedule, until the venue is enabled.
   */
  addPoller(poller: VenuePoller): void {
    if (!poller.enabled) return;
    this.pollers[poller.venueId] = { flagLabel: poller.flagLabel, functionName: poller.functionName };
    new iam.Policy(this, `Invoke-${poller.venueId}`, {
      roles: [this.fn.executionRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [poller.sync.fn.functionArn],
        }),
      ],
    });
  }
}
