// The developer menu's broker faults reach the TWS and OpenD stand-ins through the
// host's simulated-exchange component: refused with ui.devMenu off or with no
// stand-in of that kind running; applied (as the stand-in's own view and a real
// client see it) otherwise; "Clear faults" ends them.
import { afterEach, describe, expect, it } from 'vitest';
import { EventName, IBApi } from '@stoqey/ib';
import { SimulatedExchange } from '../../electron/engine/simulated-exchange/simulated-exchange';
import type { Logger } from '../../electron/engine/log/logger';
import { defaultSettings, type Settings } from '../../shared/settings';
import { until } from '../support/until';
import { quietClientConsole } from '../support/futu-websocket';

const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, write: () => undefined, scope: () => quiet };
let sim: SimulatedExchange | undefined;
const apis: IBApi[] = [];

quietClientConsole();

afterEach(async () => {
  for (const api of apis.splice(0)) {
    api.removeAllListeners();
    api.disconnect();
  }
  await sim?.stop();
  sim = undefined;
});

/** Only the simulated broker entries of `kinds` (no Binance simulator), no watchlist. */
async function start(kinds: Array<'ib' | 'futu'>, devMenu = true): Promise<SimulatedExchange> {
  const d = defaultSettings();
  const settings: Settings = { ...d, exchanges: d.exchanges.filter((e) => e.simulated && (kinds as string[]).includes(e.kind)), watchlist: [], ui: { ...d.ui, devMenu } };
  sim = new SimulatedExchange(() => settings, quiet);
  await sim.start();
  return sim;
}

/** An IBApi client on the stand-in, recording whether it got a session and the codes TWS sent. */
function ibClient(s: SimulatedExchange, clientId = 3): { ready: () => boolean; gone: () => boolean; codes: number[] } {
  const tws = s.twsSimulator!;
  const api = new IBApi({ host: tws.host, port: tws.port });
  apis.push(api);
  let ready = false;
  let gone = false;
  const codes: number[] = [];
  api.on(EventName.nextValidId, () => (ready = true));
  api.on(EventName.disconnected, () => (gone = true));
  // @stoqey/ib reports codes without a request id as info, the others as errors
  api.on(EventName.info, (_message, code) => void codes.push(code));
  api.on(EventName.error, (_err, code) => void codes.push(code));
  api.connect(clientId);
  return { ready: () => ready, gone: () => gone, codes };
}

describe('developer-menu faults of the broker stand-ins', () => {
  it('are refused with ui.devMenu off, and for a stand-in that does not run', async () => {
    const off = await start(['ib'], false);
    expect(() => off.brokerFault({ broker: 'ib', fault: { kind: 'connectivity-lost' } })).toThrow(/ui\.devMenu/);
    await off.stop();
    const ibOnly = await start(['ib']);
    expect(() => ibOnly.brokerFault({ broker: 'futu', fault: { kind: 'stall' } })).toThrow(/OpenD is not running/);
    await ibOnly.stop();
    const futuOnly = await start(['futu']);
    expect(() => futuOnly.brokerFault({ broker: 'ib', fault: { kind: 'stall', ms: 1000 } })).toThrow(/TWS is not running/);
  });

  it('TWS: a refusal closes new connections until "Clear faults"; 1100 then clear says 1102 to connected clients', async () => {
    const s = await start(['ib']);
    const tws = s.twsSimulator!;
    s.brokerFault({ broker: 'ib', fault: { kind: 'refuse', ms: 60_000 } });
    const refused = ibClient(s);
    await until(() => refused.gone() && tws.view().totals.connectionsRefused === 1, 'the connection refused');
    expect(refused.ready()).toBe(false);

    s.fault({ kind: 'clear' });
    const client = ibClient(s, 4);
    await until(() => client.ready(), 'a session after clear');
    s.brokerFault({ broker: 'ib', fault: { kind: 'connectivity-lost' } });
    await until(() => client.codes.includes(1100), '1100');
    s.fault({ kind: 'clear' });
    await until(() => client.codes.includes(1102), '1102 after clear');
    expect(client.codes.filter((c) => c === 1100 || c === 1101 || c === 1102)).toEqual([1100, 1102]);
  });

  it('TWS: a client id held by "another application" is refused with 326', async () => {
    const s = await start(['ib']);
    s.brokerFault({ broker: 'ib', fault: { kind: 'client-id-in-use', clientId: 5 } });
    const held = ibClient(s, 5);
    await until(() => held.codes.includes(326), '326');
    expect(held.ready()).toBe(false);
  });

  it('OpenD: quota and stall as the stand-in\'s view shows them; clear restores both', async () => {
    const s = await start(['futu']);
    const opend = s.openDStandIn!;
    expect(opend.view().quota).toBe(100);
    s.brokerFault({ broker: 'futu', fault: { kind: 'quota', quota: 0 } });
    expect(opend.view().quota).toBe(0);
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`ws://127.0.0.1:${opend.port}`);
    await new Promise((resolve) => ws.once('open', resolve));
    await until(() => opend.view().connections.length === 1, 'a connection');
    s.brokerFault({ broker: 'futu', fault: { kind: 'stall' } });
    expect(opend.view().connections.map((c) => c.stalled)).toEqual([true]);
    s.fault({ kind: 'clear' });
    expect(opend.view()).toMatchObject({ quota: 100, connections: [{ stalled: false }] });
    ws.close();
  });
});
