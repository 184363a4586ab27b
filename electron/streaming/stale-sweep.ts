// One watchdog pass over the subscriptions: each silent longer than its channel
// allows is declared stale and its socket made to reconnect (within the budget of
// closes per second), or, with no socket to blame, its loop failed through the
// session's connection-lost path. A live stream is first asked about over REST: its
// market may only be quiet (silent-stream-check.ts). It is asked at half its limit, so
// the answer is in before the limit, where the screen would call its numbers stale.
import { ccxt } from './exchange-loader';
import type { Channel } from '../../shared/market';
import { staleBook } from './book/book-feed';
import type { StreamExchange, WsClientLike } from './instrumented-exchange';
import type { OutageTracker } from './outage-tracker';
import type { SessionReport } from './session-report';
import type { SilenceWatchdog } from './silence-watchdog';
import type { SilentStreamCheck } from './silent-stream-check';

/** A live stream silent past this fraction of its limit is asked about over REST. */
export const ASK_AT_LIMIT = 0.5;
/**
 * A live ticker silent past this fraction joins a pass's ticker request: silences that
 * began a few ms apart (each stream on its own socket, stepped on its own) would
 * otherwise fall due in different passes and be asked about one request each, and
 * stay out of phase, since each one's silence then counts from its own answer.
 */
export const JOIN_AT_LIMIT = 0.25;
import { silentFor, type Subscription } from './subscription';

export interface StaleSweepHost {
  subscriptions(): Iterable<Subscription>;
  readonly staleAfterMs: Record<Channel, number>;
  readonly silence: Pick<SilenceWatchdog, 'mayClose'>;
  readonly outages: Pick<OutageTracker, 'suspect'>;
  readonly report: SessionReport;
  readonly silentStreams: Pick<SilentStreamCheck, 'mayBeQuiet'>;
  connectionLost(sub: Subscription, e: unknown, epoch: number): void;
}

const noop = () => undefined;

/** Judges every subscription of `ex` at time `t`. */
export function sweepStale(host: StaleSweepHost, ex: StreamExchange, t: number): void {
  let tickersAsked = false;
  let nearlyDue: Subscription[] | undefined;
  for (const sub of host.subscriptions()) {
    const client = sub.url ? ex.clients[sub.url] : undefined;
    const silent = silentFor(sub, t, client?.lastFrameAt);
    const limit = host.staleAfterMs[sub.key.channel];
    const askable = client !== undefined && sub.state === 'live';
    if (!(silent > limit * ASK_AT_LIMIT)) {
      if (askable && sub.key.channel === 'ticker' && silent > limit * JOIN_AT_LIMIT) (nearlyDue ??= []).push(sub);
      continue;
    }
    if (askable && host.silentStreams.mayBeQuiet(sub)) {
      if (sub.key.channel === 'ticker') tickersAsked = true;
      continue; // REST is asked
    }
    if (!(silent > limit)) continue;
    if (client && !host.silence.mayClose()) continue; // the budget is spent: judged again next tick
    declareStale(host, sub, client, silent);
  }
  if (tickersAsked && nearlyDue) for (const sub of nearlyDue) host.silentStreams.mayBeQuiet(sub);
}

/** No data for too long: report it and force its socket to reconnect. */
function declareStale(host: StaleSweepHost, sub: Subscription, client: WsClientLike | undefined, silentMs: number): void {
  sub.state = 'stale';
  staleBook(sub.target);
  host.report.event('STALE', sub, { message: `no data for ${Math.round(silentMs)} ms` });
  host.report.changed();
  const err = new ccxt.NetworkError(`${sub.id}: no data for ${Math.round(silentMs)} ms`);
  host.outages.suspect({ reason: 'stale', message: err.message });
  if (client) {
    client.onError(err); // rejects every watch on this socket; ccxt forgets the client
    void client.close()?.catch(noop);
  } else {
    // No socket to blame (never connected): fail the loop through the normal path.
    host.connectionLost(sub, err, sub.epoch);
  }
}
