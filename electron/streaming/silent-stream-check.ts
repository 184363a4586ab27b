// A live tape or book that falls silent may only be quiet. Markets often go longer
// than staleAfterMs without a trade or a change in the book (illiquid pairs, night
// hours), and ccxt's Binance opens a socket per new subscription (up to its
// streamLimits), so a stream is often alone on its socket and no other stream's frames
// vouch for it. Declaring it stale cost a reconnect, an outage and a resync or REST
// catch-up every staleAfterMs, for nothing. Instead the exchange's REST is asked for
// the stream's newest mark (the newest trade id; the book's update id): if the stream
// holds it, the market is quiet and the silence counts from the question
// (Subscription.quietAt); if not, the stream missed data and is declared stale as
// before (the reconnect then fills the tape's hole, or resyncs the book). A stream that
// stops while its socket still answers pings (the simulator's `silence`) is caught the
// same way: by what it missed. Tickers are not asked about: a ticker stream that
// stops is stale at once, as before.
import type { RestLane } from './rest-lane';
import type { SessionReport } from './session-report';
import type { StreamExchange } from './instrumented-exchange';
import type { Subscription } from './subscription';
import { restBookUpdateId } from './book/book-feed';
import { newestRestTradeId } from './trades/gap-recovery';

export type SilenceVerdict = 'quiet' | 'missed' | 'unknown';

/**
 * What the exchange's newest mark over REST (`restMark`; undefined: it has none, as a
 * market that never traded) says of a silent stream whose newest mark is `held` (NaN:
 * it holds none). `baseline` is the answer to the previous check of a stream that held
 * none (NaN: no such check). The first check of an empty tape cannot tell trades made
 * before the subscription from trades it missed: its answer is the next one's baseline.
 */
export function judgeSilence(held: number, restMark: number | undefined, baseline: number): SilenceVerdict {
  if (restMark === undefined) return 'quiet';
  if (Number.isNaN(restMark)) return 'unknown';
  const mark = Number.isNaN(held) ? baseline : held;
  if (Number.isNaN(mark)) return 'quiet';
  return restMark <= mark ? 'quiet' : 'missed';
}

/** The newest mark `sub`'s stream holds (NaN: none), or undefined for a stream not asked about. */
function heldMark(sub: Subscription): number | undefined {
  if (sub.target.tape) return sub.target.tape.newestId;
  if (sub.target.book) return sub.target.book.lastUpdateId;
  return undefined;
}

/** The newest mark of `sub`'s stream over REST, in the units of heldMark. */
function restMark(ex: StreamExchange, sub: Subscription): Promise<number | undefined> {
  return sub.target.tape ? newestRestTradeId(ex, sub.key.symbol) : restBookUpdateId(ex, sub.key.symbol);
}

export interface SilentStreamHost {
  exchange(): StreamExchange | undefined;
  readonly clock: { now(): number };
  /** The session's REST reads for its streams, a few at a time (shared with the tape's recovery). */
  readonly restLane: Pick<RestLane, 'run'>;
  readonly report: Pick<SessionReport, 'countError'>;
}

interface Check {
  /** The silence it is about: when the stream's last data, quiet answer or watch came. */
  since: number;
  verdict: SilenceVerdict | 'asking';
}

/** When the stream's current silence began, as far as the subscription knows. */
function silenceOf(sub: Subscription): number {
  return Math.max(sub.lastDataAt, sub.quietAt, sub.armedAt);
}

export class SilentStreamCheck {
  /** The last check of each stream, for the silence it was asked about. */
  private readonly checks = new WeakMap<Subscription, Check>();
  /** Streams that held no mark at their last check: the newest REST mark then. */
  private readonly baselines = new WeakMap<Subscription, number>();

  constructor(private readonly host: SilentStreamHost) {}

  /**
   * The sweep found live stream `sub` silent past its limit. True while the exchange
   * is asked (at most once per silence) whether the market is only quiet: the sweep
   * leaves the stream be. False for a ticker, and once the answer is that the stream
   * missed data or that REST cannot say (failed, no ids): the sweep declares it stale.
   * A quiet answer moves `sub.quietAt`, which ends this silence.
   */
  mayBeQuiet(sub: Subscription): boolean {
    if (heldMark(sub) === undefined) return false;
    const since = silenceOf(sub);
    const last = this.checks.get(sub);
    if (last && last.since === since) return last.verdict === 'asking';
    const ex = this.host.exchange();
    if (!ex) return false;
    const check: Check = { since, verdict: 'asking' };
    this.checks.set(sub, check);
    const askedAt = this.host.clock.now();
    void sub.owner.run('silence-check', async (signal) => {
      let mark: number | undefined;
      try {
        mark = await this.host.restLane.run(() => restMark(ex, sub), signal);
      } catch (e) {
        if (signal.aborted) return;
        this.host.report.countError(e);
        check.verdict = 'unknown';
        return;
      }
      if (signal.aborted) return;
      // the stream as it is now: data it delivered meanwhile counts
      const held = heldMark(sub) ?? NaN;
      check.verdict = judgeSilence(held, mark, this.baselines.get(sub) ?? NaN);
      if (check.verdict !== 'quiet') return;
      if (Number.isNaN(held) && mark !== undefined) this.baselines.set(sub, mark);
      // Only data after the question could have been missed since: the silence counts from it.
      sub.quietAt = askedAt;
    });
    return true;
  }
}
