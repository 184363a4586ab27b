// Drives a StreamingService in-process (ServiceHarness) with one Futu entry against
// the OpenD stand-in, and judges the stand-in's own view: every subscription live
// exactly once, on one connection, nothing left over.
import type { ShutdownReport } from '../../shared/contract/streaming-protocol';
import type { Channel, SubscriptionKey } from '../../shared/market';
import type { StreamingSettings } from '../../shared/settings';
import { OpenDStandIn, type OpenDStandInOptions } from '../../simulator/opend/opend-standin';
import { provideWebSocketGlobal } from '../support/futu-websocket';
import { VenueHarness, fastStreaming } from './service-harness';

export const FUTU = 'futu';

export class FutuHarness extends VenueHarness {
  readonly opend: OpenDStandIn;

  constructor(private readonly opts: OpenDStandInOptions = {}) {
    super(FUTU);
    this.opend = new OpenDStandIn({ seed: 7, pushIntervalMs: 50, websocketKey: 'k', ...opts });
  }

  async start(streaming: StreamingSettings = fastStreaming()): Promise<this> {
    provideWebSocketGlobal();
    await this.opend.start();
    const futu = { host: '127.0.0.1', port: this.opend.port, key: 'k', ...(this.opts.minSubscriptionMs !== undefined ? { minSubscriptionMs: this.opts.minSubscriptionMs } : {}) };
    this.serve([{ id: FUTU, kind: 'futu', simulated: true, enabled: true, urls: {}, futu }], streaming);
    // The market list for the search is asked at configure on a connection of its own:
    // the tests count connections and requests from when it is answered (or refused) and gone.
    await this.until(() => this.catalogueSettled() && this.opend.view().connections.length === 0, 'the market list asked and its connection closed');
    return this;
  }

  /** The service sent the Futu market list, or logged that it could not load it. */
  catalogueSettled(): boolean {
    return this.of('markets').length > 0 || this.of('log').some((m) => m.records.some((r) => r.message.startsWith('market list not loaded')));
  }

  /** The stand-in serves exactly `expected` ("HK.00700:basic"...), on one connection, and holds nothing else. */
  servesExactly(expected: string[]): boolean {
    const v = this.opend.view();
    return v.connections.length === 1 && v.connections[0]!.subscriptions.join() === [...expected].sort().join();
  }

  async stop(): Promise<ShutdownReport | undefined> {
    const report = await this.shutdown();
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
