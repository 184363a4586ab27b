// The TWS stand-in against the real client (@stoqey/ib's IBApi): every message it
// sends decodes without leftovers, and each fault shows as a real TWS shows it.
import { EventName, IBApi, TickByTickDataType, type Contract } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { TwsSimulator, type TwsSimulatorOptions } from '../../simulator/tws/tws-simulator';
import { sleep } from './simulator-ccxt-helpers';
import { until } from '../support/until';

const AAPL: Contract = { symbol: 'AAPL', secType: 'STK' as Contract['secType'], exchange: 'SMART', currency: 'USD' };
const ES: Contract = { symbol: 'ES', secType: 'FUT' as Contract['secType'], exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' };
const EURUSD: Contract = { symbol: 'EUR', secType: 'CASH' as Contract['secType'], exchange: 'IDEALPRO', currency: 'USD' };

let sims: TwsSimulator[] = [];
let apis: IBApi[] = [];

afterEach(async () => {
  for (const api of apis) {
    api.removeAllListeners();
    api.disconnect();
  }
  apis = [];
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

async function startTws(opts: TwsSimulatorOptions = {}): Promise<TwsSimulator> {
  const sim = new TwsSimulator({ ratePerRequest: 20, ...opts });
  await sim.start();
  sims.push(sim);
  return sim;
}

interface Client {
  api: IBApi;
  infos: [number, string][];
  errors: [number, number, string][];
  events: string[];
}

/** An IBApi with every event recorded; decoding leftovers would show up as errors 505. */
function client(sim: TwsSimulator): Client {
  const api = new IBApi({ host: sim.host, port: sim.port });
  apis.push(api);
  const c: Client = { api, infos: [], errors: [], events: [] };
  api.on(EventName.info, (message: string, code: number) => c.infos.push([code, message]));
  api.on(EventName.error, (err: Error, code: number, reqId: number) => c.errors.push([code, reqId, err.message]));
  api.on(EventName.connected, () => c.events.push(EventName.connected));
  api.on(EventName.disconnected, () => c.events.push(EventName.disconnected));
  api.on(EventName.nextValidId, () => c.events.push(EventName.nextValidId));
  api.on(EventName.managedAccounts, () => c.events.push(EventName.managedAccounts));
  return c;
}

async function connected(sim: TwsSimulator, clientId = 0): Promise<Client> {
  const c = client(sim);
  c.api.connect(clientId);
  await until(() => c.events.includes(EventName.nextValidId), 'nextValidId', 3000);
  return c;
}

describe('TWS stand-in with the real IBApi client', () => {
  it('handshake: version 193, managed accounts, next valid id, data-farm notices', async () => {
    const sim = await startTws();
    const c = await connected(sim, 7);
    expect(c.api.serverVersion).toBe(193);
    expect(c.events).toEqual([EventName.connected, EventName.managedAccounts, EventName.nextValidId]);
    await until(() => c.infos.length >= 3, 'farm notices', 2000);
    expect(c.infos.map(([code]) => code)).toEqual([2104, 2106, 2158]);
    expect(sim.view().connections).toEqual([expect.objectContaining({ clientId: 7, requests: [] })]);
    expect(c.errors).toEqual([]);
  });

  it('current time and contract details; an unknown contract is error 200 for its request', async () => {
    const sim = await startTws();
    const c = await connected(sim);
    let time = 0;
    c.api.on(EventName.currentTime, (t: number) => (time = t));
    c.api.reqCurrentTime();
    const details: unknown[] = [];
    let ended = -1;
    c.api.on(EventName.contractDetails, (reqId: number, d: unknown) => details.push([reqId, d]));
    c.api.on(EventName.contractDetailsEnd, (reqId: number) => (ended = reqId));
    c.api.reqContractDetails(11, ES);
    c.api.reqContractDetails(12, { ...AAPL, symbol: 'NOPE' });
    await until(() => time > 0 && ended === 11 && c.errors.length > 0, 'answers', 3000);
    expect(Math.abs(time * 1000 - Date.now())).toBeLessThan(5000);
    expect(details).toEqual([[11, expect.objectContaining({ contract: expect.objectContaining({ symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202612', conId: 1003 }), minTick: 0.25 })]]);
    expect(c.errors).toEqual([[200, 12, 'No security definition has been found for the request']]);
    expect(sim.view().totals.unknownContracts).toBe(1);
  });

  it('market data: data type, tick params, then bid/ask/last/close/volume; FX has no last; cancel ends it', async () => {
    const sim = await startTws();
    const c = await connected(sim);
    const prices = new Map<number, Set<number>>();
    const types: [number, number][] = [];
    c.api.on(EventName.tickPrice, (reqId: number, field: number) => prices.set(reqId, (prices.get(reqId) ?? new Set()).add(field)));
    c.api.on(EventName.tickSize, (reqId: number, field: number | undefined) => prices.set(reqId, (prices.get(reqId) ?? new Set()).add(1000 + (field ?? -1))));
    c.api.on(EventName.marketDataType, (reqId: number, type: number) => types.push([reqId, type]));
    c.api.reqMktData(1, AAPL, '', false, false);
    c.api.reqMktData(2, EURUSD, '', false, false);
    await until(() => (prices.get(1)?.size ?? 0) >= 8 && (prices.get(2)?.size ?? 0) >= 4, 'ticks', 3000);
    expect(types).toEqual([[1, 1], [2, 1]]);
    expect([...prices.get(1)!].sort((a, b) => a - b)).toEqual([1, 2, 4, 9, 1000, 1003, 1005, 1008]);
    expect([...prices.get(2)!].sort((a, b) => a - b)).toEqual([1, 2, 1000, 1003]);
    expect(sim.view().subscriptions).toEqual({ 'mktData AAPL@SMART:STK:USD': 1, 'mktData EUR.USD@IDEALPRO:CASH': 1 });
    c.api.cancelMktData(1);
    c.api.cancelMktData(2);
    await until(() => Object.keys(sim.view().subscriptions).length === 0, 'cancelled', 2000);
    expect(sim.view().totals.cancels).toBe(2);
    // one connection: everything sent (hand-shake, notices, ticks) was sent on it
    const v = sim.view();
    expect(v.connections[0]!.messagesSent).toBeGreaterThan(12);
    expect(v.connections[0]!.messagesSent).toBe(v.totals.messagesSent);
    expect(c.errors).toEqual([]);
  });

  it('tick-by-tick AllLast trades and depth rows by position', async () => {
    const sim = await startTws();
    const c = await connected(sim);
    const trades: [number, number][] = [];
    const rows: [number, number, number][] = [];
    c.api.on(EventName.tickByTickAllLast, (_reqId: number, _t: number, _time: string, price: number, size: number) => trades.push([price, size]));
    c.api.on(EventName.updateMktDepth, (_reqId: number, position: number, operation: number, side: number) => rows.push([position, operation, side]));
    c.api.reqTickByTickData(3, ES, TickByTickDataType.AllLast, 0, false);
    c.api.reqMktDepth(4, ES, 3, false, []);
    await until(() => trades.length >= 2 && rows.length >= 12, 'trades and rows', 3000);
    expect(trades[0]![0]).toBeGreaterThan(1000);
    expect(rows.slice(0, 6)).toEqual([[0, 0, 1], [0, 0, 0], [1, 0, 1], [1, 0, 0], [2, 0, 1], [2, 0, 0]]); // the book inserted by position
    expect(rows[6]).toEqual([0, 1, 1]); // then updated in place
    expect(sim.view().subscriptions).toEqual({ 'tickByTick ES@CME:FUT:202612:USD': 1, 'depth ES@CME:FUT:202612:USD': 1 });
    c.api.cancelTickByTickData(3);
    c.api.cancelMktDepth(4, false);
    await until(() => Object.keys(sim.view().subscriptions).length === 0, 'cancelled', 2000);
    expect(c.errors).toEqual([]);
  });

  it('faults: client id in use (326), pacing (100), connectivity 1100/1101/1102, no live permission (354) and delayed data', async () => {
    const sim = await startTws();
    sim.fault({ kind: 'client-id-in-use', clientId: 5 });
    const clash = client(sim);
    clash.api.connect(5);
    await until(() => clash.events.includes(EventName.disconnected), '326 hang-up', 3000);
    expect(clash.infos).toEqual([[326, expect.stringContaining('client id is already in use')]]);
    expect(clash.events).not.toContain(EventName.nextValidId);

    const c = await connected(sim, 6);
    sim.fault({ kind: 'pacing', perSecond: 1 });
    c.api.reqMktData(1, AAPL, '', false, false);
    c.api.reqMktData(2, ES, '', false, false);
    await until(() => c.errors.length > 0, 'pacing', 3000);
    expect(c.errors).toEqual([[100, 2, expect.stringContaining('Max rate of messages per second has been exceeded')]]);
    expect(sim.view().subscriptions).toEqual({ 'mktData AAPL@SMART:STK:USD': 1 });
    sim.fault({ kind: 'pacing', perSecond: 0 });

    await until(() => c.infos.length >= 3, 'farm notices', 2000);
    c.infos.length = 0;
    sim.fault({ kind: 'connectivity-lost' });
    sim.fault({ kind: 'connectivity-restored', dataLost: false });
    sim.fault({ kind: 'connectivity-lost' });
    sim.fault({ kind: 'connectivity-restored', dataLost: true });
    await until(() => c.infos.length >= 4, 'connectivity codes', 2000);
    expect(c.infos.map(([code]) => code)).toEqual([1100, 1102, 1100, 1101]);
    expect(sim.view().subscriptions).toEqual({}); // data lost: gone at TWS

    c.errors.length = 0;
    sim.fault({ kind: 'live-permission', granted: false });
    c.api.reqMktData(3, AAPL, '', false, false);
    await until(() => c.errors.length > 0, '354', 2000);
    expect(c.errors).toEqual([[354, 3, 'Requested market data is not subscribed.']]);
    const fields = new Set<number>();
    let type = 0;
    c.api.on(EventName.marketDataType, (_r: number, t: number) => (type = t));
    c.api.on(EventName.tickPrice, (_r: number, field: number) => fields.add(field));
    c.api.reqMarketDataType(3);
    c.api.reqMktData(4, AAPL, '', false, false);
    await until(() => fields.has(68), 'delayed last', 2000);
    expect(type).toBe(3);
    expect([...fields].sort((a, b) => a - b)).toEqual([66, 67, 68, 75]);
    expect(sim.view().connections[0]?.marketDataType).toBe(3);
  });

  it('faults: drop closes every connection; refuse turns new ones away; stall sends nothing', async () => {
    const sim = await startTws();
    const c = await connected(sim);
    sim.fault({ kind: 'drop' });
    await until(() => c.events.includes(EventName.disconnected), 'dropped', 2000);
    await until(() => sim.view().connections.length === 0, 'closed at the server', 2000);

    sim.fault({ kind: 'refuse', ms: 500 });
    const refused = client(sim);
    refused.api.connect(1);
    await until(() => refused.events.includes(EventName.disconnected), 'refused', 2000);
    expect(refused.events).not.toContain(EventName.nextValidId);
    expect(sim.view().totals.connectionsRefused).toBe(1);
    await sleep(500);

    const d = await connected(sim, 2);
    let ticks = 0;
    d.api.on(EventName.tickPrice, () => ticks++);
    d.api.reqMktData(1, AAPL, '', false, false);
    await until(() => ticks > 0, 'ticks', 2000);
    sim.fault({ kind: 'stall', ms: 1500 });
    await sleep(60);
    const before = ticks;
    await sleep(300);
    expect(ticks).toBe(before);
    await until(() => ticks > before, 'ticks after the stall', 2000);
    expect(sim.view().connections).toHaveLength(1);
  });
});
