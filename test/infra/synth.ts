/**
 * Test helpers: build the real stack from a config, with cdk.json's context (the feature flags `cdk
 * synth` uses) but without bundling (context `aws:cdk:bundling-stacks` = []), and read cdk-nag's
 * findings. The built-in CloudFormation schema validation is off here (it costs ~8 s per process);
 * `npx cdk synth` runs it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AppConfigInput } from '../../shared/config/app-config';
import { validateAppConfig } from '../../shared/config/app-config';
import { appConfig } from '../../bin/venues';
import { addComplianceChecks } from '../../lib/compliance';
import { VenueSyncStack, type VenueSyncStackProps } from '../../lib/venue-sync-stack';

export const ENV = { account: '123456789012', region: 'us-east-1' };

const CdkJsonSchema = z.object({ context: z.record(z.string(), z.unknown()) });

/** cdk.json's `context` (feature flags and settings), as `cdk synth` passes it to the app. */
export function cdkJsonContext(): Record<string, unknown> {
  const text = readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8');
  return CdkJsonSchema.parse(JSON.parse(text)).context;
}

export interface Built {
  readonly app: App;
  readonly stack: VenueSyncStack;
  readonly template: Template;
  readonly json: { Resources: Record<string, CfnResourceJson>; Outputs?: Record<string, unknown> };
}

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** A bundling-free app with the stack and the same nag checks as bin/venue-sync.ts, synthesized once. */
export function build(
  config: AppConfigInput = appConfig,
  extra: Partial<Omit<VenueSyncStackProps, 'config'>> = {},
  mutate?: (stack: VenueSyncStack) => void,
): Built {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new VenueSyncStack(app, 'VenueSync', {
    config: validateAppConfig(config),
    env: ENV,
    ...extra,
  });
  mutate?.(stack);
  addComplianceChecks(app);
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as Built['json'] };
}

/** Unacknowledged cdk-nag findings as `RuleId @ construct path`. */
export function nagFindings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`),
  );
}

/** Logical ids of every CloudFormation resource under a construct. */
export function logicalIdsUnder(scope: IConstruct): Set<string> {
  const stack = Stack.of(scope);
  return new Set(
    scope.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
      .map((c) => stack.resolve(c.logicalId) as string),
  );
}

/** A fourth venue, valid, for "adding a venue" tests. */
export const FOURTH_VENUE = {
  id: 'lakeside',
  displayName: 'Lakeside Pavilion',
  syncFlagLabel: 'Tripleseat Sync - Lakeside',
  fieldMap: {
    first_name: 'First Name',
    last_name: 'Last Name',
    email_address: 'Email',
    phone_number: 'Phone Number',
  },
  secretName: 'venue-sync/lakeside',
  enabled: true,
  writeBack: { status: 'Tripleseat Status - Lakeside' },
};

export function withFourthVenue(): AppConfigInput {
  return { ...appConfig, venues: [...appConfig.venues, FOURTH_VENUE] };
}
