// The engine's logging interface. Hosts back it with electron-log: electron-log/main
// in the desktop app, electron-log/node in the headless host, both writing the same
// file format synchronously (nothing is lost at exit).
import { formatRecord, formatScope } from './record-sanitizer';
import type { LogLevel } from '../../../shared/log/levels';

export type { LogLevel };

export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Writes at a level given at run time (records forwarded from other processes). */
  write(level: LogLevel, scope: string, message: string, fields?: Record<string, unknown>): void;
  scope(name: string): Logger;
}

/** Minimal electron-log surface we rely on; both electron-log/main and /node provide it. */
export interface ElectronLogLike {
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  verbose(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  scope(name: string): { error(...a: unknown[]): void; warn(...a: unknown[]): void; info(...a: unknown[]): void; verbose(...a: unknown[]): void; debug(...a: unknown[]): void };
}

/**
 * Adapts an electron-log instance. Every record becomes one line through
 * formatRecord (fields appended as JSON, credentials redacted, control characters
 * escaped, length capped), passed as a single string so electron-log applies no
 * format specifiers (%s, %o) found in untrusted text.
 */
export function loggerFromElectronLog(log: ElectronLogLike, scopeName = 'engine'): Logger {
  const scoped = log.scope(formatScope(scopeName));
  const out = (level: LogLevel, message: string, fields?: Record<string, unknown>, target = scoped): void => {
    target[level](formatRecord(message, fields));
  };
  return {
    error: (m, f) => out('error', m, f),
    warn: (m, f) => out('warn', m, f),
    info: (m, f) => out('info', m, f),
    debug: (m, f) => out('debug', m, f),
    write: (level, scope, m, f) => out(level, m, f, log.scope(formatScope(scope))),
    scope: (name) => loggerFromElectronLog(log, name),
  };
}
