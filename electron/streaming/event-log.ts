// The structured connection log and log records for the parent, batched per
// event-loop turn like ticks (the parent writes the records with electron-log).
// Each connection event also becomes a log record so the file log tells the same story.
import { now } from '../../shared/clock';
import type { ConnectionEvent, Outage } from '../../shared/contract/status';
import type { LogRecord } from '../../shared/contract/streaming-protocol';

type Post = (msg: { type: 'connection-events'; events: ConnectionEvent[] } | { type: 'log'; records: LogRecord[] } | { type: 'outage'; outage: Outage }) => void;

const WARN_KINDS = new Set(['DISCONNECTED', 'STALE', 'FALLBACK', 'FAILED']);

export class EventLog {
  private events: ConnectionEvent[] = [];
  private records: LogRecord[] = [];
  private scheduled = false;
  private closed = false;

  constructor(private readonly post: Post) {}

  event(e: Omit<ConnectionEvent, 'at'>): void {
    const ev = { at: now(), ...stripUndefined(e) } as ConnectionEvent;
    this.events.push(ev);
    const { at, kind, ...fields } = ev;
    this.record(WARN_KINDS.has(kind) ? 'warn' : 'info', 'connection', kind, fields, at);
  }

  record(level: LogRecord['level'], scope: string, message: string, fields?: Record<string, unknown>, at = now()): void {
    this.records.push(fields ? { level, scope, message, fields, at } : { level, scope, message, at });
    this.schedule();
  }

  outage(o: Outage): void {
    // Outages are rare and stateful: send them at once, after pending events (order matters for the timeline).
    this.flush();
    if (!this.closed) this.post({ type: 'outage', outage: structuredClone(o) });
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.closed) return;
    if (this.events.length) {
      const events = this.events;
      this.events = [];
      this.post({ type: 'connection-events', events });
    }
    if (this.records.length) {
      const records = this.records;
      this.records = [];
      this.post({ type: 'log', records });
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
  }
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
