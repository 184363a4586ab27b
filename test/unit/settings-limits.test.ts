import { describe, expect, it } from 'vitest';
import {
  addToWatchlist,
  defaultSettings,
  MAX_TIMER_MS,
  MAX_WATCHLIST,
  parseSettings,
  removeFromWatchlist,
  StreamingTuningSchema,
  type Settings,
} from '../../shared/settings';

/** Every numeric leaf of the default settings, as a path. */
function numericPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'number') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => numericPaths(v, [...path, Array.isArray(value) ? Number(k) : k]));
}

function withValue(path: (string | number)[], v: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let at = out;
  path.forEach((p, i) => {
    if (i === path.length - 1) at[p] = v;
    else at = (at[p] = {}) as Record<string, unknown>;
  });
  return out;
}

const errorsOf = (json: unknown): string[] => {
  const r = parseSettings(json);
  return r.ok ? [] : r.errors;
};

describe('settings ranges', () => {
  it('says the range and the value given', () => {
    expect(errorsOf({ streaming: { keepAliveMs: 3_000_000_000 } })).toEqual(['streaming.keepAliveMs: must be between 1000 and 600000 ms (got 3000000000)']);
    expect(errorsOf({ streaming: { circuit: { pollIntervalMs: 1 } } })).toEqual(['streaming.circuit.pollIntervalMs: must be between 1000 and 600000 ms (got 1)']);
    expect(errorsOf({ streaming: { keepAliveMs: 1500.5 } })).toEqual(['streaming.keepAliveMs: must be a whole number between 1000 and 600000 ms (got 1500.5)']);
    expect(errorsOf({ streaming: { rotateAfterMs: 5 } })).toEqual(['streaming.rotateAfterMs: must be 0 (never) or between 60000 and 604800000 ms (got 5)']);
    expect(errorsOf({ streaming: { rotateAfterMs: 0 } })).toEqual([]);
    expect(errorsOf({ ui: { tape: { aggregateMs: 5 } } })).toEqual(['ui.tape.aggregateMs: must be 0 (off) or between 10 and 10000 ms (got 5)']);
    expect(errorsOf({ ui: { ladder: { grouping: 3 } } })).toEqual(['ui.ladder.grouping: must be one of 1, 2, 5, 10, 25, 50, 100 ticks (got 3)']);
    expect(errorsOf({ ui: { ladder: { levels: 51 } } })).toEqual(['ui.ladder.levels: must be between 5 and 50 (got 51)']);
    expect(errorsOf({ ui: { focus: { exchange: 'sim', symbol: 'btc' } } })).toEqual(['ui.focus.symbol: a unified symbol such as "BTC/USDT"']);
    expect(errorsOf({ ui: { ladder: { grouping: 25 }, tape: { aggregateMs: 0, sound: true } } })).toEqual([]);
  });

  it('refuses a value that Node would turn into a 1 ms timer, at every number in the settings', () => {
    const paths = numericPaths(defaultSettings()).filter((p) => p[0] !== 'exchanges' && p[0] !== 'watchlist');
    expect(paths.map((p) => p.join('.'))).toEqual(
      expect.arrayContaining(['streaming.keepAliveMs', 'streaming.backoff.baseMs', 'streaming.backoff.capMs', 'streaming.staleAfterMs.trades', 'streaming.circuit.probeIntervalMs', 'simulator.ratePerSymbol', 'window.width']),
    );
    for (const path of paths) {
      if (path[0] === 'version') continue; // a literal 1
      expect(errorsOf(withValue(path, MAX_TIMER_MS + 1)), path.join('.')).toEqual([expect.stringMatching(new RegExp(`^${path.join('\\.')}: must be .*\\(got ${MAX_TIMER_MS + 1}\\)$`))]);
    }
  });

  it('refuses every duration of 1 ms', () => {
    const durations = numericPaths(defaultSettings()).filter((p) => String(p.at(-1)).endsWith('Ms') || p.includes('staleAfterMs'));
    expect(durations).toHaveLength(11); // ui.tape.aggregateMs among them
    for (const path of durations) expect(errorsOf(withValue(path, 1)), path.join('.')).toHaveLength(1);
  });

  it('checks that the backoff cap is not below its base', () => {
    expect(errorsOf({ streaming: { backoff: { baseMs: 5000, capMs: 2000 } } })).toEqual(['streaming.backoff.capMs: must be at least baseMs (5000 ms) (got 2000)']);
    expect(errorsOf({ streaming: { backoff: { baseMs: 5000, capMs: 5000 } } })).toEqual([]);
  });

  it('caps counts: watchlist, exchanges, channels, book depth, simulator rate', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ exchange: 'sim', symbol: `S${i}/USDT` }));
    expect(errorsOf({ watchlist: entries(MAX_WATCHLIST) })).toEqual([]);
    expect(errorsOf({ watchlist: entries(MAX_WATCHLIST + 1) })).toEqual(['watchlist: at most 1000 entries (got 1001)']);
    const exchanges = Array.from({ length: 33 }, (_, i) => ({ id: `x${i}`, ccxtId: 'binance' }));
    expect(errorsOf({ exchanges, watchlist: [] })).toEqual(['exchanges: at most 32 exchanges (got 33)']);
    expect(errorsOf({ watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT', channels: ['ticker', 'ticker'] }] })).toEqual(['watchlist[0].channels: each channel at most once']);
    expect(errorsOf({ streaming: { bookDepth: 101 } })).toEqual(['streaming.bookDepth: must be between 1 and 100 (got 101)']);
    expect(errorsOf({ simulator: { ratePerSymbol: 20_000 } })).toEqual(['simulator.ratePerSymbol: must be between 0 and 10000 messages/s (got 20000)']);
    expect(errorsOf({ exchanges: [{ id: 'x', ccxtId: 'binance', urls: { ws: `wss://h/${'a'.repeat(2100)}` } }], watchlist: [] })).toEqual(['exchanges[0].urls.ws: at most 2048 characters']);
  });

  it('the defaults are within every range', () => {
    expect(parseSettings(JSON.parse(JSON.stringify(defaultSettings())))).toEqual({ ok: true, settings: defaultSettings() });
  });

  it('the streaming process accepts shortened test timings, but no 1 ms loops and no clamped delays', () => {
    expect(StreamingTuningSchema.safeParse({ keepAliveMs: 200, circuit: { pollIntervalMs: 100 }, backoff: { baseMs: 20, capMs: 200 } }).success).toBe(true);
    expect(StreamingTuningSchema.safeParse({ keepAliveMs: 1 }).success).toBe(false);
    expect(StreamingTuningSchema.safeParse({ keepAliveMs: MAX_TIMER_MS + 1 }).success).toBe(false);
    expect(StreamingTuningSchema.safeParse({ backoff: { baseMs: 500, capMs: 100 } }).success).toBe(false);
  });
});

