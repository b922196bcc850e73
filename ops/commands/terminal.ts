/** Questions on the real terminal (the process entry point's; tests inject their own answers). */
import { createInterface } from 'node:readline/promises';

/** A yes/no question on the terminal; without one, the answer is no (use --yes in scripts). */
export async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stderr.write(`${question} (not a terminal: pass --yes to confirm)\n`);
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/**
 * Reads one line without echoing it: the terminal is put in raw mode and nothing typed is written back
 * (not even asterisks, so the length does not show on a shared screen).
 */
export async function readHiddenOnTerminal(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new Error('not a terminal: secret values are only read from one');
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            input.off('data', onData);
            resolve(value);
            return;
          }
          if (char === '\u0003') {
            input.off('data', onData);
            reject(new Error('cancelled (Ctrl-C); nothing was written'));
            return;
          }
          if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
          else value += char;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}
