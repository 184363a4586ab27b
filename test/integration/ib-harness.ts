// Drives a StreamingService in-process (ServiceHarness) with one IB entry against
// the TWS stand-in, and judges the stand-in's own view: every subscription
// requested exactly once, nothing left over.
import type { ShutdownReport } from '../../shared/contract/streaming-protocol';
import type { Channel, SubscriptionKey } from '../../shared/market';
import type { StreamingSettings } from '../../shared/settings';
import { TwsSimulator, type TwsRequestKind, type TwsSimulatorOptions } from '../../simulator/tws/tws-simulator';
import { VenueHarness, fastStreaming } from './service-harness';

export const IB = 'ib';

export class IbHarness extends VenueHarness {
  readonly tws: TwsSimulator;

  constructor(opts: TwsSimulatorOptions = {}) {
    super(IB);
    this.tws = new TwsSimulator({ seed: 7, ratePerRequest: 20, ...opts });
  }

  async start(streaming: StreamingSettings = fastStreaming(), clientId = 0): Promise<this> {
    await this.tws.start();
    this.serve([{ id: IB, kind: 'ib', simulated: true, enabled: true, urls: {}, ib: { host: this.tws.host, port: this.tws.port, clientId } }], streaming);
    return this;
  }

  /** The stand-in serves exactly `expected` ("kind contract"), each once, on one connection. */
  twsServesExactly(expected: string[]): boolean {
    const v = this.tws.view();
    const keys = Object.keys(v.subscriptions).sort();
    return v.connections.length === 1 && keys.join() === [...expected].sort().join() && keys.every((k) => v.subscriptions[k] === 1);
  }

  async stop(): Promise<ShutdownReport | undefined> {
    const report = await this.shutdown();
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
