// The live candle reaches the chart at most every LIVE_CHART_MS. Candle updates come
// up to once a frame (main flushes them every 16 ms), and each one makes
// lightweight-charts redraw its canvases and axes on the next frame (~2-3 ms of script
// here): at 10 redraws a second the chart alone was 1.2-1.5 ms of script per frame in
// the "screen" benchmark, more than its budget of 1 ms. Four a second is still eight
// times Binance's own kline stream (it pushes the forming candle every 2 s), and the
// last price itself is on the watchlist, ladder and tape at frame rate. Nothing is
// lost: a candle that closed meanwhile is handed over with its final state before the
// next.
import type { Candle } from '../../../shared/contract/candles';

export const LIVE_CHART_MS = 250;
/**
 * An update due within this many ms is applied at once: candles that arrive at about
 * the interval (a quiet market, 4 updates a second) would otherwise each wait a few ms
 * and make the chart redraw in a frame of its own instead of the frame with the ticks.
 */
export const LIVE_CHART_SLACK_MS = 20;

export interface ThrottleDeps {
  now: () => number;
  /** Runs fn once after ms; returns a cancel function. */
  setTimeout: (fn: () => void, ms: number) => () => void;
  /** Applies candles to the chart, oldest first. */
  apply: (candles: readonly Candle[]) => void;
}

export class LiveCandleThrottle {
  /** Closed candles not yet applied (their final state), then the forming one. */
  private readonly pending: Candle[] = [];
  private lastApplied = -Infinity;
  private lastOffered = -Infinity;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly deps: ThrottleDeps,
    private readonly intervalMs = LIVE_CHART_MS,
  ) {}

  /** The newest state of a candle (the forming one, or one that just closed). */
  offer(candle: Candle): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.t === candle.t) this.pending[this.pending.length - 1] = candle;
    else this.pending.push(candle);
    const now = this.deps.now();
    const offeredBefore = this.lastOffered;
    this.lastOffered = now;
    if (this.cancel) return;
    const wait = this.lastApplied + this.intervalMs - now;
    // Updates that come no faster than the interval are not throttled, whenever the last
    // apply was: a burst (a candle closing, a repair) once put the timer's applies tens
    // of ms after each arrival, and that phase then held, so every update drew the
    // chart in a frame of its own instead of in the frame with the ticks.
    if (wait <= LIVE_CHART_SLACK_MS || now - offeredBefore >= this.intervalMs - LIVE_CHART_SLACK_MS) this.flush();
    else this.cancel = this.deps.setTimeout(() => {
      this.cancel = undefined;
      this.flush();
    }, wait);
  }

  /** Drops what is pending (history replaced the series, or the chart closes). */
  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.pending.length = 0;
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.lastApplied = this.deps.now();
    const candles = this.pending.splice(0);
    this.deps.apply(candles);
  }
}
