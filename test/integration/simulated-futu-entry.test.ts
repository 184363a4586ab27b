// The built-in "sim-futu" entry: with default settings the engine's simulated-exchange
// component runs the OpenD stand-in and points the entry at it, so Futu rows move
// with no account; the streaming service serves the default Futu watchlist from it,
// and the developer menu's drop drops the stand-in's connections too.
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedExchange } from '../../electron/engine/simulated-exchange/simulated-exchange';
import type { Logger } from '../../electron/engine/log/logger';
import { defaultSettings } from '../../shared/settings';
import { provideWebSocketGlobal, quietClientConsole } from '../support/futu-websocket';
import { until } from '../support/until';
import { fastStreaming, VenueHarness } from './service-harness';

provideWebSocketGlobal();

const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, write: () => undefined, scope: () => quiet };
let sim: SimulatedExchange | undefined;
let service: VenueHarness | undefined;

quietClientConsole();

afterEach(async () => {
  await service?.shutdown();
  await sim?.stop();
  service = undefined;
  sim = undefined;
});

/** The service on the resolved sim-futu entry, subscribed to the default Futu watchlist's tickers. */
function serve(settings: ReturnType<typeof defaultSettings>): VenueHarness {
  const h = (service = new VenueHarness('sim-futu'));
  h.serve(sim!.resolve(settings.exchanges).filter((e) => e.id === 'sim-futu'), fastStreaming());
  const futu = settings.watchlist.filter((w) => w.exchange === 'sim-futu');
  h.subscribe(futu.map((w) => ({ exchange: 'sim-futu', symbol: w.symbol, channel: 'ticker' as const })));
  return h;
}

describe('built-in sim-futu entry', () => {
  it('is in the defaults, runs on the OpenD stand-in, and its rows move; stopping leaves no connection', async () => {
    const settings = defaultSettings();
    expect(settings.exchanges.find((e) => e.id === 'sim-futu')).toMatchObject({ kind: 'futu', simulated: true });
    expect(settings.watchlist.filter((w) => w.exchange === 'sim-futu').map((w) => w.symbol)).toEqual(['HK.00700', 'US.AAPL']);
    sim = new SimulatedExchange(() => settings, quiet);
    await sim.start();
    const opend = sim.openDStandIn!;
    expect(sim.resolve(settings.exchanges).find((e) => e.id === 'sim-futu')?.futu).toEqual({ host: '127.0.0.1', port: opend.port, key: '' });

    const h = serve(settings);
    await until(() => h.statuses().filter((s) => s.state === 'live').length === 2 && h.keysSeen().size === 2, 'both Futu rows live', 10_000);
    expect([...h.keysSeen()].sort()).toEqual(['sim-futu|HK.00700', 'sim-futu|US.AAPL']);
    expect(opend.view().connections.map((c) => c.subscriptions)).toEqual([['HK.00700:basic', 'US.AAPL:basic']]);
    expect((await h.service.shutdown(2000)).clean).toBe(true);
    service = undefined;
    await until(() => opend.view().connections.length === 0, 'no connection left', 2000);
  });

  it('the developer menu\'s drop drops the OpenD stand-in\'s connections; the rows come back, each subscribed once', async () => {
    const d = defaultSettings();
    const settings = { ...d, exchanges: d.exchanges.filter((e) => e.id === 'sim-futu'), ui: { ...d.ui, devMenu: true } };
    sim = new SimulatedExchange(() => settings, quiet);
    await sim.start();
    expect(sim.simulator).toBeUndefined();
    const opend = sim.openDStandIn!;
    const h = serve(settings);
    await until(() => h.statuses().filter((s) => s.state === 'live').length === 2, 'live', 10_000);
    // the market list for the search has its own connection at configure: counted from when it is gone
    await until(() => h.of('markets').length === 1 && opend.view().connections.length === 1, 'the market list loaded', 10_000);
    expect(() => sim!.fault({ kind: 'silence', durationMs: 1000 })).toThrow(/not running/);
    const subs = opend.view().counts.subs;
    const inits = opend.view().counts.inits;
    const mark = h.mark();
    sim.fault({ kind: 'drop', code: 1006 });
    await until(() => opend.view().counts.inits === inits + 1 && h.keysSeen(mark).size === 2, 'reconnected with rows', 10_000);
    await until(() => h.statuses().every((s) => s.state === 'live'), 'live again', 10_000);
    expect(opend.view().counts.subs - subs).toBe(2);
    expect(opend.view().connections.map((c) => c.subscriptions)).toEqual([['HK.00700:basic', 'US.AAPL:basic']]);
  });
});
