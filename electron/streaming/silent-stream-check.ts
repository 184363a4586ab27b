// A live stream that falls silent may only be quiet. Markets often go longer than
// staleAfterMs without a trade or a change in the book (illiquid pairs, night hours),
// and ccxt's Binance opens a socket per new subscription (up to its streamLimits), so
// a stream is often alone on its socket and no other stream's frames vouch for it.
// Declaring it stale cost a reconnect, an outage and a resync or REST catch-up every
// staleAfterMs, for nothing, and a quiet row looked stale most of the time. Instead
// the exchange's REST is asked for the stream's newest mark (stream-marks.ts): if the
// stream holds it, the market is quiet and the silence counts from the question
// (Subscription.quietAt); if not, the stream missed data and is declared stale as
// before (the reconnect then fills the tape's hole, or resyncs the book). A stream
// that stops while its socket still answers pings (the simulator's `silence`) is
// caught the same way: by what it missed. Tickers silent in one watchdog pass are
// asked about in one request, with those nearly due (stale-sweep.ts, JOIN_AT_LIMIT).
// Before it asks, the stream takes what ccxt cached for it with no watch waiting
// (undelivered-updates.ts): that is what it holds, not what it missed.
import type { Owner } from '../../shared/lifecycle/owner';
import type { RestLane } from './rest-lane';
import type { SessionReport } from './session-report';
import type { StreamExchange } from './instrumented-exchange';
import type { Subscription } from './subscription';
import { heldMark, restMark, restTickerMarks, TICKERS_PER_REQUEST } from './stream-marks';

export type SilenceVerdict = 'quiet' | 'missed' | 'unknown';

/**
 * How long a "missed" answer waits before the stream is declared stale: REST may hold
 * a change the stream is about to send (Binance pushes a ticker once a second and
 * depth every 100 ms), and a stream that delivers meanwhile is not silent any more.
 */
export const MISSED_GRACE_MS = 1000;

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

export interface SilentStreamHost {
  exchange(): StreamExchange | undefined;
  readonly clock: { now(): number };
  /** The session's REST reads for its streams, a few at a time (shared with the tape's recovery). */
  readonly restLane: Pick<RestLane, 'run'>;
  readonly report: Pick<SessionReport, 'countError' | 'changed'>;
  /** Owns the tickers' shared requests (each tape or book check is its subscription's task). */
  readonly owner: Owner;
  /** Delivers what ccxt cached for `sub`'s stream that no watch has returned, if anything. */
  catchUp(sub: Subscription): void;
}

interface Check {
  readonly sub: Subscription;
  /** The silence it is about: when the stream's last data, quiet answer or watch came. */
  readonly since: number;
  readonly askedAt: number;
  verdict: SilenceVerdict | 'asking';
  /** When the verdict came. */
  answeredAt: number;
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
  /** Tickers asked about in this turn (one request for them, once the pass is over). */
  private tickers: Check[] | undefined;

  constructor(private readonly host: SilentStreamHost) {}

  /**
   * The sweep found live stream `sub` silent for half its limit or more. True while
   * the exchange is asked (at most once per silence) whether the market is only
   * quiet, and for MISSED_GRACE_MS after an answer that the stream missed data: the
   * sweep leaves the stream be. False after that, once REST cannot say (failed, no
   * ids), and at once for a book or ticker without a mark: past its limit, the sweep
   * declares it stale. A quiet answer moves `sub.quietAt`, which ends this silence.
   */
  mayBeQuiet(sub: Subscription): boolean {
    // what the stream left in ccxt's cache counts as held (it moves the silence if there was any)
    this.host.catchUp(sub);
    // A book or ticker that carries no mark (an exchange without update or trade ids) has nothing to compare.
    if (!sub.target.tape && Number.isNaN(heldMark(sub))) return false;
    const since = silenceOf(sub);
    const last = this.checks.get(sub);
    if (last && last.since === since) return last.verdict === 'asking' || (last.verdict === 'missed' && this.host.clock.now() < last.answeredAt + MISSED_GRACE_MS);
    const ex = this.host.exchange();
    if (!ex) return false;
    const check: Check = { sub, since, askedAt: this.host.clock.now(), verdict: 'asking', answeredAt: NaN };
    this.checks.set(sub, check);
    if (sub.key.channel === 'ticker') this.askWithTickers(ex, check);
    else void sub.owner.run('silence-check', (signal) => this.askOne(ex, check, signal));
    return true;
  }

  private async askOne(ex: StreamExchange, check: Check, signal: AbortSignal): Promise<void> {
    let mark: number | undefined;
    try {
      mark = await this.host.restLane.run(() => restMark(ex, check.sub), signal);
    } catch (e) {
      this.failed([check], e, signal);
      return;
    }
    if (!signal.aborted) this.judge(check, mark);
  }

  /** Joins this turn's ticker request; the first ticker of the turn sends it once the pass is over. */
  private askWithTickers(ex: StreamExchange, check: Check): void {
    if (this.tickers) {
      this.tickers.push(check);
      return;
    }
    const batch = [check];
    this.tickers = batch;
    queueMicrotask(() => {
      this.tickers = undefined;
      for (let i = 0; i < batch.length; i += TICKERS_PER_REQUEST) {
        const part = batch.slice(i, i + TICKERS_PER_REQUEST);
        if (this.host.owner.isDisposed) return;
        void this.host.owner.run('silence-check', (signal) => this.askTickers(ex, part, signal));
      }
    });
  }

  private async askTickers(ex: StreamExchange, checks: Check[], signal: AbortSignal): Promise<void> {
    let marks: Map<Subscription, number>;
    try {
      marks = await this.host.restLane.run(() => restTickerMarks(ex, checks.map((c) => c.sub)), signal);
    } catch (e) {
      this.failed(checks, e, signal);
      return;
    }
    if (signal.aborted) return;
    for (const c of checks) if (!c.sub.owner.isDisposed) this.judge(c, marks.get(c.sub) ?? NaN);
  }

  /** A request failed: one error counted; REST cannot vouch for its streams. */
  private failed(checks: Check[], e: unknown, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.host.report.countError(e);
    for (const c of checks) c.verdict = 'unknown';
  }

  private judge(check: Check, mark: number | undefined): void {
    const sub = check.sub;
    // the stream as it is now: data it delivered meanwhile counts
    const held = heldMark(sub);
    check.verdict = judgeSilence(held, mark, this.baselines.get(sub) ?? NaN);
    check.answeredAt = this.host.clock.now();
    if (check.verdict !== 'quiet') return;
    if (Number.isNaN(held) && mark !== undefined) this.baselines.set(sub, mark);
    // Only data after the question could have been missed since: the silence counts from it.
    sub.quietAt = check.askedAt;
    this.host.report.changed(); // the screen shows the quiet row live (status quietAt)
  }
}
