// Drives a StreamingService in-process with one Futu entry against the OpenD
// stand-in, collecting everything it sends (validated like the engine would), and
// judging the stand-in's own view: every subscription live exactly once, on one
// connection, nothing left over.
import type { ConnectionEvent, Outage, SubscriptionStatus } from '../../shared/contract/status';
import { parseFromStreaming, type FromStreaming, type ShutdownReport } from '../../shared/contract/streaming-protocol';
import type { Channel, SubscriptionKey } from '../../shared/market';
import type { StreamingSettings } from '../../shared/settings';
import { memoryChannel, type MemoryParent } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { OpenDStandIn, type OpenDStandInOptions } from '../../simulator/opend/opend-standin';
import { provideWebSocketGlobal } from '../support/futu-websocket';
import { fastStreaming, type Msg } from './streaming-harness';

export const FUTU = 'futu';

export class FutuHarness {
  readonly opend: OpenDStandIn;
  service!: StreamingService;
  parent!: MemoryParent;
  readonly received: FromStreaming[] = [];
  readonly invalid: string[] = [];
  readonly exits: number[] = [];

  constructor(private readonly opts: OpenDStandInOptions = {}) {
    this.opend = new OpenDStandIn({ seed: 7, pushIntervalMs: 50, websocketKey: 'k', ...opts });
  }

  async start(streaming: StreamingSettings = fastStreaming()): Promise<this> {
    provideWebSocketGlobal();
    await this.opend.start();
    const { child, parent } = memoryChannel();
    this.parent = parent;
    parent.onMessage((m) => {
      const p = parseFromStreaming(m);
      if (p.ok) this.received.push(p.value);
      else this.invalid.push(p.error);
    });
    this.service = new StreamingService({ port: child, exit: (c) => this.exits.push(c) });
    this.service.start();
    const futu = { host: '127.0.0.1', port: this.opend.port, key: 'k', ...(this.opts.minSubscriptionMs !== undefined ? { minSubscriptionMs: this.opts.minSubscriptionMs } : {}) };
    parent.send({
      type: 'configure',
      exchanges: [{ id: FUTU, kind: 'futu', simulated: true, enabled: true, urls: {}, futu }],
      streaming,
      parentPid: process.pid,
      heartbeatMs: 200,
    });
    return this;
  }

  subscribe(keys: SubscriptionKey[]): void {
    this.parent.send({ type: 'subscribe', subs: keys });
  }

  unsubscribe(keys: SubscriptionKey[]): void {
    this.parent.send({ type: 'unsubscribe', subs: keys });
  }

  of<T extends FromStreaming['type']>(type: T): Msg<T>[] {
    return this.received.filter((m): m is Msg<T> => m.type === type);
  }

  events(kind?: ConnectionEvent['kind']): ConnectionEvent[] {
    const all = this.of('connection-events').flatMap((m) => m.events);
    return kind ? all.filter((e) => e.kind === kind) : all;
  }

  outages(): Outage[] {
    return this.of('outage').map((m) => m.outage);
  }

  statuses(): SubscriptionStatus[] {
    return this.service.subscriptionStatuses();
  }

  /** Rows (tickers, trades, book updates) for an instrument after message index `from`. */
  rows(symbol: string, from = 0): number {
    const instrument = `${FUTU}|${symbol}`;
    let n = 0;
    for (const b of this.received.slice(from)) {
      if (b.type !== 'ticks') continue;
      for (const bk of b.books) if (bk.key === instrument) n++;
      const k = b.keys.indexOf(instrument);
      if (k < 0) continue;
      for (let i = 0; i < b.tickers.length; i += 10) if (b.tickers[i] === k) n++;
      for (let i = 0; i < b.trades.length; i += 7) if (b.trades[i] === k) n++;
    }
    return n;
  }

  mark(): number {
    return this.received.length;
  }

  async until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The stand-in serves exactly `expected` ("HK.00700:basic"...), on one connection, and holds nothing else. */
  servesExactly(expected: string[]): boolean {
    const v = this.opend.view();
    return v.connections.length === 1 && v.connections[0]!.subscriptions.join() === [...expected].sort().join();
  }

  async stop(): Promise<ShutdownReport | undefined> {
    let report: ShutdownReport | undefined;
    if (this.service) report = await this.service.shutdown(2000);
    await this.opend.close();
    return report;
  }
}

export function futuKey(symbol: string, channel: Channel = 'ticker'): SubscriptionKey {
  return { exchange: FUTU, symbol, channel };
}

/** What the stand-in calls a subscription of `key`. */
export function openDName(key: SubscriptionKey): string {
  return `${key.symbol}:${key.channel === 'ticker' ? 'basic' : key.channel === 'trades' ? 'ticker' : 'orderBook'}`;
}
