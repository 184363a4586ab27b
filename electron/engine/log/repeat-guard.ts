// Wraps a Logger so no fault produces one line per occurrence: the first record
// of each (level, scope, message) is written at once, repeats within the window
// are counted and summarised in one line when the window closes. Fields do not
// split a key: the first occurrence's fields are the example.
import type { Scheduler } from '../lifecycle/scheduler';
import { RepeatAggregator, repeatSummary } from '../../../shared/log/repeat-aggregator';
import type { Logger, LogLevel } from './logger';

export interface RepeatGuardOptions {
  scheduler: Scheduler;
  windowMs?: number;
  /** Distinct messages with open windows at most (each holds one timer). */
  maxKeys?: number;
}

export interface RepeatGuardedLogger {
  logger: Logger;
  /** Writes the summaries of every open window now and cancels their timers (before exit). */
  flush(): void;
  /** Flushes and stops aggregating; its owner calls it when the logger's life ends. */
  dispose(): void;
}

interface First {
  level: LogLevel;
  scope: string;
  message: string;
}

export function guardRepeats(inner: Logger, rootScope: string, opts: RepeatGuardOptions): RepeatGuardedLogger {
  const aggregator = new RepeatAggregator<First>({
    windowMs: opts.windowMs ?? 10_000,
    maxKeys: opts.maxKeys ?? 500,
    timers: opts.scheduler,
    onSummary: (f, repeats, windowMs) => inner.write(f.level, f.scope, `${f.message} (repeated ${repeatSummary(repeats, windowMs)})`),
  });
  const write = (level: LogLevel, scope: string, message: string, fields?: Record<string, unknown>): void => {
    if (aggregator.offer(`${level}\u0000${scope}\u0000${message}`, { level, scope, message })) inner.write(level, scope, message, fields);
  };
  const scoped = (scope: string): Logger => ({
    error: (m, f) => write('error', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    debug: (m, f) => write('debug', scope, m, f),
    write,
    scope: scoped,
  });
  return { logger: scoped(rootScope), flush: () => aggregator.flush(), dispose: () => aggregator.dispose() };
}
