// The built-in "sim-ib" entry: with default settings the engine's simulated-exchange
// component runs the TWS stand-in and points the entry at it, so IB rows move with
// no account; the streaming service serves the default IB watchlist from it.
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedExchange } from '../../electron/engine/simulated-exchange/simulated-exchange';
import type { Logger } from '../../electron/engine/log/logger';
import { defaultSettings } from '../../shared/settings';
import { fastStreaming, VenueHarness } from './service-harness';

const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, write: () => undefined, scope: () => quiet };
let sim: SimulatedExchange | undefined;
let service: VenueHarness | undefined;

afterEach(async () => {
  await service?.shutdown();
  await sim?.stop();
  service = undefined;
  sim = undefined;
});

describe('built-in sim-ib entry', () => {
  it('is in the defaults, runs on the TWS stand-in, and its rows move; stopping leaves no connection', async () => {
    const settings = defaultSettings();
    expect(settings.exchanges.find((e) => e.id === 'sim-ib')).toMatchObject({ kind: 'ib', simulated: true });
    sim = new SimulatedExchange(() => settings, quiet);
    await sim.start();
    const tws = sim.twsSimulator!;
    const resolved = sim.resolve(settings.exchanges);
    expect(resolved.find((e) => e.id === 'sim-ib')?.ib).toEqual({ host: '127.0.0.1', port: tws.port, clientId: 0 });
    expect(resolved.find((e) => e.id === 'sim')?.urls.ws).toBe(sim.simulator!.urls.ws);

    const h = (service = new VenueHarness('sim-ib'));
    h.serve(resolved.filter((e) => e.id === 'sim-ib'), fastStreaming());
    const ib = settings.watchlist.filter((w) => w.exchange === 'sim-ib');
    expect(ib.map((w) => w.symbol)).toEqual(['AAPL@SMART:STK:USD', 'ES@CME:FUT:202612', 'EUR.USD@IDEALPRO:CASH']);
    h.subscribe(ib.map((w) => ({ exchange: 'sim-ib', symbol: w.symbol, channel: 'ticker' as const })));
    await h.until(() => h.statuses().filter((s) => s.state === 'live').length === ib.length && h.keysSeen().size === ib.length, 'every IB row live');
    expect([...h.keysSeen()].sort()).toEqual(ib.map((w) => `sim-ib|${w.symbol}`).sort());
    expect(Object.values(tws.view().subscriptions)).toEqual([1, 1, 1]);
    expect((await h.service.shutdown(2000)).clean).toBe(true);
    service = undefined;
    const end = Date.now() + 2000;
    while (tws.view().connections.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(tws.view().connections).toEqual([]);
  });

  it('the developer menu\'s drop drops the TWS stand-in\'s connections too; other faults need the Binance simulator', async () => {
    const d = defaultSettings();
    const settings = { ...d, exchanges: d.exchanges.filter((e) => e.id === 'sim-ib'), watchlist: [], ui: { ...d.ui, devMenu: true } };
    sim = new SimulatedExchange(() => settings, quiet);
    await sim.start();
    expect(sim.simulator).toBeUndefined();
    const tws = sim.twsSimulator!;
    const { IBApi, EventName } = await import('@stoqey/ib');
    const api = new IBApi({ host: tws.host, port: tws.port });
    let ready = false;
    let gone = false;
    api.on(EventName.nextValidId, () => (ready = true));
    api.on(EventName.disconnected, () => (gone = true));
    api.connect(9);
    const wait = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 5000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await wait(() => ready, 'connected');
    expect(() => sim!.fault({ kind: 'silence', durationMs: 1000 })).toThrow(/not running/);
    sim.fault({ kind: 'drop', code: 1006 });
    await wait(() => gone && tws.view().connections.length === 0, 'dropped');
    api.removeAllListeners();
  });
});
