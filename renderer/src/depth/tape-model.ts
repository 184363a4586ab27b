// The trades tape as data: newest first, same-side trades within N ms merged into
// one line (optional), a minimum-size filter, large trades flagged by notional, gap
// markers where the stream had holes, and a pause (while hovered) that counts what
// arrived meanwhile instead of moving the lines under the pointer.
import type { TapeGapView, TapeView } from '../../../shared/contract/renderer-api';

export interface TapeLine {
  kind: 'trade';
  /** The exchange's trade id (of the newest trade merged into the line). */
  id: string;
  price: number;
  amount: number;
  side: number;
  time: number;
  /** Trades merged into this line. */
  count: number;
  /** Recovered over REST after a gap. */
  recovered: boolean;
  large: boolean;
}

export interface GapLine {
  kind: 'gap';
  gap: TapeGapView;
  time: number;
}

/** Never changed once made: a changed line is a new entry (the painter redraws by identity). */
export type TapeEntry = Readonly<TapeLine> | Readonly<GapLine>;

export interface TapeOptions {
  aggregateMs: number;
  minSize: number;
  largeQuote: number;
}

/** Lines kept (more than any screen shows). */
const KEEP = 400;

export class TapeModel {
  /** Newest first. */
  private lines: TapeEntry[] = [];
  private shown: TapeEntry[] = [];
  private paused = false;
  /** Trades that arrived while paused. */
  pendingTrades = 0;
  /** Large trades in the last apply (for the sound). */
  largeInLastApply = 0;
  version = 0;

  constructor(private options: TapeOptions) {}

  setOptions(options: TapeOptions): void {
    this.options = options;
  }

  /** The lines to draw: frozen while paused. */
  get visible(): readonly TapeEntry[] {
    return this.paused ? this.shown : this.lines;
  }

  pause(on: boolean): void {
    if (on === this.paused) return;
    this.paused = on;
    if (on) this.shown = this.lines.slice();
    else {
      this.shown = [];
      this.pendingTrades = 0;
    }
    this.version++;
  }

  /** The large-trade threshold in quote currency (0: none); line intensity is measured against it. */
  get largeQuote(): number {
    return this.options.largeQuote;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  clear(): void {
    this.lines = [];
    this.shown = [];
    this.pendingTrades = 0;
    this.version++;
  }

  /** Applies a frame's tape part (a reset replaces everything). */
  apply(view: TapeView): void {
    if (view.reset) this.lines = [];
    this.largeInLastApply = 0;
    const { aggregateMs, minSize, largeQuote } = this.options;
    for (let i = 0; i < view.trades.length; i++) {
      const [price, amount, side, time, rest] = view.trades[i]!;
      const id = view.ids[i]!;
      if (amount < minSize) continue;
      if (this.paused) this.pendingTrades++;
      const large = largeQuote > 0 && price * amount >= largeQuote;
      if (large) this.largeInLastApply++;
      const top = this.lines[0];
      if (rest === 1) {
        this.insertOlder({ kind: 'trade', id, price, amount, side, time, count: 1, recovered: true, large });
        continue;
      }
      if (aggregateMs > 0 && top?.kind === 'trade' && !top.recovered && top.side === side && time - top.time <= aggregateMs && time >= top.time) {
        // a new entry, not the drawn one changed: an entry never changes once made (the painter compares by identity)
        const merged = top.amount + amount;
        this.lines[0] = { ...top, id, price, amount: merged, count: top.count + 1, large: largeQuote > 0 && price * merged >= largeQuote };
        continue;
      }
      this.lines.unshift({ kind: 'trade', id, price, amount, side, time, count: 1, recovered: false, large });
    }
    // The marker sits where the hole was: just after the last trade before it.
    for (const gap of view.gaps) this.insertOlder({ kind: 'gap', gap, time: gap.endedAt - 1e-3 });
    if (this.lines.length > KEEP) this.lines.length = KEEP;
    this.version++;
  }

  /** Inserts an entry by time (newest first) behind newer lines. */
  private insertOlder(e: TapeEntry): void {
    let i = 0;
    while (i < this.lines.length && this.lines[i]!.time > e.time) i++;
    if (i >= KEEP) return;
    this.lines.splice(i, 0, e);
  }
}
