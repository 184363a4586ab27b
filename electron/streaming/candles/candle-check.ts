// A live chart whose stream falls silent may only be on a quiet market: an exchange
// pushes a kline or a trade only when something traded, so an illiquid pair's chart
// went "stale" after staleAfterMs with nothing wrong. And a stream that stalls while
// its socket stays open (the simulator's `silence`) left the chart stale for good,
// with the candles that closed meanwhile missing. So, as the session does for its
// streams (silent-stream-check.ts), the exchange's REST is asked for its last candles:
// if the chart holds them as they are, the market is quiet; if not, the stream missed
// them and the feed redials it, which repairs the candles (candle-feed.ts).
import type { Candle } from '../../../shared/contract/candles';
import type { Owner, Registration } from '../../../shared/lifecycle/owner';
import { ownedTimeout, sleep, type Scheduler } from '../../../shared/lifecycle/timers';

export type CandleVerdict = 'quiet' | 'missed';

/** Candles asked for: the forming one and the two before it (one may have closed unseen). */
export const CHECK_CANDLES = 3;

/**
 * How long a "missed" answer waits before the stream is redialled: the exchange may
 * hold a change its stream is about to push (Binance pushes a kline every 2 s).
 */
export const CANDLE_MISSED_GRACE_MS = 2000;

/** Volumes summed from trades may differ from the exchange's in the last bits. */
const VOLUME_TOLERANCE = 1e-9;

function sameCandle(a: Candle, b: Candle): boolean {
  return a.o === b.o && a.h === b.h && a.l === b.l && a.c === b.c && Math.abs(a.v - b.v) <= VOLUME_TOLERANCE * Math.max(1, Math.abs(b.v));
}

/**
 * What the exchange's last candles over REST (`rest`, oldest first) say of a silent
 * series that holds `held(t)`: quiet if it holds every one of them as it is (none
 * at all: nothing traded in the window), else missed.
 */
export function judgeCandles(held: (t: number) => Candle | undefined, rest: readonly Candle[]): CandleVerdict {
  for (const r of rest) {
    const k = held(r.t);
    if (!k || !sameCandle(k, r)) return 'missed';
  }
  return 'quiet';
}

/** What the check needs of the series it watches (candle-feed.ts). */
export interface SilentSeries {
  /** True while the feed watches its stream; otherwise the check stands down (the feed arms it again once live). */
  live(): boolean;
  /** When the newest data came (the feed's clock). */
  receivedAt(): number;
  /** The series' candle that opens at `t`. */
  held(t: number): Candle | undefined;
  /** Takes what the stream delivered while no watch was waiting. */
  catchUp(): void;
  /** The exchange's last CHECK_CANDLES candles over REST. */
  fetchLast(signal: AbortSignal): Promise<Candle[]>;
  /** REST vouched for the silent series at `at`. */
  quiet(at: number): void;
  /** The stream missed candles: close its sockets, which fails the watch into the feed's repair. */
  redial(why: string): void;
}

/**
 * Asks about a live series silent for `askAfterMs` (since its newest data or the last
 * quiet answer): quiet, it says so and asks again a period later; missed, it waits
 * CANDLE_MISSED_GRACE_MS and redials if the silence goes on. A failed question is
 * asked again a period later (meanwhile the chart's own age turns it stale).
 */
export class CandleSilenceCheck {
  /** When REST last vouched for the silent series (0: never). */
  quietAt = 0;
  private timer: Registration | undefined;

  constructor(
    private readonly series: SilentSeries,
    private readonly askAfterMs: number,
    private readonly owner: Owner,
    private readonly scheduler: Scheduler,
    private readonly clock: () => number,
  ) {}

  /** Arms the question for `due` (default: a period after the newest data or quiet answer); one at a time. */
  arm(due = this.silentSince() + this.askAfterMs): void {
    if (this.timer || this.owner.isDisposed) return; // disposed: the series was closed
    this.timer = ownedTimeout(
      this.scheduler,
      this.owner,
      () => {
        this.timer = undefined;
        void this.owner.run('candle-check', (signal) => this.check(signal));
      },
      due - this.clock(),
      'candle-check',
    );
  }

  private silentSince(): number {
    return Math.max(this.series.receivedAt(), this.quietAt);
  }

  private async check(signal: AbortSignal): Promise<void> {
    if (!this.series.live()) return;
    const since = this.silentSince();
    if (this.clock() - since < this.askAfterMs) return this.arm();
    const silent = () => this.series.live() && !signal.aborted && this.silentSince() === since;
    // what the stream left undelivered is what it has, not what it missed
    this.series.catchUp();
    let rest: Candle[];
    try {
      rest = await this.series.fetchLast(signal);
    } catch {
      return this.arm(silent() ? this.clock() + this.askAfterMs : undefined);
    }
    if (!silent()) return this.arm();
    if (judgeCandles((t) => this.series.held(t), rest) === 'quiet') {
      this.quietAt = this.clock();
      this.series.quiet(this.quietAt);
      return this.arm();
    }
    await sleep(this.scheduler, CANDLE_MISSED_GRACE_MS, signal);
    if (!silent()) return this.arm();
    this.series.redial(`missed candles the exchange has (silent ${Math.round(this.clock() - since)} ms)`);
    // If nothing could be closed (the watch goes on), ask again later.
    this.arm(this.clock() + this.askAfterMs);
  }
}
