// An exchange's markets, loaded once and kept: every new connection (activation,
// rotation) gets them without asking the exchange again, and an idle session can
// load them on a short-lived connection so the symbol search lists its markets.
import { errorMessage } from '../../shared/error-message';
import type { Owner } from '../../shared/lifecycle/owner';
import type { ExchangeSettings } from '../../shared/settings';
import { ABORTED, AbortableWait } from './abortable-wait';
import { prepareExchange, type StreamExchange } from './instrumented-exchange';
import type { SessionReport } from './session-report';

export interface MarketLoaderHost {
  /** A new, unprepared connection (not yet dialled). */
  create(): StreamExchange;
  /** Closes a connection, bounded; never throws. */
  close(ex: StreamExchange): Promise<void>;
  closing(): boolean;
  /** The session has a connection (which loads the markets itself). */
  connected(): boolean;
  /** The markets were loaded (the first time only). */
  loaded(markets: unknown): void;
}

export class MarketLoader {
  private markets: { markets: unknown; currencies: unknown } | undefined;
  private loading = false;

  constructor(
    private readonly settings: ExchangeSettings,
    private readonly host: MarketLoaderHost,
    private readonly owner: Owner,
    private readonly report: SessionReport,
  ) {}

  /**
   * Loads the markets on a short-lived connection, as a task of the owner (its
   * signal cuts the wait short at shutdown), unless they are known or loading.
   */
  loadIdle(): void {
    if (this.host.closing() || this.markets || this.host.connected() || this.loading) return;
    this.loading = true;
    void this.owner.run('load-markets', async (signal) => {
      const ex = this.host.create();
      try {
        await prepareExchange(ex, this.settings);
        const loaded = await new AbortableWait(signal).wait(ex.loadMarkets());
        if (loaded !== ABORTED && !this.host.closing() && !this.markets) this.remember(ex);
      } catch (e) {
        this.report.record('warn', 'markets', 'markets could not be loaded', { error: errorMessage(e) });
      } finally {
        this.loading = false;
        await this.host.close(ex);
      }
    });
  }

  /** A prepared connection with the markets set (loaded now if not known yet). */
  async newInstance(): Promise<StreamExchange> {
    const ex = this.host.create();
    await prepareExchange(ex, this.settings);
    if (this.markets) ex.setMarkets(this.markets.markets as never, this.markets.currencies as never);
    else {
      try {
        await ex.loadMarkets();
        this.remember(ex);
      } catch (e) {
        // The watch loops load markets themselves and go through the reconnect path.
        this.report.countError(e);
      }
    }
    return ex;
  }

  private remember(ex: StreamExchange): void {
    this.markets = { markets: ex.markets, currencies: ex.currencies };
    this.host.loaded(ex.markets);
  }
}
