// Overload made visible, renderer side: what the status bar and the diagnostics load
// table show (their view model, pure, as the other renderer tests do; the storm e2e
// spec sees them on screen) and the renderer's own loop-lag meter on fake time.
import { describe, expect, it } from 'vitest';
import type { ExchangeStatus, TerminalLoad } from '../../shared/contract/status';
import { ERROR_CLASSES } from '../../shared/market';
import { loadRows, processLags, refusedRows, statusBarLoad } from '../../renderer/src/state/load-view';
import { LoopLagMeter } from '../../renderer/src/state/loop-lag';

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
    const fired: (number | undefined)[] = [];
    const meter: LoopLagMeter = new LoopLagMeter(c, 250, () => fired.push(meter.take()));
    expect(c.pending()).toBe(0); // nothing until something shows it
    meter.start();
    expect(meter.take()).toBeUndefined(); // not fired yet
    c.advance(250);
    c.advance(400, 120); // one firing, 120 ms late
    c.advance(250);
    expect(fired).toEqual([0, 120, 0]); // each firing hands its figure to the display
    meter.stop();
    expect(c.pending()).toBe(0);
    expect(meter.running).toBe(false);
  });
});

describe('refused input view model', () => {
  it('one row per boundary, market data first, nothing before the first report', () => {
    expect(refusedRows(undefined)).toEqual([]);
    const rows = refusedRows({ marketEntries: 3, streamingMessages: 0, rendererMessages: 12, frameNacks: 1, ackTimeouts: 2 });
    expect(rows.map((r) => r.count)).toEqual([3, 0, 12, 1, 2]);
    expect(rows[0]!.what).toBe('malformed market-data entries');
  });
});
