/**
 * What every command module shares: the process seams (streams, environment, AWS control-plane clients
 * for tests), the global options, printing (human text or JSON with `--json`), the exit code, and an
 * OpsContext that is always closed. Kept free of heavy imports so `venue-sync --help` stays fast: the
 * operations themselves are imported by each command's action, when it runs.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AppConfig } from '../../shared/config/app-config';
import type { OpsContext, OpsContextOptions } from '../context';
import { jsonText, type CommandIo } from '../io';
import type { AuditClients } from '../audit';
import type { AwsControlPlane } from '../aws-control';
import { connectionEnv } from './connection';

export interface CliIo extends CommandIo {
  /** The environment the connection settings are read from (flags win). */
  env: Record<string, string | undefined>;
  /** Test seams: AWS clients for audit, Secrets Manager, the clock. */
  audit?: AuditClients;
  context?: Pick<OpsContextOptions, 'secrets' | 'now'>;
  /** Test seam: the AWS control-plane clients of secrets / enable / pause (mocked in tests). */
  aws?: Partial<AwsControlPlane>;
  /** Reads one value from the terminal without echoing it (secrets set). */
  readHidden?: (prompt: string) => Promise<string>;
}

export interface GlobalOptions {
  json?: boolean;
  config?: string;
  configSecrets?: boolean;
}

export class CliRun {
  exitCode = 0;

  constructor(readonly io: CliIo) {}

  globals(command: Command): GlobalOptions {
    return command.optsWithGlobals<GlobalOptions>();
  }

  /** The handler variables for this command: environment plus the connection flags typed. */
  env(command: Command): Record<string, string | undefined> {
    return connectionEnv(command, this.io.env);
  }

  /** The result on stdout: JSON (ISO 8601 times) with --json, the human text otherwise. */
  print(command: Command, result: unknown, human: string): void {
    this.io.stdout.write(this.globals(command).json ? `${jsonText(result)}\n` : `${human}\n`);
  }

  fail(): void {
    this.exitCode = 1;
  }

  async configInput(command: Command): Promise<unknown> {
    const { config } = this.globals(command);
    if (config) return JSON.parse(await readFile(config, 'utf8'));
    return (await import('../../bin/venues')).appConfig;
  }

  async config(command: Command): Promise<AppConfig> {
    const { validateAppConfig } = await import('../../shared/config/app-config');
    return validateAppConfig(await this.configInput(command));
  }

  /** The OpsContext options of this command (test seams plus --config-secrets). */
  contextOptions(command: Command): OpsContextOptions {
    return { ...this.io.context, useConfigSecrets: this.globals(command).configSecrets === true };
  }

  async context(command: Command, config: AppConfig): Promise<OpsContext> {
    const { OpsContext } = await import('../context');
    return new OpsContext(config, this.env(command), this.contextOptions(command));
  }

  /** Runs an action with a context that is always closed (limiters stopped, budget flushed). */
  async withContext(command: Command, act: (ctx: OpsContext) => Promise<void>): Promise<void> {
    const ctx = await this.context(command, await this.config(command));
    try {
      await act(ctx);
    } finally {
      await ctx.close();
    }
  }

  async confirmOrStop(options: { yes?: boolean }, question: string): Promise<boolean> {
    if (options.yes) return true;
    if (!this.io.interactive) {
      this.io.stderr.write(`${question} No terminal to ask on: pass --yes to confirm. Nothing changed.\n`);
      return false;
    }
    const answer = await this.io.confirm(question);
    if (!answer) this.io.stderr.write('Nothing changed.\n');
    return answer;
  }
}