describe('watchlist edits (validate only the entry)', () => {
  const base = (): Settings => defaultSettings();

  it('adds a valid entry and says what was added', () => {
    const s = base();
    const edit = addToWatchlist(s, { exchange: 'sim', symbol: 'DOT/USDT' });
    expect(edit).toMatchObject({ ok: true, added: [{ exchange: 'sim', symbol: 'DOT/USDT', channels: ['ticker'] }], removed: [] });
    if (!edit.ok) return;
    expect(edit.settings.watchlist.at(-1)).toEqual({ exchange: 'sim', symbol: 'DOT/USDT', channels: ['ticker'] });
    expect(s.watchlist).toEqual(defaultSettings().watchlist); // the input is not changed
    expect(parseSettings(edit.settings)).toEqual({ ok: true, settings: edit.settings }); // the full schema agrees
  });

  it('refuses a bad entry, an unknown exchange, a duplicate and a full watchlist', () => {
    expect(addToWatchlist(base(), { exchange: 'sim', symbol: 'btc' })).toEqual({
      ok: false,
      level: 'error',
      message: 'Invalid watchlist entry: symbol: a unified symbol such as "BTC/USDT"',
    });
    expect(addToWatchlist(base(), { exchange: 'nope', symbol: 'BTC/USDT' })).toEqual({ ok: false, level: 'error', message: 'Unknown exchange "nope".' });
    expect(addToWatchlist(base(), { exchange: 'sim', symbol: 'BTC/USDT' })).toEqual({ ok: false, level: 'info', message: 'BTC/USDT on sim is already on the watchlist.' });
    const full = { ...base(), watchlist: Array.from({ length: MAX_WATCHLIST }, (_, i) => ({ exchange: 'sim', symbol: `S${i}/USDT`, channels: ['ticker' as const] })) };
    expect(addToWatchlist(full, { exchange: 'sim', symbol: 'DOT/USDT' })).toEqual({
      ok: false,
      level: 'error',
      message: 'The watchlist is full (1000 entries); remove one before adding DOT/USDT.',
    });
  });

  it('removes an entry, and says when there is nothing to remove', () => {
    const edit = removeFromWatchlist(base(), 'sim', 'ETH/USDT');
    expect(edit).toMatchObject({ ok: true, added: [], removed: [{ exchange: 'sim', symbol: 'ETH/USDT' }] });
    if (edit.ok) expect(edit.settings.watchlist.some((w) => w.exchange === 'sim' && w.symbol === 'ETH/USDT')).toBe(false);
    expect(removeFromWatchlist(base(), 'sim', 'DOT/USDT')).toEqual({ ok: false, level: 'info', message: 'DOT/USDT on sim is not on the watchlist.' });
  });
});
