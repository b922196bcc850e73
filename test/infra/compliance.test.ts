import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { appConfig } from '../../bin/venues';
import { type Built, build, nagFindings } from './synth';

let built: Built;

beforeAll(() => {
  built = build();
});

/** Every acknowledgement in the tree as { path, id, reason }. */
function acknowledgements(app: App) {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          construct,
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding (and synth with the checks registered succeeds)', () => {
    // Act
    const findings = nagFindings(built.app);

    // Assess
    expect(findings).toEqual([]);
  });

  it('fails synth on a finding nobody acknowledged', () => {
    // Prepare
    const addUnsafe = (stack: Stack) => {
      new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      const role = new iam.Role(stack, 'GreedyRole', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    };

    // Act
    let message = '';
    try {
      build(appConfig, {}, addUnsafe);
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    const finding = (path: string, rule: string) =>
      new RegExp(`${path}[^\\n]*\\n\\s*Acknowledge with '[^']*${rule.replace(/[[\]*]/g, '\\$&')}'`);
    expect(message).toMatch(finding('VenueSync/PlainQueue/Resource', 'AwsSolutions-SQS4'));
    expect(message).toMatch(
      finding('VenueSync/GreedyRole/DefaultPolicy/Resource', 'AwsSolutions-IAM5[Action::dynamodb:*]'),
    );
    expect(message).not.toMatch(/Venue-venue-a/);
  });

  it('sees the finding an acknowledgement hides once it is missing', () => {
    // Prepare: a secret like the stack's, without the helper that acknowledges SMG4
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Bare');
    new secretsmanager.Secret(stack, 'UnrotatedSecret', { secretName: 'x' });

    // Act
    const findings = nagFindings(app);

    // Assess
    expect(findings).toEqual(['AwsSolutions-SMG4 @ Bare/UnrotatedSecret/Resource']);
  });

  it('acknowledges only on specific resources, each with a specific reason', () => {
    // Act
    const acks = acknowledgements(built.app);
    const kinds = new Set(
      acks.map((ack) => {
        const resource = ack.construct.node.defaultChild as CfnResource | undefined;
        return `${ack.id.replace(/<[^>]+>/, '<fn>')} on ${resource?.cfnResourceType}`;
      }),
    );

    // Assess
    expect(acks.some((ack) => ack.construct === built.app || ack.construct === built.stack)).toBe(false);
    expect(acks.every((ack) => ack.reason.length >= 60)).toBe(true);
    expect(kinds).toEqual(
      new Set([
        'AwsSolutions-L1 on AWS::Lambda::Function',
        'AwsSolutions-IAM5[Resource::<fn>:*] on AWS::IAM::Role',
        'AwsSolutions-SMG4 on AWS::SecretsManager::Secret',
        'AwsSolutions-SQS3 on AWS::SQS::Queue',
      ]),
    );
    // 4 scheduled syncs x (L1, invoke, SMG4, 2 x SQS3) + webhook (L1, SMG4); no X-Ray, so no xray:* on *;
    // + L1 per Tripleseat webhook receiver (it reads the venue's secret, so no SMG4 of its own)
    expect(acks).toHaveLength((appConfig.venues.length + 1) * 5 + 2 + built.stack.tripleseatWebhooks.length);
  });
});

describe('Secrets', () => {
  it('never puts a secret value in the template, only ARNs in the environment', () => {
    // Prepare
    const text = JSON.stringify(built.json);
    const secrets = Object.values(built.json.Resources).filter(
      (r) => r.Type === 'AWS::SecretsManager::Secret',
    );
    const envs = Object.values(built.json.Resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Properties!.Environment as { Variables: Record<string, unknown> }).Variables);

    // Act
    const credentialVariables = envs.flatMap((env) =>
      Object.keys(env).filter((name) => /TOKEN|PUBLIC_KEY|APP_SECRET|PASSWORD/.test(name)),
    );

    // Assess
    expect(secrets).toHaveLength(appConfig.venues.length + 2);
    for (const secret of secrets) {
      expect(secret.Properties!.SecretString).toBeUndefined();
      const skeleton = JSON.parse(
        (secret.Properties!.GenerateSecretString as { SecretStringTemplate: string }).SecretStringTemplate,
      ) as Record<string, string>;
      expect(Object.values(skeleton).every((value) => value === '')).toBe(true);
    }
    expect(credentialVariables).toEqual([]);
    for (const env of envs) expect(env.SECRET_ARN).toEqual({ Ref: expect.any(String) });
    expect(text).not.toMatch(/pat-(na|eu)1-|Bearer /);
  });

  it('imports a secret by name instead of creating it when told it exists', () => {
    // Act
    const imported = build(appConfig, { existingSecretNames: ['venue-sync/marina'] });

    // Assess
    const names = Object.values(imported.json.Resources)
      .filter((r) => r.Type === 'AWS::SecretsManager::Secret')
      .map((r) => r.Properties!.Name);
    expect(names).not.toContain('venue-sync/marina');
    expect(JSON.stringify(imported.json)).toContain(':secret:venue-sync/marina-??????');
  });

  it('rejects existingSecretNames that belong to nothing', () => {
    // Act / Assess
    expect(() => build(appConfig, { existingSecretNames: ['venue-sync/typo'] })).toThrow(/venue-sync\/typo/);
  });
});
