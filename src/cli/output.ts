import { ConfigError, UserError } from '../config/errors.js';

// The one module that writes to the terminal. With --json, stdout holds only data; messages
// and errors go to stderr.

export const useColor = (stream: NodeJS.WriteStream): boolean => stream.isTTY === true && stream.hasColors();

const paint =
  (code: number) =>
  (text: string, stream: NodeJS.WriteStream = process.stdout) =>
    useColor(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A message for humans that must not pollute piped data (progress, hints). */
export function printNote(text: string): void {
  process.stderr.write(`${text}\n`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width
const ANSI = /\u001b\[[0-9;]*m/g;
const width = (s: string): number => s.replace(ANSI, '').length;

/** A plain aligned table: a header row, then one row per item. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => bold(h))), ...rows.map(line)].join('\n');
}

export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  process.stdout.write(`${formatTable(headers, rows)}\n`);
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UserError && err.usage ? 2 : 1;
}

/** Reports a failure on stderr (as `{error}` JSON under --json) and sets the exit code. */
export function reportFailure(err: unknown, opts: { json?: boolean } = {}): void {
  const message = err instanceof Error ? err.message : String(err);
  const hint = err instanceof UserError ? err.hint : undefined;
  if (opts.json) {
    process.stderr.write(`${JSON.stringify({ error: { message, ...(hint ? { hint } : {}) } })}\n`);
  } else {
    process.stderr.write(`${red('swixter:', process.stderr)} ${message}\n`);
    if (hint) process.stderr.write(`  ${dim(`hint: ${hint}`, process.stderr)}\n`);
    if (
      !(err instanceof UserError || err instanceof ConfigError) &&
      process.env.SWIXTER_DEBUG &&
      err instanceof Error
    ) {
      process.stderr.write(`${err.stack ?? ''}\n`);
    }
  }
  process.exitCode = exitCodeFor(err);
}

/** Wraps a command action: every throw becomes one clear message and an exit code, never a stack trace. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const opts = args.find((a): a is { json?: boolean } => typeof a === 'object' && a !== null && 'json' in a);
      reportFailure(err, opts ?? {});
    }
  };
}
