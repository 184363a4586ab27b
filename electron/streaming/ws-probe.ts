// The WebSocket probe of REST fallback: one watch of one subscription on the current
// connection; a hit when it delivers within the probe window. A miss is counted and
// leaves no half-open socket behind (the loops are parked on the closed gate).
import { ccxt } from './exchange-loader';
import type { Owner } from '../../shared/lifecycle/owner';
import { settleWithin, type Scheduler } from '../../shared/lifecycle/timers';
import { callWatch } from './channel-calls';
import type { StreamExchange } from './instrumented-exchange';
import type { ProbeHit } from './rest-fallback';
import type { SessionReport } from './session-report';
import type { Subscription } from './subscription';

export interface ProbeHost {
  exchange(): StreamExchange | undefined;
  /** The subscription to probe with (undefined: nothing to probe). */
  candidate(): Subscription | undefined;
  /** How long the probe of `sub` may wait for data. */
  windowMs(sub: Subscription): number;
  /** The reconnect gate's epoch now (the probe's data counts under it). */
  epoch(): number;
  /** The circuit is closed again (WebSocket mode). */
  live(): boolean;
  deliver(sub: Subscription, result: unknown, ex: StreamExchange): void;
  /** Closes a connection, bounded; never throws. */
  close(ex: StreamExchange): Promise<void>;
  readonly report: SessionReport;
  readonly scheduler: Scheduler;
  readonly owner: Owner;
}

const noop = () => undefined;

export async function probeWebSocket(host: ProbeHost): Promise<ProbeHit | undefined> {
  const ex = host.exchange();
  const sub = host.candidate();
  if (!ex || !sub) return undefined;
  try {
    const p = callWatch(ex, sub.key);
    p.catch(noop);
    const url = ex.lastWatchUrl;
    const within = host.windowMs(sub);
    const r = await settleWithin(p, within, host.scheduler, host.owner);
    if (r.timedOut) throw new ccxt.RequestTimeout(`no data within ${within} ms`);
    return {
      current: () => ex === host.exchange(),
      deliver: () => {
        if (url) sub.url = url;
        sub.epoch = host.epoch();
        host.deliver(sub, r.value, ex);
      },
    };
  } catch (e) {
    host.report.countError(e);
    // Leave no half-open probe socket behind; loops are parked on the closed gate.
    if (ex === host.exchange() && !host.live()) await host.close(ex);
    return undefined;
  }
}
