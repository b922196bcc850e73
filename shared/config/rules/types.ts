/**
 * One synth-time config rule: a small pure function over the parsed config that returns its findings
 * (none when the config complies). Errors stop the synth; warnings are printed and the synth goes on.
 * Messages name the venue and the field, and say what to do.
 */
import type { AppConfig } from '../app-config';

export interface ConfigFinding {
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export type ConfigRule = (config: AppConfig) => ConfigFinding[];

export const error = (message: string): ConfigFinding => ({ severity: 'error', message });
export const warning = (message: string): ConfigFinding => ({ severity: 'warning', message });
