// One REST round for one symbol while the circuit is open: a snapshot of each of
// its subscriptions, written like socket data; a failure is recorded on the
// subscription and counted, and the round goes on with the next one.
import { errorMessage } from '../../shared/error-message';
import { SOURCE_REST } from '../../shared/contract/tick-batch';
import { pollChannel } from './channel-calls';
import { classifyError } from './errors';
import type { StreamExchange } from './instrumented-exchange';
import type { PollOutcome } from './rest-fallback';
import { polled, type Subscription } from './subscription';

/** What a REST round needs to see of its session. */
export interface PollView {
  exchange(): StreamExchange | undefined;
  subscriptions(): Iterable<Subscription>;
  /** False once the socket is back or the subscription left: its result is then dropped. */
  stillPolled(sub: Subscription): boolean;
  countError(e: unknown): void;
  changed(): void;
}

/** Polls every subscription of `symbol` once; undefined when there is nothing to poll or the signal aborted. */
export async function pollSymbol(view: PollView, symbol: string, signal: AbortSignal): Promise<PollOutcome | undefined> {
  const ex = view.exchange();
  const subs = [...view.subscriptions()].filter((s) => s.key.symbol === symbol && s.state !== 'failed');
  if (!ex || !subs.length) return undefined;
  let ok = true;
  for (const s of subs) {
    try {
      s.target.source = SOURCE_REST;
      const r = await pollChannel(ex, s.target, s.key, s.lastTradeTs);
      s.lastTradeTs = r.lastTradeTs;
      if (view.stillPolled(s) && polled(s, r.rx)) view.changed();
    } catch (e) {
      if (signal.aborted) return undefined;
      ok = false;
      view.countError(e);
      s.error = { class: classifyError(e), message: errorMessage(e) };
    }
    if (signal.aborted) return undefined;
  }
  return ok ? { ok } : { ok, errorClass: subs[0]?.error?.class };
}
