// Bottom bar: each exchange's connection state and mode (and "behind" under
// overload), the terminal's load (its figures in the bar while behind, on hover
// otherwise), the host kind, the link to the host and the streaming process state.
import { useApp } from './runtime-context';
import { MODE_LABEL, formatRate } from '../format/format';
import { statusBarLoad } from '../state/load-view';

export function StatusBar() {
  const exchanges = useApp((s) => s.exchanges);
  const settings = useApp((s) => s.settings);
  const host = useApp((s) => s.host);
  const link = useApp((s) => s.link);
  const streaming = useApp((s) => s.diagnostics?.streaming);
  const diagnosedLoad = useApp((s) => s.diagnostics?.load);
  const offline = link.status !== 'open';
  const reported = new Set(exchanges.map((e) => e.exchange));
  const silent = settings?.exchanges.filter((e) => e.enabled && !reported.has(e.id)) ?? [];
  const load = statusBarLoad(exchanges, diagnosedLoad);

  return (
    <footer className={offline ? 'status-bar offline' : 'status-bar'}>
      <div className="status-bar-row">
        {offline && exchanges.length > 0 && <span className="last-known">last known:</span>}
        {exchanges.map((e) => (
          <span
            key={e.exchange}
            className="ex-status"
            data-exchange-status={e.exchange}
            data-state={e.state}
            data-mode={e.mode}
            title={e.lastError ? `${e.lastError.class}: ${e.lastError.message}` : undefined}
          >
            <span className="dot" />
            <b>{e.exchange}</b> {e.state} · {MODE_LABEL[e.mode]}
            {e.attempt > 0 && <span className="muted"> (attempt {e.attempt})</span>}
            {e.behind && (
              <span className="behind" data-behind={e.exchange} title={`event-loop lag ${Math.round(e.loopLagMs ?? 0)} ms, offered ${formatRate(e.messagesPerSec)} msg/s, processed ${e.processedPerSec === undefined ? '—' : formatRate(e.processedPerSec)} msg/s`}>
                {' '}
                · behind{e.tradesShed ? ` (${e.tradesShed} trades shed)` : ''}
              </span>
            )}
          </span>
        ))}
        {exchanges.length > 0 && (
          <span className={load.behind ? 'terminal-load behind' : 'terminal-load muted'} data-terminal-load={load.behind ? 'behind' : 'keeping-up'} title={load.title}>
            {load.text}
          </span>
        )}
        {silent.map((e) => (
          <span key={e.id} className="ex-status muted">
            <b>{e.id}</b> no status yet
          </span>
        ))}
        <span className="spacer" />
        <span className="muted">
          streaming: <b data-streaming-state={streaming?.state ?? 'unknown'}>{streaming?.state ?? 'unknown'}</b>
          {streaming && streaming.restarts > 0 && ` (${streaming.restarts} restarts)`}
        </span>
        <span className="muted">
          host: <b>{host}</b> · {link.status === 'open' ? 'connected' : link.status}
        </span>
      </div>
    </footer>
  );
}
