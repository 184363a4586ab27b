// One subscription's watch loop: wait for the reconnect gate, issue the watch on the
// session's current connection, hand each result to the session, let the event loop
// turn when the turn budget says so, hand over what ccxt cached meanwhile with no
// watch waiting (undelivered-updates.ts), and sort out why a watch failed: rotated away,
// unsubscribed, a book gap, the connection lost (the session's outage path), a
// corrupt update (retried), or a failure of this subscription alone (the loop ends).
import { ccxt } from './exchange-loader';
import { errorMessage } from '../../shared/error-message';
import { sleep, type Scheduler } from '../../shared/lifecycle/timers';
import { callWatch, ExchangeClosedByUser, UnsubscribeError } from './channel-calls';
import { classifyError, isConnectionError } from './errors';
import type { StreamExchange } from './instrumented-exchange';
import type { ReconnectGate } from './reconnect-gate';
import type { BookRecovery } from './book/book-recovery';
import type { SessionReport } from './session-report';
import type { Subscription } from './subscription';
import type { TurnYield } from './turn-yield';
import { ABORTED, AbortableWait } from './abortable-wait';
import { takeUndelivered } from './undelivered-updates';

export interface WatchLoopHost {
  /** The session's current connection; undefined while there is none. */
  exchange(): StreamExchange | undefined;
  readonly gate: Pick<ReconnectGate, 'isOpen' | 'epoch' | 'wait'>;
  readonly turns: Pick<TurnYield, 'due'>;
  readonly scheduler: Scheduler;
  readonly report: SessionReport;
  readonly books: Pick<BookRecovery, 'gap'>;
  /** A make-before-break rotation is under way; `rotationSettled` resolves when it ends. */
  rotating(): boolean;
  rotationSettled(): Promise<void>;
  /** The subscription is still in the session's table. */
  has(sub: Subscription): boolean;
  closing(): boolean;
  /** The circuit is closed (WebSocket mode, not polling). */
  live(): boolean;
  deliver(sub: Subscription, result: unknown, ex: StreamExchange): void;
  /** The watch was issued again on `ex` after the connection was lost; `pending` settles with its result. */
  reissued(sub: Subscription, ex: StreamExchange, pending: Promise<unknown>): void;
  connectionLost(sub: Subscription, e: unknown, epoch: number): void;
  /** The subscription failed for good (its outage record forgets it). */
  failed(sub: Subscription): void;
}

const noop = () => undefined;

/** Runs `sub`'s loop until `signal` aborts or the subscription fails. */
export async function runWatchLoop(host: WatchLoopHost, sub: Subscription, signal: AbortSignal): Promise<void> {
  const abortable = new AbortableWait(signal);
  while (!signal.aborted) {
    const ex = host.exchange();
    if (!host.gate.isOpen || !ex) {
      await host.gate.wait(signal);
      continue;
    }
    const epoch = host.gate.epoch;
    let pending: Promise<unknown>;
    try {
      ex.lastWatchUrl = undefined;
      pending = callWatch(ex, sub.key);
    } catch (e) {
      if (!(await loopFailed(host, sub, e, ex, epoch, signal))) return;
      continue;
    }
    pending.catch(noop);
    if (ex.lastWatchUrl) sub.url = ex.lastWatchUrl;
    sub.epoch = epoch;
    if (sub.state === 'reconnecting') host.reissued(sub, ex, pending);
    if (sub.state !== 'live') sub.armedAt = host.scheduler.now();
    try {
      const result = await abortable.wait(pending);
      if (result === ABORTED) return;
      host.deliver(sub, result, ex);
      // Re-arming at once could chain microtasks for seconds: let the loop turn.
      const turn = host.turns.due();
      if (turn && (await abortable.wait(turn)) === ABORTED) return;
      // ccxt resolves only a watch already pending: what it cached meanwhile would wait for the stream's next message
      if (host.gate.isOpen && host.exchange() === ex) {
        const missed = takeUndelivered(ex, sub.key, sub.target.delivered);
        if (missed !== undefined) host.deliver(sub, missed, ex);
      }
    } catch (e) {
      if (signal.aborted) return;
      if (!(await loopFailed(host, sub, e, ex, epoch, signal))) return;
    }
  }
}

/** Handles a failed watch; resolves false when the loop should end. */
async function loopFailed(host: WatchLoopHost, sub: Subscription, e: unknown, ex: StreamExchange, epoch: number, signal: AbortSignal): Promise<boolean> {
  if (e instanceof UnsubscribeError) return !signal.aborted && host.has(sub);
  if (ex !== host.exchange()) return true; // rotated away: continue on the new instance
  if (host.rotating()) {
    // The old connection went while its replacement warms up: wait for the switch.
    await host.rotationSettled();
    return true;
  }
  if (e instanceof ExchangeClosedByUser) {
    if (host.closing()) return false;
    if (!host.live()) return true; // closed for polling: wait on the gate
  }
  if (e instanceof ccxt.ChecksumError) return host.books.gap(sub, e, signal);
  host.report.countError(e);
  if (isConnectionError(e) || e instanceof ExchangeClosedByUser) {
    host.connectionLost(sub, e, epoch);
    return true;
  }
  const cls = classifyError(e);
  if (cls === 'malformed' && ++sub.malformedStreak < 5) {
    // A corrupt update (e.g. order book sequence gap): ccxt resyncs on the next watch.
    await sleep(host.scheduler, 50, signal);
    return true;
  }
  // Bad symbol, rejected subscription, exchange error: only this subscription fails.
  sub.state = 'failed';
  sub.error = { class: cls, message: errorMessage(e) };
  host.report.event('FAILED', sub, { errorClass: cls, message: sub.error.message });
  host.failed(sub);
  host.report.changed();
  return false;
}
