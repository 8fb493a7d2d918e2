import type { LogLevel } from '../config/schema.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Diagnostics on stderr, filtered by level. The access log is separate (access-log.ts). */
export class Logger {
  constructor(
    public level: LogLevel,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  enabled(level: LogLevel): boolean {
    return ORDER[level] >= ORDER[this.level];
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.out.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`);
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warn', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
}
