// Loggers for engine tests: one that says nothing, and ones that record lines in the
// exact formats the tests assert on.
import type { Logger, LogLevel } from '../../electron/engine/log/logger';

/** Says nothing: for tests that do not look at the log. */
export const quietLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  write: () => undefined,
  scope: () => quietLogger,
};

/**
 * Records "level scope message" lines (with `fields`, " {json}" after the message
 * when given); `scope(name)` records into the same lines under that name.
 */
export function recordingLogger(lines: string[], scope: string, withFields = false): Logger {
  const write = (level: LogLevel, s: string, m: string, f?: Record<string, unknown>): void => {
    lines.push(`${level} ${s} ${m}${withFields && f ? ` ${JSON.stringify(f)}` : ''}`);
  };
  return {
    error: (m, f) => write('error', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    debug: (m, f) => write('debug', scope, m, f),
    write,
    scope: (name) => recordingLogger(lines, name, withFields),
  };
}

/**
 * Records "level message" for errors, warnings and info (debug is dropped), and
 * "level scope message" for forwarded records; `errorFields` appends an error's
 * fields as JSON ("{}" when none). Every scope records into the same lines.
 */
export function messageLogger(logs: string[], errorFields = false): Logger {
  const log: Logger = {
    error: (m, f) => void logs.push(errorFields ? `error ${m} ${JSON.stringify(f ?? {})}` : `error ${m}`),
    warn: (m) => void logs.push(`warn ${m}`),
    info: (m) => void logs.push(`info ${m}`),
    debug: () => undefined,
    write: (level, scope, m) => void logs.push(`${level} ${scope} ${m}`),
    scope: () => log,
  };
  return log;
}
