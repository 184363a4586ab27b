// What the session does with a hole in the tape: recover what REST still has, then
// send the marker with the recovered trades in one batch (so the tape never shows the
// hole without saying so), count it on the subscription and report it. After a
// reconnect it also reads REST once at once (a catch-up): a hole at the end of the
// market's activity would otherwise stay unseen until the market trades again.
import type { StreamExchange, WsClientLike } from '../instrumented-exchange';
import { shedOfHole, writeRecovered } from '../channel-calls';
import type { RestLane } from '../rest-lane';
import type { SessionReport } from '../session-report';
import type { Subscription } from '../subscription';
import { recoverHole, type Recovered } from './gap-recovery';
import type { TapeHole } from './tape-continuity';

export interface TapeRecoveryHost {
  /** The connection to ask over REST, if any. */
  exchange(): StreamExchange | undefined;
  readonly clock: { now(): number };
  readonly report: SessionReport;
  /** The session's tapes' REST reads, a few at a time (rest-lane.ts). */
  readonly restLane: Pick<RestLane, 'run'>;
  /**
   * A catch-up found the tape current: its socket is open again and REST has no trade
   * after the last one the tape holds (any it had were sent with their marker). In a
   * market that went quiet no stream trade may come for long; the session need not
   * wait for one to call the subscription restored.
   */
  tapeCurrent(sub: Subscription): void;
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
  /** Undefined for a catch-up: its hole is known only in its turn, from REST. */
  hole: TapeHole | undefined;
  evicted: number;
  rest: boolean;
}

/** Each subscription's holes waiting for their turn (absent: none, nothing running). */
const waitingBySub = new WeakMap<Subscription, WaitingHole[]>();

const noop = (): void => undefined;

/** Subscriptions whose catch-up waits for its socket to open. */
const catchingUp = new WeakSet<Subscription>();

/**
 * Recovers `hole` of `sub`'s tape as a task of the subscription (its end cancels it),
 * after the holes before it. `evicted`: trades ccxt's cache dropped in this hole; those
 * REST does not recover are shed.
 */
export function recoverTapeHole(host: TapeRecoveryHost, sub: Subscription, hole: TapeHole, evicted = 0): void {
  // the continuity tracker reuses its field for the next trade: keep a copy
  enqueue(host, sub, { hole: { ...hole }, evicted, rest: true });
}

/**
 * The interrupted trade subscription `sub` was issued again on `client`: once the
 * socket is open (not if the watch fails first), read REST from the last trade seen
 * and send what the outage missed with its marker, in the queue's order. If the
 * stream delivers first, its first trade reveals the hole itself and the catch-up
 * stands down. At most one catch-up per subscription waits at a time. A tape that
 * held no trade yet is current as soon as its socket is open.
 */
export function catchUpAfterReconnect(host: TapeRecoveryHost, sub: Subscription, client: WsClientLike, watch: Promise<unknown>): void {
  const tape = sub.target.tape;
  if (!tape || !client.connected || catchingUp.has(sub)) return;
  catchingUp.add(sub);
  const opened = client.connected.then(
    () => true,
    () => false,
  );
  const failed = watch.then(
    () => new Promise<boolean>(() => undefined), // data first: the tape's own check decides
    () => false,
  );
  void sub.owner.run('tape-catch-up', async (signal) => {
    let onAbort = noop;
    try {
      const aborted = new Promise<boolean>((r) => signal.addEventListener('abort', (onAbort = () => r(false)), { once: true }));
      if (!(await Promise.race([opened, failed, aborted])) || signal.aborted) return;
      // a tape that held no trade before the outage has nothing the outage could cut short
      if (!tape.catchUpPoint()) host.tapeCurrent(sub);
      // one catch-up waiting for its turn reads REST late enough for this reconnect too
      else if (!waitingBySub.get(sub)?.some((w, i) => i > 0 && w.hole === undefined)) enqueue(host, sub, { hole: undefined, evicted: 0, rest: true });
    } finally {
      signal.removeEventListener('abort', onAbort);
      catchingUp.delete(sub);
    }
  });
}

function enqueue(host: TapeRecoveryHost, sub: Subscription, entry: WaitingHole): void {
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
      for (let next = queue[0]; next && !signal.aborted; queue.shift(), next = queue[0]) await (next.hole ? recoverOne(host, sub, next.hole, next, signal) : catchUpOne(host, sub, signal));
    } finally {
      waitingBySub.delete(sub);
    }
  });
}

async function recoverOne(host: TapeRecoveryHost, sub: Subscription, at: TapeHole, { evicted, rest }: WaitingHole, signal: AbortSignal): Promise<void> {
  let recovered: Recovered = { trades: [], covered: 0, lastId: NaN, lastTs: NaN };
  const ex = rest ? host.exchange() : undefined;
  if (ex) {
    try {
      recovered = await host.restLane.run(() => recoverHole(ex, sub.key.symbol, at, signal), signal);
    } catch (e) {
      if (signal.aborted) return;
      host.report.countError(e);
    }
  }
  if (signal.aborted) return;
  mark(host, sub, at, recovered, evicted, rest);
}

/** The catch-up's turn: what REST has after the last trade seen, marked as the outage's hole. */
async function catchUpOne(host: TapeRecoveryHost, sub: Subscription, signal: AbortSignal): Promise<void> {
  const tape = sub.target.tape;
  const point = tape?.catchUpPoint();
  const ex = host.exchange();
  if (!tape || !point || !ex) return;
  const hole: TapeHole = { fromId: String(point.afterId + 1), toId: '', missing: NaN, startedAt: point.lastTs, endedAt: host.clock.now(), cause: 'outage' };
  let recovered: Recovered;
  try {
    recovered = await host.restLane.run(() => recoverHole(ex, sub.key.symbol, hole, signal), signal);
  } catch (e) {
    // Unseen until the next trade reveals it, as before the catch-up existed.
    if (!signal.aborted) host.report.countError(e);
    return;
  }
  // The stream delivered meanwhile: its first trade revealed any hole, and restored the subscription.
  if (signal.aborted || tape.newestId !== point.afterId) return;
  if (!Number.isNaN(recovered.lastId)) {
    tape.caughtUp(recovered.lastId, recovered.lastTs);
    hole.toId = String(recovered.lastId);
    hole.missing = recovered.lastId - point.afterId;
    mark(host, sub, hole, recovered, 0, true);
  }
  host.tapeCurrent(sub);
}

function mark(host: TapeRecoveryHost, sub: Subscription, at: TapeHole, recovered: Recovered, evicted: number, rest: boolean): void {
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
