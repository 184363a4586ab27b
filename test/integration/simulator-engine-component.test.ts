// The engine's built-in simulated exchange: with ui.devMenu off the running app
// exposes no fault control at all; with it on, only with the per-run token.
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedExchange } from '../../electron/engine/simulated-exchange/simulated-exchange';
import type { Logger, LogLevel } from '../../electron/engine/log/logger';
import { defaultSettings, type Settings } from '../../shared/settings';

const components: SimulatedExchange[] = [];
afterEach(async () => {
  for (const c of components.splice(0)) await c.stop();
});

function recordingLogger(lines: Array<{ level: LogLevel; message: string; fields?: Record<string, unknown> }>): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  const log: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), write: (level, _s, m, f) => at(level)(m, f), scope: () => log };
  return log;
}

async function start(devMenu: boolean): Promise<{ sim: SimulatedExchange; lines: Array<{ message: string; fields?: Record<string, unknown> }> }> {
  const d = defaultSettings();
  const settings: Settings = { ...d, ui: { ...d.ui, devMenu } };
  const lines: Array<{ level: LogLevel; message: string; fields?: Record<string, unknown> }> = [];
  const sim = new SimulatedExchange(() => settings, recordingLogger(lines));
  components.push(sim);
  await sim.start();
  return { sim, lines };
}

const postFault = (url: string, headers: Record<string, string>): Promise<Response> =>
  fetch(`${url}/fault`, { method: 'POST', body: JSON.stringify({ kind: 'drop', code: 1006 }), headers });

describe('SimulatedExchange fault control', () => {
  it('devMenu off: no control endpoint (404 even with a JSON body and a token), fault() refused, no token logged', async () => {
    const { sim, lines } = await start(false);
    const inner = sim.simulator!;
    expect(inner.controlToken).toBeUndefined();
    expect((await postFault(inner.urls.control, { 'content-type': 'application/json', authorization: 'Bearer x' })).status).toBe(404);
    expect((await postFault(inner.urls.control, { 'content-type': 'text/plain' })).status).toBe(404);
    expect((await fetch(`${inner.urls.control}/view`)).status).toBe(404);
    expect(() => sim.fault({ kind: 'silence', durationMs: 1000 })).toThrow(/ui\.devMenu/);
    expect(inner.activeFaults()).toEqual([]);
    const listening = lines.find((l) => l.message === 'simulated exchange listening');
    expect(listening?.fields).toBeDefined();
    expect(listening!.fields).not.toHaveProperty('control');
    expect(lines.some((l) => l.message.includes('control token'))).toBe(false);
  });

  it('devMenu on: fault() works; the control endpoint needs the logged per-run token and refuses text/plain', async () => {
    const { sim, lines } = await start(true);
    const inner = sim.simulator!;
    const listening = lines.find((l) => l.message === 'simulated exchange listening')!;
    expect(listening.fields).toMatchObject({ control: inner.urls.control });
    // The token is in the message text (secret-named fields are redacted in the log file).
    const tokenLine = lines.find((l) => l.message.startsWith('simulated exchange control token'))!;
    const token = /: (\S+)$/.exec(tokenLine.message)![1]!;
    expect(token).toBe(inner.controlToken);
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await postFault(inner.urls.control, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await postFault(inner.urls.control, { 'content-type': 'application/json' })).status).toBe(401);
    const ok = await fetch(`${inner.urls.control}/fault`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'silence', durationMs: 60_000 }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(inner.activeFaults()).toEqual([{ kind: 'silence', durationMs: 60_000 }]);
    sim.fault({ kind: 'clear' });
    expect(inner.activeFaults()).toEqual([]);
  });
});

describe('SimulatedExchange start-up', () => {
  it('loads the OpenD stand-in (futu-api protobuf definitions) only when a simulated Futu entry is enabled', async () => {
    const d = defaultSettings();
    let loads = 0;
    const counting = async () => {
      loads++;
      return (await import('../../simulator/opend/opend-standin')).OpenDStandIn;
    };
    const noFutu: Settings = { ...d, exchanges: d.exchanges.filter((e) => !(e.simulated && e.kind === 'futu')) };
    const without = new SimulatedExchange(() => noFutu, recordingLogger([]), [], counting);
    components.push(without);
    await without.start();
    expect(loads).toBe(0);
    expect(without.openDStandIn).toBeUndefined();
    expect(without.simulator).toBeDefined();

    expect(d.exchanges.some((e) => e.simulated && e.enabled && e.kind === 'futu')).toBe(true);
    const withFutu = new SimulatedExchange(() => d, recordingLogger([]), [], counting);
    components.push(withFutu);
    await withFutu.start();
    expect(loads).toBe(1);
    expect(withFutu.openDStandIn?.port).toBeGreaterThan(0);
  });
});
