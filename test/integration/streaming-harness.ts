// Drives a StreamingService in-process through the in-memory channel against the
// exchange simulator, collecting everything it sends (validated like the engine would).
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import type { ConnectionEvent, Outage } from '../../shared/contract/status';
import { parseFromStreaming, type FromStreaming, type ShutdownReport } from '../../shared/contract/streaming-protocol';
import { R_KEY, TICKER_STRIDE, TRADE_STRIDE, T_KEY, type TickBatch } from '../../shared/contract/tick-batch';
import type { Channel, SubscriptionKey } from '../../shared/market';
import { StreamingTuningSchema, type StreamingSettings } from '../../shared/settings';
import { memoryChannel, type MemoryParent } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { until } from '../support/until';

export type Msg<T extends FromStreaming['type']> = Extract<FromStreaming, { type: T }>;

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

export class Harness {
  readonly sim: ExchangeSimulator;
  service!: StreamingService;
  parent!: MemoryParent;
  readonly received: FromStreaming[] = [];
  readonly invalid: string[] = [];
  exits: number[] = [];

  constructor(simOptions: ConstructorParameters<typeof ExchangeSimulator>[0] = {}) {
    this.sim = new ExchangeSimulator({ port: 0, seed: 7, ratePerSymbol: 20, ...simOptions });
  }

  async start(streaming: StreamingSettings = fastStreaming()): Promise<this> {
    await this.sim.start();
    const { child, parent } = memoryChannel();
    this.parent = parent;
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (p.ok) this.received.push(p.value);
      else this.invalid.push(p.error);
    });
    this.service = new StreamingService({ port: child, exit: (c) => this.exits.push(c) });
    this.service.start();
    parent.send({
      type: 'configure',
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true, enabled: true, urls: { rest: this.sim.urls.rest, ws: this.sim.urls.ws } }],
      streaming,
      parentPid: process.pid,
      heartbeatMs: 200,
    });
    return this;
  }

  subscribe(symbols: string[], channel: Channel = 'ticker'): void {
    this.parent.send({ type: 'subscribe', subs: keys(symbols, channel) });
  }

  unsubscribe(symbols: string[], channel: Channel = 'ticker'): void {
    this.parent.send({ type: 'unsubscribe', subs: keys(symbols, channel) });
  }

  of<T extends FromStreaming['type']>(type: T): Msg<T>[] {
    return this.received.filter((m): m is Msg<T> => m.type === type);
  }

  batches(): TickBatch[] {
    return this.of('ticks');
  }

  events(kind?: ConnectionEvent['kind']): ConnectionEvent[] {
    const all = this.of('connection-events').flatMap((m) => m.events);
    return kind ? all.filter((e) => e.kind === kind) : all;
  }

  outages(): Outage[] {
    return this.of('outage').map((m) => m.outage);
  }

  lastStatus(): Msg<'status'> | undefined {
    return this.of('status').at(-1);
  }

  /** Rows received for an instrument after message index `from`. */
  tickerRows(instrument: string, from = 0): number {
    let n = 0;
    for (const b of this.received.slice(from)) {
      if (b.type !== 'ticks') continue;
      const k = b.keys.indexOf(instrument);
      if (k < 0) continue;
      for (let i = 0; i < b.tickers.length; i += TICKER_STRIDE) if (b.tickers[i + T_KEY] === k) n++;
      for (let i = 0; i < b.trades.length; i += TRADE_STRIDE) if (b.trades[i + R_KEY] === k) n++;
      for (const bk of b.books) if (bk.key === instrument) n++;
    }
    return n;
  }

  mark(): number {
    return this.received.length;
  }

  /** Polls until fn returns truthy (or throws with what it last saw). */
  until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return until(fn, what, timeoutMs, 20);
  }

  /** Each stream subscribed by exactly one connection and no connection without streams. */
  simIsClean(expectedStreams: string[]): boolean {
    const v = this.sim.view();
    const counts = expectedStreams.map((s) => v.streams[s] ?? 0);
    const perConn = new Map<string, number>();
    for (const c of v.connections) for (const s of c.streams) perConn.set(s, (perConn.get(s) ?? 0) + 1);
    return counts.every((n) => n === 1) && expectedStreams.every((s) => perConn.get(s) === 1) && v.connections.every((c) => c.streams.length > 0) && v.connections.length === expectedStreams.length;
  }

  async stop(): Promise<ShutdownReport | undefined> {
    let report: ShutdownReport | undefined;
    if (this.service) report = await this.service.shutdown(2000);
    await this.sim.stop();
    return report;
  }
}

export function keys(symbols: string[], channel: Channel): SubscriptionKey[] {
  return symbols.map((symbol) => ({ exchange: 'sim', symbol, channel }));
}

/** Binance stream name the simulator reports for a ccxt subscription. */
export function streamName(symbol: string, channel: Channel): string {
  const id = symbol.replace('/', '').toLowerCase();
  return channel === 'ticker' ? `${id}@ticker` : channel === 'trades' ? `${id}@trade` : `${id}@depth`;
}
