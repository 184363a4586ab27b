// What the session does with a hole in the tape: recover what REST still has, then
// send the marker with the recovered trades in one batch (so the tape never shows the
// hole without saying so), count it on the subscription and report it.
import type { StreamExchange } from '../instrumented-exchange';
import { shedOfHole, writeRecovered } from '../channel-calls';
import type { SessionReport } from '../session-report';
import type { Subscription } from '../subscription';
import { recoverHole, type Recovered } from './gap-recovery';
import type { TapeHole } from './tape-continuity';

export interface TapeRecoveryHost {
  /** The connection to ask over REST, if any. */
  exchange(): StreamExchange | undefined;
  readonly clock: { now(): number };
  readonly report: SessionReport;
}

/**
 * Recovers `hole` of `sub`'s tape as a task of the subscription (its end cancels it).
 * `evicted`: trades ccxt's cache dropped in this hole; those REST does not recover are shed.
 */
export function recoverTapeHole(host: TapeRecoveryHost, sub: Subscription, hole: TapeHole, evicted = 0): void {
  const at = { ...hole }; // the continuity tracker reuses its field for the next trade
  void sub.owner.run('tape-recovery', async (signal) => {
    let recovered: Recovered = { trades: [], covered: 0 };
    const ex = host.exchange();
    if (ex) {
      try {
        recovered = await recoverHole(ex, sub.key.symbol, at, signal);
      } catch (e) {
        if (signal.aborted) return;
        host.report.countError(e);
      }
    }
    if (signal.aborted) return;
    writeRecovered(sub.target, recovered.trades, host.clock.now());
    const missing = at.missing;
    const covered = Number.isNaN(missing) ? 0 : Math.min(missing, recovered.covered);
    sub.target.sink.gap({ key: sub.target.instrument, fromId: at.fromId, toId: at.toId, missing, recovered: covered, startedAt: at.startedAt, endedAt: Math.max(at.startedAt, at.endedAt), cause: at.cause });
    const g = sub.tapeGaps;
    g.gaps++;
    g.recovered += covered;
    if (!Number.isNaN(missing)) g.unrecovered += missing - covered;
    sub.target.tradesShed += shedOfHole(evicted, missing, covered);
    const what = Number.isNaN(missing) ? `${recovered.trades.length} trades recovered` : `${covered} of ${missing} trades recovered (ids ${at.fromId}..${at.toId})`;
    host.report.event('TRADES_GAP', sub, { message: `${Math.round(at.endedAt - at.startedAt)} ms without trades (${at.cause}); ${what}` });
    host.report.changed();
  });
}
