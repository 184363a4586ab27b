// Drives a StreamingService in-process (ServiceHarness) with one ccxt entry against
// the exchange simulator, and judges the simulator's own view of the streams.
import { ExchangeSimulator } from '../../simulator/exchange-simulator';
import type { ShutdownReport } from '../../shared/contract/streaming-protocol';
import type { TickBatch } from '../../shared/contract/tick-batch';
import type { Channel, SubscriptionKey } from '../../shared/market';
import type { StreamingSettings } from '../../shared/settings';
import { fastStreaming, ServiceHarness, type Msg } from './service-harness';

export { fastStreaming, type Msg } from './service-harness';

export class Harness extends ServiceHarness {
  readonly sim: ExchangeSimulator;

  constructor(simOptions: ConstructorParameters<typeof ExchangeSimulator>[0] = {}) {
    super();
    this.sim = new ExchangeSimulator({ port: 0, seed: 7, ratePerSymbol: 20, ...simOptions });
  }

  async start(streaming: StreamingSettings = fastStreaming()): Promise<this> {
    await this.sim.start();
    this.serve([{ id: 'sim', ccxtId: 'binance', simulated: true, enabled: true, urls: { rest: this.sim.urls.rest, ws: this.sim.urls.ws } }], streaming);
    return this;
  }

  subscribe(symbols: string[], channel: Channel = 'ticker'): void {
    this.parent.send({ type: 'subscribe', subs: keys(symbols, channel) });
  }

  unsubscribe(symbols: string[], channel: Channel = 'ticker'): void {
    this.parent.send({ type: 'unsubscribe', subs: keys(symbols, channel) });
  }

  batches(): TickBatch[] {
    return this.of('ticks');
  }

  lastStatus(): Msg<'status'> | undefined {
    return this.of('status').at(-1);
  }

  /** Rows received for an instrument after message index `from`. */
  tickerRows(instrument: string, from = 0): number {
    return this.rowsOf(instrument, from);
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
    const report = await this.shutdown();
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
