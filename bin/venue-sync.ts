/**
 * The CDK app: the venues are stack props (bin/venues.ts), validated before any construct is built, and
 * every synth runs cdk-nag's AWS Solutions checks.
 */
import { App } from 'aws-cdk-lib';
import { checkAppConfig } from '../shared/config/app-config';
import { addComplianceChecks } from '../lib/compliance';
import { VenueSyncStack } from '../lib/venue-sync-stack';
import { appConfig } from './venues';

const app = new App();
const { config, warnings } = checkAppConfig(appConfig);
for (const warning of warnings) console.warn(`venue-sync config warning: ${warning}`);
new VenueSyncStack(app, 'VenueSync', {
  config,
  description: 'venue-sync: HubSpot -> Tripleseat per venue, Webex Events -> HubSpot',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
addComplianceChecks(app);
