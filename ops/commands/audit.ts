/** `venue-sync audit`: the stack's resources per CloudFormation against what is deployed (strays, drift). */
import type { Command } from 'commander';
import type { CliRun } from './cli-context';

export function registerAudit(program: Command, cli: CliRun): void {
  program
    .command('audit')
    .description(
      "compare the stack's resources (CloudFormation's record) with what is deployed: strays and deleted resources",
    )
    .option('--stack-name <name>', 'the deployed stack', 'VenueSync')
    .option('--include <pattern...>', 'extra name patterns that count as ours, e.g. "acme-prod-"')
    .action(async (options: { stackName: string; include?: string[] }, command: Command) => {
      const { defaultAuditClients, renderAudit, runAudit } = await import('../audit');
      const { describeAwsError } = await import('../aws-errors');
      const { OpsError } = await import('../context');
      const region = cli.env(command).AWS_REGION;
      const clients = cli.io.audit ?? defaultAuditClients(region);
      try {
        const report = await runAudit(clients, {
          stackName: options.stackName,
          include: options.include ?? [],
          onStep: (step) => cli.io.stderrIsTTY && cli.io.stderr.write(`listing ${step}...\r`),
        });
        cli.print(command, report, renderAudit(report));
        if (!report.ok) cli.fail();
      } catch (error) {
        const aws = describeAwsError(error, region);
        throw aws ? new OpsError(`audit of stack '${options.stackName}': ${aws}`) : error;
      }
    });
}
