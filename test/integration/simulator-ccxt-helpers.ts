// Shared by the simulator's ccxt integration tests: a simulator per test, ccxt
// pointed at it, and polling helpers with generous bounds.
import ccxt from 'ccxt';
import { afterEach } from 'vitest';
import { pointCcxtAt } from '../../simulator/ccxt-config';
import { ExchangeSimulator, type SimulatorOptions } from '../../simulator/exchange-simulator';

/* eslint-disable @typescript-eslint/no-explicit-any -- ccxt is untyped where it matters here */
export const pro = (ccxt as any).pro;
export const errors = ccxt as any;

let sim: ExchangeSimulator | undefined;
const exchanges: any[] = [];

/** Registers the per-test cleanup (close every ccxt exchange, stop the simulator). */
export function useSimulator(): void {
  afterEach(async () => {
    for (const ex of exchanges.splice(0)) await ex.close();
    await sim?.stop();
    sim = undefined;
  });
}

export async function startSim(opts: SimulatorOptions = {}): Promise<ExchangeSimulator> {
  sim = new ExchangeSimulator({ ratePerSymbol: 10, ...opts });
  await sim.start();
  return sim;
}

export function binance(s: ExchangeSimulator, keepAlive = 10_000): any {
  const ex = new pro.binance({ streaming: { keepAlive }, options: { ws: { backoff: { base: 0 } } } });
  pointCcxtAt(ex, s.urls);
  ex.log = () => {}; // ccxt logs unparsable frames to the console
  exchanges.push(ex);
  return ex;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Calls watch until it rejects (at most `ms`); returns that error, or undefined. */
export async function firstError(watch: () => Promise<unknown>, ms = 5000): Promise<any> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await watch();
    } catch (e) {
      return e;
    }
  }
  return undefined;
}
