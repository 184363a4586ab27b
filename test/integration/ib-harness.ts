// Drives a StreamingService in-process with one IB entry against the TWS stand-in,
// collecting everything it sends (validated like the engine would), and judging the
// stand-in's own view: every subscription requested exactly once, nothing left over.
import type { ConnectionEvent, Outage, SubscriptionStatus } from '../../shared/contract/status';
import { parseFromStreaming, type FromStreaming, type ShutdownReport } from '../../shared/contract/streaming-protocol';
import type { Channel, SubscriptionKey } from '../../shared/market';
import type { StreamingSettings } from '../../shared/settings';
import { memoryChannel, type MemoryParent } from '../../electron/streaming/memory-port';
import { StreamingService } from '../../electron/streaming/streaming-service';
import { TwsSimulator, type TwsRequestKind, type TwsSimulatorOptions } from '../../simulator/tws/tws-simulator';
import { fastStreaming, type Msg } from './streaming-harness';

export const IB = 'ib';

export class IbHarness {
  readonly tws: TwsSimulator;
  service!: StreamingService;
  parent!: MemoryParent;
  readonly received: FromStreaming[] = [];
  readonly invalid: string[] = [];
  readonly exits: number[] = [];

  constructor(opts: TwsSimulatorOptions = {}) {
    this.tws = new TwsSimulator({ seed: 7, ratePerRequest: 20, ...opts });
  }

  async start(streaming: StreamingSettings = fastStreaming(), clientId = 0): Promise<this> {
    await this.tws.start();
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
      exchanges: [{ id: IB, kind: 'ib', simulated: true, enabled: true, urls: {}, ib: { host: this.tws.host, port: this.tws.port, clientId } }],
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

  /** The service's subscription statuses now (not the coalesced messages). */
  statuses(): SubscriptionStatus[] {
    return this.service.subscriptionStatuses();
  }

  /** Rows (tickers, trades, book updates) for an instrument after message index `from`. */
  rows(symbol: string, from = 0): number {
    const instrument = `${IB}|${symbol}`;
    let n = 0;
    for (const b of this.received.slice(from)) {
      if (b.type !== 'ticks') continue;
      for (const bk of b.books) if (bk.key === instrument) n++; // books name their key; rows index `keys`
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

  /** The stand-in serves exactly `expected` ("kind contract"), each once, on one connection. */
  twsServesExactly(expected: string[]): boolean {
    const v = this.tws.view();
    const keys = Object.keys(v.subscriptions).sort();
    return v.connections.length === 1 && keys.join() === [...expected].sort().join() && keys.every((k) => v.subscriptions[k] === 1);
  }

  async stop(): Promise<ShutdownReport | undefined> {
    let report: ShutdownReport | undefined;
    if (this.service) report = await this.service.shutdown(2000);
    await this.tws.stop();
    return report;
  }
}

export function ibKey(symbol: string, channel: Channel = 'ticker'): SubscriptionKey {
  return { exchange: IB, symbol, channel };
}

/** What the stand-in calls a subscription of `key`. */
export function twsName(key: SubscriptionKey, contract: string): string {
  const kind: TwsRequestKind = key.channel === 'ticker' ? 'mktData' : key.channel === 'trades' ? 'tickByTick' : 'depth';
  return `${kind} ${contract}`;
}
