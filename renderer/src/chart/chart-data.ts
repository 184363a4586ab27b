// The candle series the renderer's charts have open, fed by candle messages from
// main. Outside React: a chart listens to its series and applies each change to
// lightweight-charts itself (setData for history and repairs, update for the live
// last candle), so a live candle costs no React render.
import { candleKeyId, MAX_CANDLES, type Candle, type CandleKey, type CandleMessage, type CandleState } from '../../../shared/contract/candles';

export interface ChartSeriesData {
  candles: Candle[];
  state: CandleState;
  /** When the newest data was received (ms since epoch, main's clock), 0 if never. */
  receivedAt: number;
  /** When the exchange last vouched (over REST) that the silent series is whole: a quiet market (0: never). */
  quietAt: number;
  /** Candles replaced by the latest repair, if one happened. */
  repaired: number | undefined;
  error: string | undefined;
}

/** What changed: 'history' = redraw everything; 'update' = the last candle only; 'state' = labels only. */
export type ChartChange = 'history' | 'update' | 'state';
type Listener = (change: ChartChange, data: ChartSeriesData) => void;

export class ChartData {
  private readonly series = new Map<string, ChartSeriesData>();
  private readonly listeners = new Map<string, Set<Listener>>();

  get(key: CandleKey): ChartSeriesData | undefined {
    return this.series.get(candleKeyId(key));
  }

  /** Listens to one series; returns the unsubscribe function (the last one forgets the series). */
  listen(key: CandleKey, listener: Listener): () => void {
    const id = candleKeyId(key);
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) {
        this.listeners.delete(id);
        this.series.delete(id);
      }
    };
  }

  /** Applies one message; series no chart listens to are ignored (another window's). */
  apply(m: CandleMessage): void {
    const id = candleKeyId(m.key);
    const listeners = this.listeners.get(id);
    if (!listeners) return;
    let s = this.series.get(id);
    let change: ChartChange;
    if (m.type === 'candle-history') {
      s = { candles: m.candles, state: m.state, receivedAt: m.receivedAt, quietAt: m.quietAt ?? 0, repaired: m.repaired ?? s?.repaired, error: m.error };
      change = 'history';
    } else if (!s) {
      return; // updates before the history have nothing to attach to; the history follows
    } else if (m.type === 'candle-update') {
      const last = s.candles[s.candles.length - 1];
      if (last && m.candle.t < last.t) return; // an older candle: a repair will bring it
      if (last && m.candle.t === last.t) s.candles[s.candles.length - 1] = m.candle;
      else {
        s.candles.push(m.candle);
        if (s.candles.length > MAX_CANDLES) s.candles.shift();
      }
      s.receivedAt = m.receivedAt;
      s.state = 'live';
      change = 'update';
    } else {
      s.state = m.state;
      s.error = m.error;
      if (m.quietAt !== undefined) s.quietAt = m.quietAt;
      change = 'state';
    }
    this.series.set(id, s);
    for (const l of listeners) l(change, s);
  }
}
