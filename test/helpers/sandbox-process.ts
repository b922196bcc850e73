/** `npm start` as a child process (the real sandbox entry point), for the tests of its summary. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SandboxRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tsx sandbox/main.ts <args>`; the kill is only a guard against a hang, never an assertion. */
export function runSandbox(args: string[], hangGuardMs: number): Promise<SandboxRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'sandbox/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sandbox hung (killed after ${hangGuardMs} ms); stderr:\n${stderr}`));
    }, hangGuardMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
