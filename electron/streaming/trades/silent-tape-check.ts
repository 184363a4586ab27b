// A live tape that falls silent may only be quiet. Markets often go longer than
// staleAfterMs.trades without a trade (illiquid pairs, night hours), and ccxt's Binance
// opens a socket per new subscription (up to its streamLimits), so a tape is often
// alone on its socket and no other stream's frames vouch for it. Declaring such a
// tape stale cost a reconnect, an outage and a REST catch-up every staleAfterMs, for
// nothing. Instead the exchange's REST history is asked for its newest trade: if the
// tape holds it, the market is quiet and the tape's silence counts from the question
// (Subscription.quietAt); if not, the stream missed trades and the tape is declared
// stale as before (the reconnect's catch-up then fills the hole). A stream that stops
// while its socket still answers pings (the simulator's `silence`) is caught the same
// way: by the trades it missed.
import type { RestLane } from '../rest-lane';
import type { SessionReport } from '../session-report';
import type { StreamExchange } from '../instrumented-exchange';
import type { Subscription } from '../subscription';
import { newestRestTradeId } from './gap-recovery';

export type SilentTapeVerdict = 'quiet' | 'missed' | 'unknown';

/**
 * What the newest trade id of the exchange's REST history (`restId`; undefined: it
 * holds no trade) says of a silent tape whose newest trade id is `tapeId` (NaN: it
 * holds none). `baselineId` is the answer to the previous check of a tape that held no
 * trade (NaN: no such check). The first check of an empty tape cannot tell trades made
 * before the subscription from trades it missed: its answer is the next one's baseline.
 */
export function judgeSilentTape(tapeId: number, restId: number | undefined, baselineId: number): SilentTapeVerdict {
  if (restId === undefined) return 'quiet';
  if (Number.isNaN(restId)) return 'unknown';
  const held = Number.isNaN(tapeId) ? baselineId : tapeId;
  if (Number.isNaN(held)) return 'quiet';
  return restId <= held ? 'quiet' : 'missed';
}

export interface SilentTapeHost {
  exchange(): StreamExchange | undefined;
  readonly clock: { now(): number };
  /** The session's tapes' REST reads, a few at a time (shared with the tape's recovery). */
  readonly restLane: Pick<RestLane, 'run'>;
  readonly report: Pick<SessionReport, 'countError'>;
}

interface Check {
  /** The silence it is about: when the tape's last data, quiet answer or watch came. */
  since: number;
  verdict: SilentTapeVerdict | 'asking';
}

/** When the tape's current silence began, as far as the tape itself knows. */
function silenceOf(sub: Subscription): number {
  return Math.max(sub.lastDataAt, sub.quietAt, sub.armedAt);
}

export class SilentTapeCheck {
  /** The last check of each tape, for the silence it was asked about. */
  private readonly checks = new WeakMap<Subscription, Check>();
  /** Tapes that held no trade at their last check: the newest REST trade id then. */
  private readonly baselines = new WeakMap<Subscription, number>();

  constructor(private readonly host: SilentTapeHost) {}

  /**
   * The sweep found live tape `sub` silent past its limit. True while the exchange is
   * asked (at most once per silence) whether the market is only quiet: the sweep
   * leaves the tape be. False once the answer is that the stream missed trades or that
   * REST cannot say (failed, no trade ids): the sweep declares the tape stale. A quiet
   * answer moves `sub.quietAt`, which ends this silence.
   */
  mayBeQuiet(sub: Subscription): boolean {
    const since = silenceOf(sub);
    const last = this.checks.get(sub);
    if (last && last.since === since) return last.verdict === 'asking';
    const ex = this.host.exchange();
    const tape = sub.target.tape;
    if (!ex || !tape) return false;
    const check: Check = { since, verdict: 'asking' };
    this.checks.set(sub, check);
    const askedAt = this.host.clock.now();
    void sub.owner.run('silent-tape-check', async (signal) => {
      let restId: number | undefined;
      try {
        restId = await this.host.restLane.run(() => newestRestTradeId(ex, sub.key.symbol), signal);
      } catch (e) {
        if (signal.aborted) return;
        this.host.report.countError(e);
        check.verdict = 'unknown';
        return;
      }
      if (signal.aborted) return;
      // the tape as it is now: a trade the stream delivered meanwhile counts
      check.verdict = judgeSilentTape(tape.newestId, restId, this.baselines.get(sub) ?? NaN);
      if (check.verdict !== 'quiet') return;
      if (Number.isNaN(tape.newestId) && restId !== undefined) this.baselines.set(sub, restId);
      // Only trades after the question could have been missed since: the silence counts from it.
      sub.quietAt = askedAt;
    });
    return true;
  }
}
