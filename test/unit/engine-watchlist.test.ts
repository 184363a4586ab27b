import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { SettingsSchema, WatchlistEntrySchema, type Settings } from '../../shared/settings';
import type { Engine } from '../../electron/engine/engine';
import { assembleEngine } from '../../electron/engine/assemble-engine';
import { SettingsStore } from '../../electron/engine/settings/settings-store';
import { quietLogger } from '../support/loggers';

const SECRET_WS = 'wss://alice:s3cret@stream.example.com/ws?apiKey=AK123&stream=btc';

let dir = '';
let store: SettingsStore;
let engine: Engine;
let received: ToRenderer[];

/** An engine that is built but not started: requests change settings, rows and desired subscriptions. */
async function setup(settings: unknown): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'foxtrot-watchlist-'));
  await writeFile(join(dir, 'settings.json'), JSON.stringify(settings));
  store = new SettingsStore({ dataDir: dir, debounceMs: 60_000 });
  await store.load();
  ({ engine } = assembleEngine({
    kind: 'headless',
    log: quietLogger,
    settings: store,
    spawnStreaming: () => {
      throw new Error('not started in this test');
    },
    flushLogs: () => undefined,
    exitApp: () => undefined,
  }));
  received = [];
  engine.renderers.attach({ id: 'r1', send: (m) => void received.push(m) });
}

const nextTurn = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
const watch = (symbol: string, exchange = 'sim') => engine.renderers.receive('r1', { type: 'watch', exchange, symbol, channels: ['ticker'] });
const ofType = <T extends ToRenderer['type']>(type: T) => received.filter((m): m is Extract<ToRenderer, { type: T }> => m.type === type);

beforeEach(() => {
  received = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  store.dispose();
  await rm(dir, { recursive: true, force: true });
});

const BASE = {
  exchanges: [
    { id: 'sim', ccxtId: 'binance', simulated: true },
    { id: 'off', ccxtId: 'binance', enabled: false },
    { id: 'proxy', ccxtId: 'binance', urls: { ws: SECRET_WS, rest: 'https://bob@rest.example.com/api?signature=abc' } },
  ],
  watchlist: [],
};

describe('watchlist changes cost O(1)', () => {
  it('1,500 watch requests: one entry validation each, no full-schema run, one settings broadcast; the cap holds with a notice', async () => {
    await setup(BASE);
    received.length = 0;
    const fullSchema = [vi.spyOn(SettingsSchema, 'safeParse'), vi.spyOn(SettingsSchema, 'parse')];
    const entrySchema = vi.spyOn(WatchlistEntrySchema, 'safeParse');

    for (let i = 0; i < 1500; i++) watch(`S${i}/USDT`);

    expect(fullSchema.map((s) => s.mock.calls.length)).toEqual([0, 0]);
    expect(entrySchema.mock.calls.length).toBe(1500);
    expect(ofType('settings')).toHaveLength(0); // coalesced to the end of the turn
    await nextTurn();
    expect(ofType('settings')).toHaveLength(1);
    expect(ofType('settings')[0]!.settings.watchlist).toHaveLength(1000);

    const notices = ofType('notice');
    expect(notices).toHaveLength(500);
    expect(notices[0]).toEqual({ type: 'notice', level: 'error', message: 'The watchlist is full (1000 entries); remove one before adding S1000/USDT.' });
    expect(store.get().watchlist).toHaveLength(1000);
    expect(engine.supervisor.subscriptions).toHaveLength(1000);
    expect(engine.market.allRows()).toHaveLength(1000);
  });

  it('one broadcast per turn, carrying the latest settings', async () => {
    await setup(BASE);
    received.length = 0;
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 10; i++) watch(`T${turn}X${i}/USDT`);
      await nextTurn();
    }
    expect(ofType('settings').map((m) => m.settings.watchlist.length)).toEqual([10, 20, 30]);
  });

  it('unwatch removes just that instrument’s row and subscriptions', async () => {
    await setup(BASE);
    engine.renderers.receive('r1', { type: 'watch', exchange: 'sim', symbol: 'BTC/USDT', channels: ['ticker', 'trades'] });
    watch('ETH/USDT');
    expect(engine.supervisor.subscriptions).toHaveLength(3);
    await nextTurn();
    received.length = 0;
    const fullSchema = vi.spyOn(SettingsSchema, 'safeParse');
    engine.renderers.receive('r1', { type: 'unwatch', exchange: 'sim', symbol: 'BTC/USDT' });
    engine.renderers.receive('r1', { type: 'unwatch', exchange: 'sim', symbol: 'BTC/USDT' });
    expect(fullSchema).not.toHaveBeenCalled();
    expect(engine.supervisor.subscriptions).toEqual([{ exchange: 'sim', symbol: 'ETH/USDT', channel: 'ticker' }]);
    expect(engine.market.allRows().map((r) => r.symbol)).toEqual(['ETH/USDT']);
    expect(ofType('notice')).toEqual([{ type: 'notice', level: 'info', message: 'BTC/USDT on sim is not on the watchlist.' }]);
    await nextTurn();
    expect(ofType('settings').map((m) => m.settings.watchlist.map((w) => w.symbol))).toEqual([['ETH/USDT']]);
  });

  it('an instrument on a disabled exchange is listed but neither shown as a row nor subscribed', async () => {
    await setup(BASE);
    watch('BTC/USDT', 'off');
    expect(store.get().watchlist).toEqual([{ exchange: 'off', symbol: 'BTC/USDT', channels: ['ticker'] }]);
    expect(engine.supervisor.subscriptions).toEqual([]);
    expect(engine.market.allRows()).toEqual([]);
  });

  it('refuses an unknown exchange and a duplicate, changing nothing', async () => {
    await setup(BASE);
    watch('BTC/USDT');
    watch('BTC/USDT');
    watch('BTC/USDT', 'nope');
    expect(ofType('notice').map((n) => `${n.level}: ${n.message}`)).toEqual(['info: BTC/USDT on sim is already on the watchlist.', 'error: Unknown exchange "nope".']);
    expect(store.get().watchlist).toHaveLength(1);
  });
});

describe('what renderers receive has credentials redacted; the file keeps them', () => {
  it('hello and settings broadcasts', async () => {
    await setup(BASE);
    const hello = ofType('hello')[0]!;
    const proxy = (s: Settings) => s.exchanges.find((e) => e.id === 'proxy')!.urls;
    expect(proxy(hello.settings)).toEqual({ ws: 'wss://***:***@stream.example.com/ws?apiKey=***&stream=btc', rest: 'https://***@rest.example.com/api?signature=***' });
    watch('BTC/USDT');
    await nextTurn();
    expect(proxy(ofType('settings')[0]!.settings)).toEqual(proxy(hello.settings));

    expect(proxy(store.get()).ws).toBe(SECRET_WS);
    await store.flush();
    expect(proxy(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as Settings).ws).toBe(SECRET_WS);
  });
});
