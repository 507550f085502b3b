import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
}

/** Keys whose values never reach a log file, whatever object they are found in. */
const SECRET_KEY = /token|secret|password|authorization|cookie/i;
const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * A small JSON-lines logger writing to `<logDir>/main.log` (rotated to `main.old.log` at 5 MB). Secrets are
 * redacted by key name; errors keep their message and stack. Writes are synchronous and small, so a crash loses
 * nothing that was logged before it.
 */
export function createFileLogger(logDir: string, options: { echo?: boolean } = {}): Logger {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, 'main.log');
  const write = (level: LogLevel, message: string, meta?: LogMeta) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(meta ?? {}) });
    try {
      if (statSafe(file) > MAX_LOG_BYTES) renameSync(file, join(logDir, 'main.old.log'));
      appendFileSync(file, line + '\n');
    } catch {
      // A full disk or a vanished folder must not take the app down with it.
    }
    if (options.echo && level !== 'debug') console.error(`[${level}] ${message}`);
  };
  return {
    debug: (m, meta) => write('debug', m, meta),
    info: (m, meta) => write('info', m, meta),
    warn: (m, meta) => write('warn', m, meta),
    error: (m, meta) => write('error', m, meta),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function createMemoryLogger(): Logger & { lines: { level: LogLevel; message: string; meta: LogMeta }[] } {
  const lines: { level: LogLevel; message: string; meta: LogMeta }[] = [];
  const push = (level: LogLevel) => (message: string, meta?: LogMeta) =>
    lines.push({ level, message, meta: redact(meta ?? {}) });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export function redact(meta: LogMeta, depth = 0): LogMeta {
  const out: LogMeta = {};
  for (const [key, value] of Object.entries(meta)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else out[key] = redactValue(value, depth);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  return redact(value as LogMeta, depth + 1);
}

function statSafe(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
