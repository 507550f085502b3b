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
const REDACTED = '[redacted]';

/** An `Authorization` header's value written out in text (`Authorization: Basic …`, `"authorization":"…"`). */
const AUTHORIZATION_VALUE = /(authorization["']?\s*[:=]\s*["']?)[^"'\r\n,;}]+/gi;
/** A `Basic`/`Bearer` credential in text: the word, then something token-like (with a digit, `+`, `/` or `=`). */
const CREDENTIAL = /\b(basic|bearer)\s+(?=[\w+/=.~-]*[\d+/=])[\w+/.~-]{8,}=*/gi;

/** Secret values shorter than this are not looked for in text: they would blank out ordinary words and numbers. */
const MIN_SECRET_LENGTH = 8;
const MAX_SECRETS = 200;
const secretValues = new Set<string>();

/**
 * Registers a secret value (an API token) so that it is scrubbed from every log line, wherever it appears: in a
 * message, any string field, or an error's message and stack. Called whenever a token is read or saved.
 */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || secretValues.has(value)) return;
  if (secretValues.size >= MAX_SECRETS) secretValues.delete(secretValues.values().next().value as string);
  secretValues.add(value);
}

/** The text with every registered secret and every written-out credential replaced by `[redacted]`. */
export function scrub(text: string): string {
  let out = text;
  for (const secret of secretValues) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  return out.replace(AUTHORIZATION_VALUE, `$1${REDACTED}`).replace(CREDENTIAL, `$1 ${REDACTED}`);
}

/**
 * A small JSON-lines logger writing to `<logDir>/main.log` (rotated to `main.old.log` at 5 MB). Secrets are
 * redacted by key name, and registered secret values and credentials are scrubbed from all text (`scrub`);
 * errors keep their (scrubbed) message and stack. Writes are synchronous and small, so a crash loses nothing
 * that was logged before it.
 */
export function createFileLogger(logDir: string, options: { echo?: boolean } = {}): Logger {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, 'main.log');
  const write = (level: LogLevel, message: string, meta?: LogMeta) => {
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      message: scrub(message),
      ...redact(meta ?? {}),
    });
    try {
      if (statSafe(file) > MAX_LOG_BYTES) renameSync(file, join(logDir, 'main.old.log'));
      appendFileSync(file, line + '\n');
    } catch {
      // A full disk or a vanished folder must not take the app down with it.
    }
    if (options.echo && level !== 'debug') console.error(`[${level}] ${scrub(message)}`);
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
    lines.push({ level, message: scrub(message), meta: redact(meta ?? {}) });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export function redact(meta: LogMeta, depth = 0): LogMeta {
  const out: LogMeta = {};
  for (const [key, value] of Object.entries(meta)) {
    if (SECRET_KEY.test(key)) out[key] = REDACTED;
    else out[key] = redactValue(value, depth);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value instanceof Error) {
    const error: LogMeta = { name: value.name, message: scrub(value.message), stack: scrub(value.stack ?? '') };
    if (value.cause !== undefined && depth <= 4) error.cause = redactValue(value.cause, depth + 1);
    return error;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[nested too deep to log]';
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
