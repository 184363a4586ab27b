// Diagnostics: per-exchange health, the streaming process's vital signs, tasks and
// handlers, IPC rates and the connection timeline. Fed by 'status', 'diagnostics'
// and 'timeline' messages (a few per second), never by ticks.
import type { ExchangeStatus } from '../../../shared/contract/status';
import { MODE_LABEL, formatBytes, formatClock, formatDuration, formatMs, formatRate } from '../format/format';
import { useEffect, useRef, useState } from 'react';
import { useApp, useRuntime } from './runtime-context';
import { Timeline } from './Timeline';
import { loadRows, processLags, refusedRows, TERMINAL } from '../state/load-view';
import { LoopLagMeter } from '../state/loop-lag';
import { useOnScreen } from './use-on-screen';

export function DiagnosticsPanel() {
  const show = useApp((s) => s.showDiagnostics);
  // Without the host these figures are history, not health: say so and dim them.
  const offline = useApp((s) => s.link.status !== 'open');
  const ready = useApp((s) => s.ready);
  const { api } = useRuntime();
  const el = useRef<HTMLElement>(null);
  // On screen, not merely mounted: a visible page, and not hidden behind another tab.
  const onScreen = useOnScreen(el, show);
  // Main sends full diagnostics only while some renderer shows them; told again after every hello (a new session).
  useEffect(() => {
    if (!show || !ready || !onScreen) return;
    api.send({ type: 'diagnostics-visible', visible: true });
    return () => api.send({ type: 'diagnostics-visible', visible: false });
  }, [show, ready, onScreen, api]);
  if (!show) return null;
  return (
    <aside ref={el} className={offline ? 'diagnostics offline' : 'diagnostics'} data-testid="diagnostics" data-on-screen={onScreen ? 'yes' : 'no'} aria-label="Diagnostics">
      {offline && <p className="last-known">Host unreachable: last known values.</p>}
      <ExchangeTable />
      <MeasuredLoadTable onScreen={onScreen} />
      <BooksAndTapes />
      <div className="diag-grid">
        <StreamingProcess />
        <Engine />
      </div>
      <Timeline />
    </aside>
  );
}

