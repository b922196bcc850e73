/**
 * The AWS control-plane clients the operator commands use (not the Lambdas'): CloudFormation to find
 * what the stack deployed, EventBridge Scheduler and Lambda to pause or resume a venue, Secrets Manager to fill a
 * venue's secret. Created on first use only, so commands that never touch AWS never load them.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface AwsControlPlane {
  cloudformation: CloudFormationClient;
  scheduler: SchedulerClient;
  lambda: LambdaClient;
  secrets: SecretsManagerClient;
}

export function awsControlPlane(
  region: string | undefined,
  overrides: Partial<AwsControlPlane> = {},
): AwsControlPlane {
  const config = region ? { region } : {};
  return {
    cloudformation: overrides.cloudformation ?? new CloudFormationClient(config),
    scheduler: overrides.scheduler ?? new SchedulerClient(config),
    lambda: overrides.lambda ?? new LambdaClient(config),
    secrets: overrides.secrets ?? new SecretsManagerClient(config),
  };
}
