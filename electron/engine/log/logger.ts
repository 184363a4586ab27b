// The engine's logging interface. Hosts back it with electron-log: electron-log/main
// in the desktop app, electron-log/node in the headless host, both writing the same
// file format synchronously (nothing is lost at exit).
export type LogLevel = 'error' | 'warn' | 'info' | 'verbose' | 'debug';

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

/** Adapts an electron-log instance; structured fields are appended as one JSON object. */
export function loggerFromElectronLog(log: ElectronLogLike, scopeName = 'engine'): Logger {
  const scoped = log.scope(scopeName);
  const out = (level: LogLevel, message: string, fields?: Record<string, unknown>, target = scoped): void => {
    if (fields && Object.keys(fields).length > 0) target[level](message, safeJson(fields));
    else target[level](message);
  };
  return {
    error: (m, f) => out('error', m, f),
    warn: (m, f) => out('warn', m, f),
    info: (m, f) => out('info', m, f),
    debug: (m, f) => out('debug', m, f),
    write: (level, scope, m, f) => out(level, m, f, log.scope(scope)),
    scope: (name) => loggerFromElectronLog(log, name),
  };
}

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields);
  } catch {
    return '[unserializable fields]';
  }
}
