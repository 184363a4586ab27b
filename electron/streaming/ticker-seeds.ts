// A watchlist row on a quiet market would have nothing to show until its market
// trades: Binance's ticker stream pushes on change only (at most once a second).
// Left alone, the row said "subscribing", went stale after staleAfterMs.ticker, had its
// socket reconnected, and so on for as long as the market stayed quiet. So once the
// exchange confirms the row's SUBSCRIBE, a row that got no ticker within
// TICKER_SEED_AFTER_MS is read over REST (the exchange's current 24 h statistics, as
// the stream carries them) and is live with it; the silence check then keeps asking
// whether the market is only quiet (silent-stream-check.ts). The same after a
// reconnect: a quiet market sends nothing to say the row is current again. Rows due
// at once are read in one request.
import type { Ticker } from 'ccxt';
import type { Owner, Registration } from '../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../shared/lifecycle/timers';
import type { StreamExchange } from './instrumented-exchange';
import type { RestLane } from './rest-lane';
import type { SessionReport } from './session-report';
import { fetchTickersOf, TICKERS_PER_REQUEST } from './stream-marks';
import type { Subscription } from './subscription';

/** Binance's ticker stream's update speed: an active market's row gets its ticker within it. */
export const TICKER_SEED_AFTER_MS = 1000;

export interface TickerSeedHost {
  exchange(): StreamExchange | undefined;
  readonly scheduler: Scheduler;
  /** The session's REST reads for its streams, a few at a time. */
  readonly restLane: Pick<RestLane, 'run'>;
  readonly report: Pick<SessionReport, 'countError'>;
  /** Owns the timer and the requests. */
  readonly owner: Owner;
  /** `sub` still has no data: write `ticker` as its row and call it live. */
  seeded(sub: Subscription, ticker: Ticker): void;
}

/** Still waiting for data since `since` (its lastDataAt when confirmed). */
function stillWaiting(sub: Subscription, since: number): boolean {
  return !sub.owner.isDisposed && sub.lastDataAt === since && (sub.state === 'subscribing' || sub.state === 'reconnecting');
}

interface Waiting {
  /** Its lastDataAt when confirmed. */
  since: number;
  /** When its REST read is due. */
  dueAt: number;
}

export class TickerSeeds {
  /** Confirmed rows without data yet (a row confirmed again waits from then). */
  private readonly waiting = new Map<Subscription, Waiting>();
  private timer: Registration | undefined;

  constructor(private readonly host: TickerSeedHost) {}

  /** The exchange confirmed `sub`'s ticker stream. */
  confirmed(sub: Subscription): void {
    if (!stillWaiting(sub, sub.lastDataAt)) return;
    const dueAt = this.host.scheduler.now() + TICKER_SEED_AFTER_MS;
    this.waiting.set(sub, { since: sub.lastDataAt, dueAt });
    if (!this.timer) this.arm(dueAt);
  }

  /** `sub` was unsubscribed: it waits no more, and the timer goes with the last one waiting (nothing is left behind). */
  forget(sub: Subscription): void {
    if (!this.waiting.delete(sub) || this.waiting.size > 0) return;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private arm(at: number): void {
    this.timer = ownedTimeout(this.host.scheduler, this.host.owner, () => this.due(), Math.max(0, at - this.host.scheduler.now()), 'ticker-seed');
  }

  private due(): void {
    this.timer = undefined;
    const t = this.host.scheduler.now();
    const due: [Subscription, number][] = [];
    let next = Infinity;
    for (const [sub, w] of this.waiting) {
      if (!stillWaiting(sub, w.since)) this.waiting.delete(sub);
      else if (w.dueAt <= t) {
        due.push([sub, w.since]);
        this.waiting.delete(sub);
      } else next = Math.min(next, w.dueAt);
    }
    if (next < Infinity) this.arm(next);
    const ex = this.host.exchange();
    if (!ex || this.host.owner.isDisposed || !due.length) return;
    for (let i = 0; i < due.length; i += TICKERS_PER_REQUEST) {
      const part = due.slice(i, i + TICKERS_PER_REQUEST);
      void this.host.owner.run('ticker-seed', (signal) => this.seed(ex, part, signal));
    }
  }

  private async seed(ex: StreamExchange, rows: [Subscription, number][], signal: AbortSignal): Promise<void> {
    let tickers: Record<string, Ticker | undefined>;
    try {
      tickers = await this.host.restLane.run(() => fetchTickersOf(ex, rows.map(([sub]) => sub.key.symbol)), signal);
    } catch (e) {
      // The row waits for its stream, as before; the stale watchdog still judges it.
      if (!signal.aborted) this.host.report.countError(e);
      return;
    }
    if (signal.aborted || ex !== this.host.exchange()) return;
    // a row whose stream delivered meanwhile has its own data
    for (const [sub, since] of rows) {
      const ticker = tickers[sub.key.symbol];
      if (ticker && stillWaiting(sub, since)) this.host.seeded(sub, ticker);
    }
  }
}
