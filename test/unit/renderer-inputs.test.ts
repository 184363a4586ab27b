import { describe, expect, it } from 'vitest';
import { SimFaultSchema } from '../../shared/contract/sim-faults';
import { defaultSettings } from '../../shared/settings';
import { PerfRecorder } from '../../renderer/src/perf/perf-recorder';
import { DEV_FAULTS, exchangeSymbol } from '../../renderer/src/state/dev-faults';
import { checkWatchInput } from '../../renderer/src/state/watch-input';

const settings = defaultSettings();

describe('watch form input', () => {
  it('accepts a unified symbol on a known exchange', () => {
    expect(checkWatchInput('sim', ' DOGE/USDT ', settings)).toEqual({ ok: true, exchange: 'sim', symbol: 'DOGE/USDT' });
  });

  it('explains what is wrong inline', () => {
    const bad = checkWatchInput('sim', 'doge-usdt', settings);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('a unified symbol such as "BTC/USDT"');
    expect(checkWatchInput('sim', '', settings).ok).toBe(false);
    expect(checkWatchInput('nope', 'DOGE/USDT', settings)).toEqual({ ok: false, error: 'Choose an exchange.' });
    const dup = checkWatchInput('sim', 'BTC/USDT', settings);
    expect(!dup.ok && dup.error).toContain('already in the watchlist');
  });
});

describe('watch form input per adapter kind', () => {
  it('accepts IB notation on an IB entry and says what an entry of each kind expects', () => {
    expect(checkWatchInput('sim-ib', 'MSFT@SMART:STK:USD', settings)).toEqual({ ok: true, exchange: 'sim-ib', symbol: 'MSFT@SMART:STK:USD' });
    expect(checkWatchInput('sim-ib', 'DOGE/USDT', settings)).toEqual({
      ok: false,
      error: 'sim-ib (ib) expects IB notation SYMBOL@EXCHANGE:TYPE such as "AAPL@SMART:STK:USD", "ES@CME:FUT:202612" or "EUR.USD@IDEALPRO:CASH".',
    });
    expect(checkWatchInput('sim', 'MSFT@SMART:STK:USD', settings)).toEqual({ ok: false, error: 'sim (ccxt) expects a unified symbol such as "BTC/USDT".' });
    const bad = checkWatchInput('sim-ib', 'MSFT@SMART:OPT', settings);
    expect(!bad.ok && bad.error).toContain('"OPT" is not a supported type (STK, FUT or CASH)');
  });
});

describe('developer menu faults', () => {
  it('offers every fault the brief lists, each valid for the simulator', () => {
    expect(DEV_FAULTS.map((f) => f.id)).toEqual([
      'drop-1000',
      'drop-1006',
      'refuse',
      'silence',
      'ignore-pings',
      'malformed',
      'reject-subscription',
      'rest-error',
      'burst',
      'storm',
      'server-shutdown',
      'lifetime',
      'book-gap',
      'book-crossed',
      'book-stale-snapshot',
      'trades-pause',
      'clear',
    ]);
    for (const f of DEV_FAULTS) expect(SimFaultSchema.safeParse(f.fault('BTCUSDT')).success).toBe(true);
    expect(DEV_FAULTS.find((f) => f.id === 'reject-subscription')?.fault(exchangeSymbol('eth/usdt'))).toEqual({
      kind: 'reject-subscription',
      symbol: 'ETHUSDT',
    });
  });
});

describe('perf recorder', () => {
  it('keeps bounded arrays and resets in place', () => {
    const perf = new PerfRecorder(10, 10);
    const frames = perf.frames;
    for (let seq = 0; seq < 25; seq++) perf.recordFrame({ seq, paintedAt: seq, paintDoneAt: seq, receivedAtMin: 0, receivedAtMax: 0, rows: 1, scriptMs: 0.1, depthReceivedAt: null, tradeTimeMin: null, sentAt: 0, appliedAt: 0 });
    expect(perf.frames.length).toBeLessThanOrEqual(10);
    expect(perf.frames[perf.frames.length - 1]?.seq).toBe(24);
    perf.recordCommit();
    perf.recordLongTask(55);
    perf.reset();
    expect(frames).toHaveLength(0);
    expect(perf.commits).toBe(0);
    expect(perf.longTasks).toHaveLength(0);
  });
});