/** Per instrument: each book's state and resyncs by cause, each tape's gaps and what REST recovered. */
function BooksAndTapes() {
  const subscriptions = useApp((s) => s.subscriptions);
  const books = subscriptions.filter((s) => s.book);
  const tapes = subscriptions.filter((s) => s.tape);
  if (!books.length && !tapes.length) return null;
  return (
    <section>
      <h2>Books and tapes</h2>
      <table className="diag-table" data-testid="diag-books">
        <thead>
          <tr>
            <th className="txt">Instrument</th>
            <th className="txt">Book</th>
            <th>Update id</th>
            <th>Resyncs gap/crossed/reconnect</th>
            <th>Tape gaps</th>
            <th>Recovered / lost</th>
          </tr>
        </thead>
        <tbody>
          {[...new Set([...books, ...tapes].map((s) => `${s.exchange}|${s.symbol}`))].map((key) => {
            const book = books.find((s) => `${s.exchange}|${s.symbol}` === key)?.book;
            const tape = tapes.find((s) => `${s.exchange}|${s.symbol}` === key)?.tape;
            return (
              <tr key={key} data-instrument={key}>
                <td className="txt">{key.replace('|', ' ')}</td>
                <td className="txt" data-book-state={book?.state}>{book?.state ?? '—'}</td>
                <td>{book?.lastUpdateId ?? '—'}</td>
                <td data-resyncs>{book ? `${book.resyncs.gap ?? 0} / ${book.resyncs.crossed ?? 0} / ${book.resyncs.reconnect ?? 0}` : '—'}</td>
                <td>{tape?.gaps ?? '—'}</td>
                <td>{tape ? `${tape.recovered} / ${tape.unrecovered}` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
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

/**
 * The renderer's event-loop lag, measured only while the panel is on screen. Shown
 * when the host's diagnostics arrive (2 Hz), in the same render as theirs: a render
 * of its own would be a second React commit and frame every 500 ms.
 */
function useRendererLag(onScreen: boolean): number | undefined {
  const { app } = useRuntime();
  const [lag, setLag] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (!onScreen) return;
    const clock = {
      now: () => performance.now(),
      setTimeout: (fn: () => void, ms: number) => {
        const id = window.setTimeout(fn, ms);
        return () => window.clearTimeout(id);
      },
    };
    const meter = new LoopLagMeter(clock, 500);
    meter.start();
    const off = app.subscribe((state, prev) => {
      if (state.diagnostics !== prev.diagnostics) setLag(meter.take());
    });
    return () => {
      off();
      meter.stop();
    };
  }, [onScreen, app]);
  return lag;
}

/** Load: offered vs processed msg/s, tickers coalesced and trades shed per exchange and in all; each process's event-loop lag. */
function LoadTable({ rendererLagMs }: { rendererLagMs?: number }) {
  const exchanges = useApp((s) => s.exchanges);
  const load = useApp((s) => s.diagnostics?.load);
  return (
    <section>
      <h2>Load</h2>
      <table className="diag-table" data-testid="diag-load">
        <thead>
          <tr>
            <th className="txt">Exchange</th>
            <th>Offered msg/s</th>
            <th>Processed msg/s</th>
            <th>Tickers coalesced</th>
            <th>Trades shed</th>
            <th className="txt">State</th>
          </tr>
        </thead>
        <tbody>
          {loadRows(exchanges).map((r) => (
            <tr key={r.name} data-load-row={r.name} data-behind={r.behind ? 'yes' : 'no'} className={r.name === TERMINAL ? 'total' : undefined}>
              <td className="txt">{r.name === TERMINAL ? <b>terminal</b> : r.name}</td>
              <td data-offered>{r.offered}</td>
              <td data-processed>{r.processed}</td>
              <td>{r.coalesced}</td>
              <td>{r.shed}</td>
              <td className="txt">{r.behind ? 'behind' : 'keeping up'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="diag-table" data-testid="diag-loop-lag">
        <thead>
          <tr>
            <th className="txt">Process</th>
            <th>Event-loop lag ms</th>
          </tr>
        </thead>
        <tbody>
          {processLags(load, rendererLagMs).map((p) => (
            <tr key={p.process} data-process={p.process}>
              <td className="txt">{p.process}</td>
              <td>{p.lag}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MeasuredLoadTable({ onScreen }: { onScreen: boolean }) {
  return <LoadTable rendererLagMs={useRendererLag(onScreen)} />;
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
        <dd data-testid="streaming-memory" title="Memory given back while quiet: V8's young generation, grown for a busier moment">
          {v ? `${formatBytes(v.rssBytes)} / ${formatBytes(v.heapUsedBytes)}${v.memoryTrims ? ` · given back ${v.memoryTrims}× while quiet` : ''}` : '—'}
        </dd>
        <dt>Event loop p50/p99</dt>
        <dd>{v ? `${formatMs(v.eventLoopDelayMs.p50)} / ${formatMs(v.eventLoopDelayMs.p99)} ms` : '—'}</dd>
        <dt title="Every pause stops every tick of the process">GC pauses</dt>
        <dd data-testid="streaming-gc" data-gc-count={v?.gc?.count}>
          {v?.gc ? `${v.gc.count} (${formatDuration(v.gc.pauseMs)} in all) · longest since last beat ${formatMs(v.gc.maxPauseMs)} ms` : '—'}
        </dd>
        <dt>Uptime</dt>
        <dd>{v ? formatDuration(v.uptimeMs) : '—'}</dd>
        <dt title="Ticks out: those sent to the engine; waiting: in the batch not yet sent; the rest were coalesced or shed">Ticks in / out / waiting · batches out</dt>
        <dd>{v ? `${v.ticksIn} / ${v.ticksOut} / ${v.ticksPending} · ${v.batchesOut}` : '—'}</dd>
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
          <h3>Refused input</h3>
          <dl className="kv counts" data-testid="diag-refused">
            {refusedRows(d.refused).map((r) => (
              <div key={r.what} className="kv-row">
                <dt>{r.what}</dt>
                <dd>{r.count}</dd>
              </div>
            ))}
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
