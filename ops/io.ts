/**
 * What every `venue-sync` command writes to: its output streams (so tests capture them), whether a
 * person is watching (progress bars and questions only then), and how to ask for confirmation.
 */
import cliProgress from 'cli-progress';

export interface TextSink {
  write(text: string): unknown;
}

export interface CommandIo {
  stdout: TextSink;
  /** Progress bars, prompts and warnings; never the command's result. */
  stderr: TextSink;
  /** Progress bars are drawn only on a terminal. */
  stderrIsTTY: boolean;
  /**
   * Whether a person can answer a question (stdin is a terminal). Commands that delete never ask
   * otherwise: without a terminal they need `--yes`.
   */
  interactive: boolean;
  /** Asks a yes/no question; commands that change things call it unless `--yes` was given. */
  confirm(question: string): Promise<boolean>;
}

/** A stream that keeps what was written (tests). */
export class CapturedText implements TextSink {
  private readonly parts: string[] = [];
  write(text: string): boolean {
    this.parts.push(text);
    return true;
  }
  get text(): string {
    return this.parts.join('');
  }
}

export interface Progress {
  increment(by?: number): void;
  /** Sets the absolute value. */
  update(value: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { increment: () => {}, update: () => {}, stop: () => {} };

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes, CI, --json consumers). */
export function startProgress(io: CommandIo, label: string, total: number): Progress {
  if (!io.stderrIsTTY || total <= 1) return NO_PROGRESS;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total}`,
      stream: io.stderr as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    update: (value) => bar.update(value),
    stop: () => bar.stop(),
  };
}

/** A plain text table: columns padded to their widest cell. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The one time format of every `--json` output: ISO 8601 UTC (never epoch ms). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** ISO time, or a dash for "never". */
export function formatTime(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString();
}

/**
 * A key whose number is a time: the table keeps times as epoch ms under names ending in `At` or `Until`
 * (`quarantinedAt`, `leaseHeldUntil`), and every `--json` output shows them as ISO 8601 instead.
 */
const TIME_KEY = /(At|Until)$/;

/** The `--json` text of a result: indented, with every epoch-ms time as ISO 8601 UTC. */
export function jsonText(result: unknown): string {
  return JSON.stringify(
    result,
    (key, value: unknown) =>
      TIME_KEY.test(key) && typeof value === 'number' && Number.isFinite(value) ? isoTime(value) : value,
    2,
  );
}
