import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Registers cdk-nag's AWS Solutions pack (v3: a policy-validation plugin) on the app. Every synth then
 * fails on any finding that is not acknowledged, with a reason, on the specific resource
 * (`Validations.of(resource).acknowledge({ id, reason })`, found next to the resource it concerns).
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
