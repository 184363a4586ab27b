// Diagnostics: per-exchange health, the streaming process's vital signs, tasks and
// handlers, IPC rates and the connection timeline. Fed by 'status', 'diagnostics'
// and 'timeline' messages (a few per second), never by ticks.
import type { ExchangeStatus } from '../../../shared/contract/status';
import { MODE_LABEL, formatBytes, formatClock, formatDuration, formatMs, formatRate } from '../format/format';
import { useApp } from './runtime-context';
import { Timeline } from './Timeline';

export function DiagnosticsPanel() {
  const show = useApp((s) => s.showDiagnostics);
  // Without the host these figures are history, not health: say so and dim them.
  const offline = useApp((s) => s.link.status !== 'open');
  if (!show) return null;
  return (
    <aside className={offline ? 'diagnostics offline' : 'diagnostics'} data-testid="diagnostics" aria-label="Diagnostics">
      {offline && <p className="last-known">Host unreachable: last known values.</p>}
      <ExchangeTable />
      <div className="diag-grid">
        <StreamingProcess />
        <Engine />
      </div>
      <Timeline />
    </aside>
  );
}

function ExchangeTable() {
  const exchanges = useApp((s) => s.exchanges);
  const subscriptions = useApp((s) => s.subscriptions);
  return (
    <section>
      <h2>Exchanges</h2>
      <table className="diag-table">
        <thead>
          <tr>
            <th className="txt">Exchange</th>
            <th className="txt">State</th>
            <th className="txt">Mode</th>
            <th>Reconnects</th>
            <th>Attempt</th>
            <th>Sockets</th>
            <th>Msg/s</th>
            <th>Exch→rx p50/p99 ms</th>
            <th>Proc p50/p99 ms</th>
            <th className="txt">Load</th>
            <th className="txt">Subscriptions</th>
            <th className="txt">Errors</th>
            <th className="txt">Last error</th>
          </tr>
        </thead>
        <tbody>
          {exchanges.length === 0 && (
            <tr>
              <td colSpan={13} className="txt muted">
                No status from the streaming process yet.
              </td>
            </tr>
          )}
          {exchanges.map((e) => (
            <tr key={e.exchange} data-state={e.state}>
              <td className="txt">
                <b>{e.exchange}</b>
              </td>
              <td className="txt">{e.state}</td>
              <td className="txt">{MODE_LABEL[e.mode]}</td>
              <td data-diag-reconnects={e.exchange}>{e.reconnects}</td>
              <td>{e.attempt}</td>
              <td>{e.connections}</td>
              <td>{formatRate(e.messagesPerSec)}</td>
              <td>
                {formatMs(e.exchangeLatencyMs.p50)} / {formatMs(e.exchangeLatencyMs.p99)}
              </td>
              <td>
                {formatMs(e.processingLatencyMs.p50)} / {formatMs(e.processingLatencyMs.p99)}
              </td>
              <td className="txt" data-diag-load={e.exchange} data-behind={e.behind ? 'yes' : 'no'}>
                {e.behind ? 'behind' : 'keeping up'} · loop lag {formatMs(e.loopLagMs ?? 0)} ms · {e.tradesShed ?? 0} trades shed
              </td>
              <td className="txt">{subscriptionSummary(subscriptions.filter((s) => s.exchange === e.exchange))}</td>
              <td className="txt">{errorSummary(e)}</td>
              <td className="txt last-error">
                {e.lastError ? `${formatClock(e.lastError.at)} ${e.lastError.class}: ${e.lastError.message}` : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function errorSummary(e: ExchangeStatus): string {
  const parts = Object.entries(e.errors)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([cls, n]) => `${cls} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

function subscriptionSummary(subs: readonly { state: string }[]): string {
  const counts = new Map<string, number>();
  for (const s of subs) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  return counts.size ? [...counts].map(([state, n]) => `${n} ${state}`).join(', ') : '—';
}

function StreamingProcess() {
  const streaming = useApp((s) => s.diagnostics?.streaming);
  if (!streaming) {
    return (
      <section>
        <h2>Streaming process</h2>
        <p className="muted">No diagnostics yet.</p>
      </section>
    );
  }
  const v = streaming.vitals;
  return (
    <section>
      <h2>Streaming process</h2>
      <dl className="kv">
        <dt>State</dt>
        <dd data-streaming-state={streaming.state}>{streaming.state}</dd>
        <dt>Restarts</dt>
        <dd data-testid="streaming-restarts">{streaming.restarts}</dd>
        {streaming.lastRestartReason && (
          <>
            <dt>Last restart</dt>
            <dd>{streaming.lastRestartReason}</dd>
          </>
        )}
        <dt>PID</dt>
        <dd>{v?.pid ?? '—'}</dd>
        <dt>RSS / heap</dt>
        <dd>{v ? `${formatBytes(v.rssBytes)} / ${formatBytes(v.heapUsedBytes)}` : '—'}</dd>
        <dt>Event loop p50/p99</dt>
        <dd>{v ? `${formatMs(v.eventLoopDelayMs.p50)} / ${formatMs(v.eventLoopDelayMs.p99)} ms` : '—'}</dd>
        <dt>Uptime</dt>
        <dd>{v ? formatDuration(v.uptimeMs) : '—'}</dd>
        <dt>Ticks in / batches out</dt>
        <dd>{v ? `${v.ticksIn} / ${v.batchesOut}` : '—'}</dd>
        <dt>Event handlers</dt>
        <dd>{v?.handlers ?? '—'}</dd>
      </dl>
      <h3>Tasks by category</h3>
      <Counts record={v?.tasks} />
    </section>
  );
}

function Engine() {
  const d = useApp((s) => s.diagnostics);
  return (
    <section>
      <h2>Main process</h2>
      {d ? (
        <>
          <dl className="kv">
            <dt>IPC batches in/s</dt>
            <dd>{formatRate(d.ipc.batchesInPerSec)}</dd>
            <dt>IPC ticks in/s</dt>
            <dd>{formatRate(d.ipc.ticksInPerSec)}</dd>
            <dt>Frames out/s</dt>
            <dd>{formatRate(d.ipc.framesOutPerSec)}</dd>
          </dl>
          <h3>Event handlers by type</h3>
          <Counts record={d.handlers} />
          <h3>Components</h3>
          <ul className="components">
            {d.components.map((c) => (
              <li key={c.name} data-state={c.state}>
                <b>{c.name}</b> {c.state}
                {c.error && <span className="err"> — {c.error}</span>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">No diagnostics yet.</p>
      )}
    </section>
  );
}

function Counts({ record }: { record: Record<string, number> | undefined }) {
  const entries = Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">none</p>;
  return (
    <dl className="kv counts">
      {entries.map(([name, n]) => (
        <div key={name} className="kv-row">
          <dt>{name}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}
