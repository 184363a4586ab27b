// What one session tells the world: connection events (tagged with the exchange and,
// for a subscription, its symbol and channel), log records, error counts for
// status(), and the "status changed" nudge. One object so the session's parts report
// alike without each holding the log, the stats and the exchange id.
import { errorMessage } from '../../shared/error-message';
import type { ErrorClass, SubscriptionKey } from '../../shared/market';
import { classifyError } from './errors';
import type { EventLog } from './event-log';

export type SessionEvent = Parameters<EventLog['event']>[0];
type LogLevel = Parameters<EventLog['record']>[0];

export class SessionReport {
  constructor(
    readonly exchange: string,
    private readonly log: Pick<EventLog, 'event' | 'record'>,
    private readonly errors: { error(cls: ErrorClass, message: string): void },
    /** The session's status changed (the service sends a status soon). */
    readonly changed: () => void,
  ) {}

  event(kind: SessionEvent['kind'], sub?: { key: SubscriptionKey }, extra: Partial<SessionEvent> = {}): void {
    this.log.event({ kind, exchange: this.exchange, ...(sub ? { symbol: sub.key.symbol, channel: sub.key.channel } : {}), ...extra });
  }

  /** A log record about this exchange. */
  record(level: LogLevel, scope: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log.record(level, scope, message, { exchange: this.exchange, ...fields });
  }

  countError(e: unknown): void {
    this.countClass(classifyError(e), errorMessage(e));
  }

  countClass(cls: ErrorClass, message: string): void {
    this.errors.error(cls, message);
    this.changed();
  }
}
