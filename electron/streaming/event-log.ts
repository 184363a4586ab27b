// The structured connection log and log records for the parent, batched per
// event-loop turn like ticks (the parent writes the records with electron-log).
// Each connection event also becomes a log record so the file log tells the same story.
// A fault repeating the same record (a reconnect storm, malformed frames) sends it
// once and then one summary per window, not thousands of IPC records; a source of
// ever-different records is rate limited here too, the drops counted the same way.
import { now } from '../../shared/clock';
import { RepeatAggregator, repeatSummary, type WindowTimers } from '../../shared/log/repeat-aggregator';
import { KeyedTokenBuckets, type TokenBucketLimits } from '../../shared/log/token-buckets';
import type { ConnectionEvent, Outage } from '../../shared/contract/status';
import type { LogRecord } from '../../shared/contract/streaming-protocol';
import { backgroundScheduler, nextTurn } from '../../shared/lifecycle/timers';

type Post = (msg: { type: 'connection-events'; events: ConnectionEvent[] } | { type: 'log'; records: LogRecord[] } | { type: 'outage'; outage: Outage }) => void;

const WARN_KINDS = new Set(['DISCONNECTED', 'STALE', 'FALLBACK', 'FAILED']);

export interface EventLogOptions {
  /** Repeats of a record within this window are summarised in one record. */
  windowMs?: number;
  /** Records sent at most, in records (burst) and records per second. */
  rate?: TokenBucketLimits;
  timers?: WindowTimers;
  clock?: () => number;
}

/** Unref'd: a pending summary never keeps the process alive (close() flushes it). */
const processTimers: WindowTimers = backgroundScheduler;

type Pending = Omit<LogRecord, 'at'>;
const DROPPED: Pending = { level: 'warn', scope: 'log', message: 'log records dropped at the source (rate limit)' };

export class EventLog {
  private events: ConnectionEvent[] = [];
  private records: LogRecord[] = [];
  /** The pending end-of-turn flush; cancelled when flushed earlier, so close() leaves nothing behind. */
  private scheduled: (() => void) | undefined;
  private closed = false;

  private readonly repeats: RepeatAggregator<Pending>;
  private readonly rate: KeyedTokenBuckets;

  constructor(
    private readonly post: Post,
    opts: EventLogOptions = {},
  ) {
    this.repeats = new RepeatAggregator<Pending>({
      windowMs: opts.windowMs ?? 10_000,
      maxKeys: 500,
      timers: opts.timers ?? processTimers,
      onSummary: (first, repeats, windowMs) => this.push({ ...first, message: `${first.message} (repeated ${repeatSummary(repeats, windowMs)})` }, now()),
    });
    this.rate = new KeyedTokenBuckets(opts.rate ?? { capacity: 2_000, refillPerSec: 100 }, opts.clock ?? now, 1);
  }

  event(e: Omit<ConnectionEvent, 'at'>): void {
    const ev = { at: now(), ...stripUndefined(e) } as ConnectionEvent;
    this.events.push(ev);
    this.schedule(); // every event is sent, even when its log record is a counted repeat
    const { at, kind, ...fields } = ev;
    this.record(WARN_KINDS.has(kind) ? 'warn' : 'info', 'connection', kind, fields, at);
  }

  record(level: LogRecord['level'], scope: string, message: string, fields?: Record<string, unknown>, at = now()): void {
    if (this.closed) return;
    const r: Pending = fields ? { level, scope, message, fields } : { level, scope, message };
    if (!this.repeats.offer(repeatKey(r), r)) return;
    if (this.rate.take('all')) this.push(r, at);
    else if (this.repeats.offer('\u0000dropped', DROPPED)) this.push(DROPPED, at);
  }

  private push(r: Pending, at: number): void {
    this.records.push({ ...r, at });
    this.schedule();
  }

  outage(o: Outage): void {
    // Outages are rare and stateful: send them at once, after pending events (order matters for the timeline).
    this.flush();
    if (!this.closed) this.post({ type: 'outage', outage: structuredClone(o) });
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = nextTurn(() => this.flush());
  }

  flush(): void {
    this.scheduled?.();
    this.scheduled = undefined;
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
    this.repeats.dispose(); // the last summaries go out with the final flush
    this.flush();
    this.closed = true;
  }
}

function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

// Same level, scope and message about the same instrument: fields naming what it is about
// split keys (two exchanges failing are two stories); other fields (errors, counts) do not.
function repeatKey(r: Pending): string {
  const f = r.fields;
  const about = f ? `${str(f.exchange)}\u0000${str(f.symbol)}\u0000${str(f.channel)}` : '';
  return `${r.level}\u0000${r.scope}\u0000${r.message}\u0000${about}`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
