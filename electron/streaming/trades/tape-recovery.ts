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
 * Holes of one tape that may wait for REST, the one being recovered included. Holes
 * are recovered one at a time, in order: a stream whose ids jump on every message (an
 * exchange whose trade ids are not consecutive, a storm evicting from ccxt's cache)
 * must not turn into a REST call per message. A hole past this bound is still marked,
 * in its turn, with nothing recovered (counted as unrecovered): never silently.
 */
export const MAX_HOLES_FOR_REST = 4;

interface WaitingHole {
  hole: TapeHole;
  evicted: number;
  rest: boolean;
}

/** Each subscription's holes waiting for their turn (absent: none, nothing running). */
const waitingBySub = new WeakMap<Subscription, WaitingHole[]>();

/**
 * Recovers `hole` of `sub`'s tape as a task of the subscription (its end cancels it),
 * after the holes before it. `evicted`: trades ccxt's cache dropped in this hole; those
 * REST does not recover are shed.
 */
export function recoverTapeHole(host: TapeRecoveryHost, sub: Subscription, hole: TapeHole, evicted = 0): void {
  // the continuity tracker reuses its field for the next trade: keep a copy
  const entry: WaitingHole = { hole: { ...hole }, evicted, rest: true };
  const waiting = waitingBySub.get(sub);
  if (waiting) {
    entry.rest = waiting.length < MAX_HOLES_FOR_REST;
    waiting.push(entry);
    return;
  }
  const queue = [entry];
  waitingBySub.set(sub, queue);
  void sub.owner.run('tape-recovery', async (signal) => {
    try {
      // the head stays in the queue while it is recovered, so it counts against the bound
      for (let next = queue[0]; next && !signal.aborted; queue.shift(), next = queue[0]) await recoverOne(host, sub, next, signal);
    } finally {
      waitingBySub.delete(sub);
    }
  });
}

async function recoverOne(host: TapeRecoveryHost, sub: Subscription, { hole: at, evicted, rest }: WaitingHole, signal: AbortSignal): Promise<void> {
  let recovered: Recovered = { trades: [], covered: 0 };
  const ex = rest ? host.exchange() : undefined;
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
  const skipped = rest ? '' : ` (not asked of REST: ${MAX_HOLES_FOR_REST} holes of this tape were already waiting)`;
  host.report.event('TRADES_GAP', sub, { message: `${Math.round(at.endedAt - at.startedAt)} ms without trades (${at.cause}); ${what}${skipped}` });
  host.report.changed();
}
