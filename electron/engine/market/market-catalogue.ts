// The engine's copy of every exchange's market catalogue, as the streaming process
// last reported it. Renderers get it only when they ask (the symbol search opened):
// thousands of markets do not belong in every hello. A renderer that asked before
// an exchange's markets loaded is sent the catalogue again when they arrive.
import type { ExchangeMarkets } from '../../../shared/contract/market-catalogue';

export type CatalogueListener = (catalogues: ExchangeMarkets[]) => void;

export class MarketCatalogue {
  private readonly byExchange = new Map<string, ExchangeMarkets>();
  private readonly interested = new Map<string, CatalogueListener>();

  /**
   * @param enabled the exchange ids enabled right now (read at every answer: an
   *   exchange disabled in settings drops out of the search without a reload).
   */
  constructor(private readonly enabled: () => ReadonlySet<string>) {}

  /** Replaces one exchange's catalogue and re-sends to every renderer that asked. */
  set(catalogue: ExchangeMarkets): void {
    this.byExchange.set(catalogue.exchange, catalogue);
    if (!this.enabled().has(catalogue.exchange)) return;
    const all = this.catalogues();
    for (const listener of this.interested.values()) listener(all);
  }

  /** The catalogues of enabled exchanges, in the order they first loaded. */
  catalogues(): ExchangeMarkets[] {
    const enabled = this.enabled();
    return [...this.byExchange.values()].filter((c) => enabled.has(c.exchange));
  }

  /**
   * A renderer asked: answers now and again whenever a catalogue changes, until
   * forget(client). Asking again before that is ignored: it already gets every
   * change, and a renderer repeating the request must not make main send megabytes
   * each time (a reloaded page is a new client: detached, then attached).
   */
  request(client: string, listener: CatalogueListener): void {
    if (this.interested.has(client)) return;
    this.interested.set(client, listener);
    listener(this.catalogues());
  }

  forget(client: string): void {
    this.interested.delete(client);
  }

  /** Markets held over all exchanges (diagnostics and tests). */
  get size(): number {
    let n = 0;
    for (const c of this.byExchange.values()) n += c.markets.length;
    return n;
  }
}
