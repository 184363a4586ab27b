// The app's own simulator, reached from a spec through the REST and control URLs its
// log names (control needs ui.devMenu on and the token the log prints).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from './terminal-fixture';

export interface SimUrls {
  rest: string;
  control: string;
  token: string;
}

/** The simulator's URLs and control token, from the host's log (undefined until it has logged them). */
export function simUrls(dataDir: string): SimUrls | undefined {
  let log: string;
  try {
    log = readFileSync(join(dataDir, 'logs', 'main.log'), 'utf8');
  } catch {
    return undefined;
  }
  const line = log.split('\n').find((l) => l.includes('simulated exchange listening'));
  const rest = /"rest":"([^"]+)"/.exec(line ?? '')?.[1];
  const control = /"control":"([^"]+)"/.exec(line ?? '')?.[1];
  const token = /simulated exchange control token \(ui\.devMenu is on\): (\S+)/.exec(log)?.[1];
  return rest && control && token ? { rest, control, token } : undefined;
}

/** Waits for the simulator's URLs in the log. */
export async function awaitSim(dataDir: string): Promise<SimUrls> {
  await expect.poll(() => simUrls(dataDir), { timeout: 20_000 }).toBeTruthy();
  return simUrls(dataDir)!;
}

export async function control(sim: SimUrls, path: '/rate' | '/fault', body: unknown): Promise<void> {
  const r = await fetch(`${sim.control}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status, await r.text()).toBe(200);
}

/** What the simulator serves now: its streams with their subscriber counts, and each trade stream's last trade id. */
export async function simView(sim: SimUrls): Promise<{ streams: Record<string, number>; lastTradeIds: Record<string, number> }> {
  const r = await fetch(`${sim.control}/view`, { headers: { Authorization: `Bearer ${sim.token}` } });
  return (await r.json()) as { streams: Record<string, number>; lastTradeIds: Record<string, number> };
}
