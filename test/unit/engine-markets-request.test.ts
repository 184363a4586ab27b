// The engine answers a renderer's markets request from its catalogue, only for
// enabled exchanges, again when a catalogue arrives, and never after the renderer left.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { ToRenderer } from '../../shared/contract/renderer-api';
import { assembleEngine } from '../../electron/engine/assemble-engine';
import type { Logger } from '../../electron/engine/log/logger';
import { SettingsStore } from '../../electron/engine/settings/settings-store';

const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, write: () => undefined, scope: () => quiet };
const sol = { symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', type: 'spot' as const, active: true };

let dir = '';
let store: SettingsStore | undefined;
afterEach(async () => {
  store?.dispose();
  await rm(dir, { recursive: true, force: true });
});

it('sends the catalogue on request and on arrival, for enabled exchanges, until the renderer detaches', async () => {
  dir = await mkdtemp(join(tmpdir(), 'foxtrot-markets-'));
  await writeFile(join(dir, 'settings.json'), JSON.stringify({
    exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }, { id: 'off', ccxtId: 'binance', enabled: false }],
    watchlist: [],
  }));
  store = new SettingsStore({ dataDir: dir, debounceMs: 60_000 });
  await store.load();
  const { engine } = assembleEngine({
    kind: 'headless', log: quiet, settings: store, flushLogs: () => undefined, exitApp: () => undefined,
    spawnStreaming: () => {
      throw new Error('not started in this test');
    },
  });
  const received: ToRenderer[] = [];
  engine.renderers.attach({ id: 'r1', send: (m) => void received.push(m) });
  const markets = () => received.flatMap((m) => (m.type === 'markets' ? [m.catalogues.map((c) => `${c.exchange}:${c.markets.length}`).join(',')] : []));

  engine.catalogue.set({ exchange: 'off', markets: [sol] });
  expect(markets()).toEqual([]); // nothing unasked: not in the hello, not pushed
  engine.renderers.receive('r1', { type: 'markets' });
  expect(markets()).toEqual(['']); // asked before any enabled exchange loaded
  engine.catalogue.set({ exchange: 'sim', markets: [sol, { ...sol, symbol: 'SOL/BTC', quote: 'BTC' }] });
  expect(markets()).toEqual(['', 'sim:2']);
  engine.renderers.detach('r1');
  engine.catalogue.set({ exchange: 'sim', markets: [sol] });
  expect(markets()).toEqual(['', 'sim:2']);
});
