// What REST fallback asks of the session (rest-fallback.ts's FallbackHost), built
// from a narrow view of it: REST rounds over its subscriptions, the WebSocket probe,
// the reports of REST going up and down, and the way back to the socket (every
// subscription not failed reconnects, the gate opens at once).
import type { ReconnectGate } from './reconnect-gate';
import type { FallbackHost } from './rest-fallback';
import { pollSymbol, type PollView } from './rest-poll';
import type { SessionReport } from './session-report';
import { useSource, type Subscription } from './subscription';
import { probeWebSocket, type ProbeHost } from './ws-probe';

export interface FallbackSessionView extends Pick<PollView, 'exchange' | 'subscriptions'> {
  /** The subscription is still in the session's table. */
  has(sub: Subscription): boolean;
  /** The circuit is closed (WebSocket mode). */
  live(): boolean;
  readonly gate: Pick<ReconnectGate, 'succeeded' | 'openNow'>;
  readonly report: SessionReport;
  readonly probe: ProbeHost;
}

export function fallbackHost(view: FallbackSessionView): FallbackHost {
  const { report } = view;
  const poll: PollView = {
    exchange: () => view.exchange(),
    subscriptions: () => view.subscriptions(),
    stillPolled: (s) => !view.live() && view.has(s),
    countError: (e) => report.countError(e),
    changed: () => report.changed(),
  };
  return {
    pollSymbol: (symbol, signal) => pollSymbol(poll, symbol, signal),
    probe: () => probeWebSocket(view.probe),
    restUp: () => {
      report.record('info', 'connection', 'REST polling works again');
      report.changed();
    },
    restDown: (errorClass) => {
      report.event('FAILED', undefined, { message: 'REST polling failing too: exchange down', errorClass });
      report.changed();
    },
    recovered: () => {
      report.event('RECOVERED', undefined, {});
      view.gate.succeeded();
      for (const s of view.subscriptions()) {
        if (s.state === 'failed') continue;
        s.state = 'reconnecting';
        useSource(s, 'ws');
      }
      view.gate.openNow();
    },
  };
}
