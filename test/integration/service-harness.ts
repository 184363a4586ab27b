// The core of the in-process streaming harnesses: a StreamingService over the
// in-memory channel, configured with one venue's entries, collecting everything it
// sends (validated like the engine would). Harness (ccxt against the exchange
// simulator), IbHarness (the TWS stand-in) and FutuHarness (the OpenD stand-in) add
// their venue: its server, its subscription keys and the server's own view.
import type { ConnectionEvent, Outage, SubscriptionStatus } from '../../shared/contract/status';
import type { z } from 'zod';
import type { CandleMessage } from '../../shared/contract/candles';
import { parseCandleMessage, parseFromStreaming, type FromStreaming, type ShutdownReport, type StreamingExchangeSchema } from '../../shared/contract/streaming-protocol';
import { R_KEY, TICKER_STRIDE, TRADE_STRIDE, T_KEY } from '../../shared/contract/tick-batch';
import type { SubscriptionKey } from '../../shared/market';
import { StreamingTuningSchema, type StreamingSettings } from '../../shared/settings';
import { memoryChannel, type MemoryParent } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { until } from '../support/until';

/** What the service sent: its messages, and each tick batch's candle messages after the batch, as the engine applies them. */
export type Received = FromStreaming | CandleMessage;
export type Msg<T extends Received['type']> = Extract<Received, { type: T }>;
/** A configure entry as the engine writes it (defaults such as `kind` may be left out). */
type ExchangeEntry = z.input<typeof StreamingExchangeSchema>;

/** Fast settings for tests: short backoff, short stale windows, short keepalive. */
export function fastStreaming(over: Partial<StreamingSettings> = {}): StreamingSettings {
  return StreamingTuningSchema.parse({
    backoff: { baseMs: 50, capMs: 400, factor: 2, jitter: 0.5, maxAttempts: 50 },
    staleAfterMs: { ticker: 1500, trades: 3000, book: 1500 },
    keepAliveMs: 500,
    circuit: { failureThreshold: 5, probeIntervalMs: 400, pollIntervalMs: 150 },
    rotateAfterMs: 0,
    bookDepth: 5,
    ...over,
  });
}

export abstract class ServiceHarness {
  service!: StreamingService;
  parent!: MemoryParent;
  readonly received: Received[] = [];
  readonly invalid: string[] = [];
  readonly exits: number[] = [];
  /** Where the service keeps markets between starts (set before start; absent: no cache). */
  marketCacheDir: string | undefined;

  /** Starts the service and configures it with `exchanges` (the venue's server is up by now). */
  serve(exchanges: ExchangeEntry[], streaming: StreamingSettings): void {
    const { child, parent } = memoryChannel();
    this.parent = parent;
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (!p.ok) return void this.invalid.push(p.error);
      this.received.push(p.value);
      if (p.value.type !== 'ticks') return;
      for (const c of p.value.candles) {
        const parsed = parseCandleMessage(c);
        if (parsed.ok) this.received.push(parsed.value);
        else this.invalid.push(parsed.error);
      }
    });
    this.service = new StreamingService({ port: child, exit: (c) => this.exits.push(c), ...(this.marketCacheDir !== undefined ? { marketCacheDir: this.marketCacheDir } : {}) });
    this.service.start();
    parent.send({ type: 'configure', exchanges, streaming, parentPid: process.pid, heartbeatMs: 200 });
  }

  /** Shuts the service down (before the venue's server stops): its report. */
  async shutdown(): Promise<ShutdownReport | undefined> {
    return this.service ? await this.service.shutdown(2000) : undefined;
  }

  of<T extends Received['type']>(type: T): Msg<T>[] {
    return this.received.filter((m): m is Msg<T> => m.type === type);
  }

  events(kind?: ConnectionEvent['kind']): ConnectionEvent[] {
    const all = this.of('connection-events').flatMap((m) => m.events);
    return kind ? all.filter((e) => e.kind === kind) : all;
  }

  outages(): Outage[] {
    return this.of('outage').map((m) => m.outage);
  }

  /** The service's subscription statuses now (not the coalesced messages). */
  statuses(): SubscriptionStatus[] {
    return this.service.subscriptionStatuses();
  }

  /** Rows (tickers, trades, book updates) for an instrument id after message index `from`. */
  rowsOf(instrument: string, from = 0): number {
    let n = 0;
    for (const b of this.received.slice(from)) {
      if (b.type !== 'ticks') continue;
      for (const bk of b.books) if (bk.key === instrument) n++; // books name their key; rows index `keys`
      const k = b.keys.indexOf(instrument);
      if (k < 0) continue;
      for (let i = 0; i < b.tickers.length; i += TICKER_STRIDE) if (b.tickers[i + T_KEY] === k) n++;
      for (let i = 0; i < b.trades.length; i += TRADE_STRIDE) if (b.trades[i + R_KEY] === k) n++;
    }
    return n;
  }

  /** Instrument ids that ticker or trade rows named after message index `from`. */
  keysSeen(from = 0): Set<string> {
    return new Set(this.received.slice(from).flatMap((m) => (m.type === 'ticks' ? m.keys : [])));
  }

  mark(): number {
    return this.received.length;
  }

  /** Polls until fn returns truthy (or throws with what it last saw). */
  until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return until(fn, what, timeoutMs, 20);
  }
}

/**
 * One exchange id's subscriptions given as whole keys, rows counted by symbol under
 * that id: the brokers' harnesses (IB, Futu), and tests that configure the service
 * with entries they resolved themselves (built-in simulated entries, a simulator in
 * its own process).
 */
export class VenueHarness extends ServiceHarness {
  constructor(private readonly exchange: string) {
    super();
  }

  subscribe(keys: SubscriptionKey[]): void {
    this.parent.send({ type: 'subscribe', subs: keys });
  }

  unsubscribe(keys: SubscriptionKey[]): void {
    this.parent.send({ type: 'unsubscribe', subs: keys });
  }

  /** Rows (tickers, trades, book updates) for the venue's `symbol` after message index `from`. */
  rows(symbol: string, from = 0): number {
    return this.rowsOf(`${this.exchange}|${symbol}`, from);
  }
}
