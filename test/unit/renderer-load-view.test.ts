// Overload made visible, renderer side: the figures (pure view model), the renderer's
// own loop-lag meter on fake time, and the status bar and diagnostics load table
// rendered to markup from a real app store.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ExchangeStatus, TerminalLoad } from '../../shared/contract/status';
import type { EngineDiagnostics } from '../../shared/contract/renderer-api';
import { ERROR_CLASSES } from '../../shared/market';
import { loadRows, processLags, statusBarLoad } from '../../renderer/src/state/load-view';
import { LoopLagMeter } from '../../renderer/src/state/loop-lag';
import { createAppStore } from '../../renderer/src/state/app-store';
import { RuntimeContext } from '../../renderer/src/ui/runtime-context';
import type { Runtime } from '../../renderer/src/runtime';
import { StatusBar } from '../../renderer/src/ui/StatusBar';
import { LoadTable } from '../../renderer/src/ui/DiagnosticsPanel';

function exchange(id: string, over: Partial<ExchangeStatus> = {}): ExchangeStatus {
  return {
    exchange: id, state: 'connected', mode: 'live', reconnects: 0, attempt: 0, connections: 1, messagesPerSec: 0,
    exchangeLatencyMs: { p50: 0, p99: 0 }, processingLatencyMs: { p50: 0, p99: 0 },
    errors: Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as ExchangeStatus['errors'], ...over,
  };
}

const storm = [exchange('sim', { messagesPerSec: 12000, processedPerSec: 8000, tickersCoalesced: 40, tradesShed: 7, behind: true }), exchange('okx', { messagesPerSec: 30, processedPerSec: 30 })];
const load: TerminalLoad = { offeredPerSec: 12030, processedPerSec: 8030, tickersCoalesced: 40, tradesShed: 7, behind: ['sim'], streamingLoopLagMs: 640, hostLoopLagMs: 12 };

describe('load view model', () => {
  it('one row per exchange and the terminal sum', () => {
    expect(loadRows(storm)).toEqual([
      { name: 'sim', offered: '12,000', processed: '8,000', coalesced: 40, shed: 7, behind: true },
      { name: 'okx', offered: '30.0', processed: '30.0', coalesced: 0, shed: 0, behind: false },
      { name: 'terminal', offered: '12,030', processed: '8,030', coalesced: 40, shed: 7, behind: true },
    ]);
    expect(loadRows([exchange('x')])[0]!.processed).toBe('—'); // not reported (an older process)
  });

  it('each process lag, a dash until measured', () => {
    expect(processLags(load, 3.25)).toEqual([{ process: 'streaming', lag: '640' }, { process: 'host', lag: '12.0' }, { process: 'renderer', lag: '3.3' }]);
    expect(processLags(undefined, undefined).map((p) => p.lag)).toEqual(['—', '—', '—']);
  });

  it('the status bar shows the figures while behind, a rate otherwise, and every figure on hover', () => {
    const behind = statusBarLoad(storm, load);
    expect(behind.behind).toBe(true);
    expect(behind.text).toBe('behind: offered 12,030 msg/s · processed 8,030 msg/s · 40 tickers coalesced · 7 trades shed');
    expect(behind.title).toBe('behind (sim): offered 12,030 msg/s · processed 8,030 msg/s · 40 tickers coalesced · 7 trades shed · loop lag: streaming 640 ms, host 12.0 ms');
    const calm = statusBarLoad([exchange('sim', { messagesPerSec: 24, processedPerSec: 24 })], undefined);
    expect(calm).toEqual({ behind: false, text: '24.0 msg/s', title: 'offered 24.0 msg/s · processed 24.0 msg/s · 0 tickers coalesced · 0 trades shed' });
  });
});

describe('LoopLagMeter', () => {
  function clock() {
    let t = 0;
    let timers: { at: number; fn: () => void }[] = [];
    return {
      now: () => t,
      setTimeout: (fn: () => void, ms: number) => {
        const timer = { at: t + ms, fn };
        timers.push(timer);
        return () => (timers = timers.filter((x) => x !== timer));
      },
      /** Runs due timers; `lateMs` delays each firing as a busy loop would. */
      advance(ms: number, lateMs = 0) {
        const end = t + ms;
        for (;;) {
          const next = timers.filter((x) => x.at + lateMs <= end).sort((a, b) => a.at - b.at)[0];
          if (!next) break;
          timers = timers.filter((x) => x !== next);
          t = next.at + lateMs;
          next.fn();
        }
        t = end;
      },
      pending: () => timers.length,
    };
  }

  it('reports the worst lateness since the last take, and holds no timer once stopped', () => {
    const c = clock();
    const meter = new LoopLagMeter(c, 250);
    expect(c.pending()).toBe(0); // nothing until something shows it
    meter.start();
    expect(meter.take()).toBeUndefined();
    c.advance(250);
    expect(meter.take()).toBe(0);
    c.advance(400, 120); // one firing, 120 ms late
    expect(meter.take()).toBe(120);
    c.advance(250);
    expect(meter.take()).toBe(0);
    meter.stop();
    expect(c.pending()).toBe(0);
    expect(meter.running).toBe(false);
  });
});

describe('status bar and load table', () => {
  function render(node: Parameters<typeof createElement>[0], exchanges: ExchangeStatus[], diagnostics?: EngineDiagnostics, props: Record<string, unknown> = {}) {
    const app = createAppStore('headless', { status: 'open' });
    app.getState().setStatus(exchanges, []);
    if (diagnostics) app.getState().setDiagnostics(diagnostics);
    // Server rendering reads a store's initial state: this one's initial state is now.
    const runtime = { app: { ...app, getInitialState: app.getState } } as unknown as Runtime;
    return renderToStaticMarkup(createElement(RuntimeContext.Provider, { value: runtime }, createElement(node as never, props as never)));
  }
  const diagnostics: EngineDiagnostics = { at: 1, streaming: { restarts: 0, state: 'running' }, handlers: {}, components: [], ipc: { batchesInPerSec: 0, framesOutPerSec: 0, ticksInPerSec: 0 }, load };

  it('the status bar names the terminal behind with its figures', () => {
    const html = render(StatusBar, storm, diagnostics);
    expect(html).toContain('data-terminal-load="behind"');
    expect(html).toContain('behind: offered 12,030 msg/s · processed 8,030 msg/s · 40 tickers coalesced · 7 trades shed');
    expect(html).toContain('data-behind="sim"');
    const calm = render(StatusBar, [exchange('sim', { messagesPerSec: 5 })]);
    expect(calm).toContain('data-terminal-load="keeping-up"');
    expect(calm).not.toContain('behind:');
  });

  it('the load table has a row per exchange and the terminal, and a lag per process', () => {
    const html = render(LoadTable, storm, diagnostics, { rendererLagMs: 8 });
    expect(html).toMatch(/data-load-row="sim" data-behind="yes".*?<td data-offered="true">12,000<\/td><td data-processed="true">8,000<\/td><td>40<\/td><td>7<\/td><td class="txt">behind<\/td>/);
    expect(html).toMatch(/data-load-row="terminal" data-behind="yes".*?<td data-offered="true">12,030<\/td><td data-processed="true">8,030<\/td>/);
    expect(html).toMatch(/data-process="streaming"><td class="txt">streaming<\/td><td>640<\/td>/);
    expect(html).toMatch(/data-process="host"><td class="txt">host<\/td><td>12.0<\/td>/);
    expect(html).toMatch(/data-process="renderer"><td class="txt">renderer<\/td><td>8.0<\/td>/);
  });
});
