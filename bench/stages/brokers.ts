// Stage "broker adapters": CPU per tick of the IB and Futu adapters against their bare
// clients at the same rate (issue 13, ≤ 1.25×). Each venue's stand-in (TWS, OpenD) runs
// in this process at a fixed rate; the bare client and the adapter run side by side in
// two broker-worker.ts processes connected to it at once, so both are measured over the
// same windows of the same machine (this VM's speed drifts by tens of percent from one
// minute to the next: measured one after the other, the same code gave ×1.11 and ×1.66).
// A "tick" is one market-data message the stand-in sent on that client's connection in
// the window: the denominator is counted the same way for both, while what each side
// counts differs (the adapter merges a quote's field messages into one row).
import { OpenDStandIn } from '../../simulator/opend/opend-standin';
import { DEFAULT_TWS_CONTRACTS, TwsSimulator } from '../../simulator/tws/tws-simulator';
import { formatIbNotation } from '../../shared/instrument-notation';
import type { Channel } from '../../shared/market';
import type { BrokerClientMode, BrokerVenue, BrokerWorkerStart } from '../broker-worker';
import { f1, f2, int, measurable, ratio, ratioAtMost, times, type Status } from '../judge';
import { sleep } from '../rpc';
import type { BenchContext, Reporter, VsCeiling } from './context';

export const BROKER_COST_TARGET = 1.25;

interface BrokerPlan { windows: number; seconds: number; warmupS: number; channels: Channel[] }
export function brokerPlan(quick: boolean): BrokerPlan {
  return quick ? { windows: 1, seconds: 0.8, warmupS: 0.2, channels: ['ticker', 'trades'] } : { windows: 4, seconds: 5, warmupS: 2, channels: ['ticker', 'trades'] };
}

/** One client's run, summed over the windows: what the stand-in sent it, what it counted, its CPU. */
export interface ClientRun { sentPerS: number; receivedPerS: number; cpuMs: number; cpuUsPerTick: number; /** Adapter: batches handed to the parent per s (0 for a bare client). */ batchesPerS: number }
export interface BrokerCost {
  venue: BrokerVenue;
  client: string;
  symbols: number;
  bare: ClientRun;
  adapter: ClientRun;
  /** Over all windows: adapter µs per tick / bare µs per tick. */
  ratio: number;
  /** Each window's own ratio, in order: how much the machine moved the figure. */
  windowRatios: number[];
}

const IB_SYMBOLS = DEFAULT_TWS_CONTRACTS.map(formatIbNotation);
const FUTU_SYMBOLS = ['HK.00700', 'HK.09988', 'US.AAPL', 'US.TSLA', 'US.NVDA'];
const FUTU_KEY = 'bench';
/** The bare IB client's id, clear of the adapter's (0): a shared id is TWS error 326. */
const BARE_IB_CLIENT_ID = 99;

/** A stand-in for one venue: its address, what it has sent on each open connection, stop. */
interface StandIn { host: string; port: number; key?: string; sentByConnection(): Map<number, number>; stop(): Promise<void> }

async function standIn(venue: BrokerVenue): Promise<StandIn> {
  if (venue === 'ib') {
    // every 5 ms (its fastest): 5 contracts × (a quote's 5-7 field messages + a trade) per step
    const tws = new TwsSimulator({ seed: 11, ratePerRequest: 200 });
    await tws.start();
    return { host: tws.host, port: tws.port, sentByConnection: () => new Map(tws.view().connections.map((c) => [c.id, c.messagesSent])), stop: () => tws.stop() };
  }
  const opend = new OpenDStandIn({ seed: 11, pushIntervalMs: 5, websocketKey: FUTU_KEY });
  await opend.start();
  return { host: '127.0.0.1', port: opend.port, key: FUTU_KEY, sentByConnection: () => new Map(opend.view().connections.map((c) => [c.connId, c.pushes])), stop: () => opend.close() };
}

type Counts = { received: number; batches: number; cpuMs: number; at: number };
interface Side { mode: BrokerClientMode; worker: ReturnType<BenchContext['fork']>; connections: number[] }

/** Sum of what the stand-in sent on these connections; throws when one of them closed (a reconnect would lose its count). */
function sentOn(s: StandIn, side: Side): number {
  const by = s.sentByConnection();
  let sum = 0;
  for (const id of side.connections) {
    const n = by.get(id);
    if (n === undefined) throw new Error(`${side.mode}: its connection ${id} to the stand-in closed during the measurement`);
    sum += n;
  }
  return sum;
}

async function startSide(ctx: BenchContext, venue: BrokerVenue, mode: BrokerClientMode, s: StandIn, plan: BrokerPlan): Promise<Side> {
  const before = new Set(s.sentByConnection().keys());
  const worker = ctx.fork(`${venue}-${mode}`, 'broker-worker.cjs');
  const side: Side = { mode, worker, connections: [] };
  const start: BrokerWorkerStart = {
    venue, mode, host: s.host, port: s.port, key: s.key, symbols: venue === 'ib' ? IB_SYMBOLS : FUTU_SYMBOLS, channels: plan.channels,
    ...(venue === 'ib' && mode === 'bare' ? { clientId: BARE_IB_CLIENT_ID } : {}),
  };
  await worker.call('start', start, 30_000);
  for (let end = performance.now() + 30_000; (await worker.call<Counts>('counts')).received === 0; await sleep(100))
    if (performance.now() > end) throw new Error(`${venue} ${mode}: no market data within 30 s`);
  side.connections = [...s.sentByConnection().keys()].filter((id) => !before.has(id));
  if (side.connections.length === 0) throw new Error(`${venue} ${mode}: receives data but no new connection to the stand-in`);
  return side;
}

async function runVenue(ctx: BenchContext, venue: BrokerVenue, plan: BrokerPlan): Promise<BrokerCost> {
  const s = await standIn(venue);
  const sides: Side[] = [];
  try {
    sides.push(await startSide(ctx, venue, 'bare', s, plan));
    sides.push(await startSide(ctx, venue, 'adapter', s, plan));
    // the warm-up (connection, first snapshots, JIT) stays out of the windows
    await sleep(plan.warmupS * 1000);
    const totals = sides.map(() => ({ sent: 0, received: 0, batches: 0, cpuMs: 0, secs: 0 }));
    const windowRatios: number[] = [];
    for (let w = 0; w < plan.windows; w++) {
      const c0 = await Promise.all(sides.map((d) => d.worker.call<Counts>('counts')));
      const s0 = sides.map((d) => sentOn(s, d));
      await sleep(plan.seconds * 1000);
      const c1 = await Promise.all(sides.map((d) => d.worker.call<Counts>('counts')));
      const s1 = sides.map((d) => sentOn(s, d));
      const perTick = sides.map((_, i) => {
        const t = totals[i]!;
        const cpuMs = c1[i]!.cpuMs - c0[i]!.cpuMs;
        t.sent += s1[i]! - s0[i]!;
        t.received += c1[i]!.received - c0[i]!.received;
        t.batches += c1[i]!.batches - c0[i]!.batches;
        t.cpuMs += cpuMs;
        t.secs += (c1[i]!.at - c0[i]!.at) / 1000;
        return ratio(cpuMs, s1[i]! - s0[i]!);
      });
      windowRatios.push(ratio(perTick[1]!, perTick[0]!));
    }
    const [bare, adapter] = totals.map((t): ClientRun => ({
      sentPerS: ratio(t.sent, t.secs), receivedPerS: ratio(t.received, t.secs), cpuMs: t.cpuMs, cpuUsPerTick: ratio(t.cpuMs * 1000, t.sent), batchesPerS: ratio(t.batches, t.secs),
    })) as [ClientRun, ClientRun];
    return {
      venue, client: venue === 'ib' ? '@stoqey/ib IBApi' : 'futu-api', symbols: venue === 'ib' ? IB_SYMBOLS.length : FUTU_SYMBOLS.length,
      bare, adapter, ratio: ratio(adapter.cpuUsPerTick, bare.cpuUsPerTick), windowRatios,
    };
  } finally {
    for (const d of sides.reverse()) await ctx.stopWorker(d.worker);
    await s.stop();
  }
}

export async function runBrokers(ctx: BenchContext): Promise<BrokerCost[]> {
  const plan = brokerPlan(ctx.quick);
  const out: BrokerCost[] = [];
  for (const venue of ['ib', 'futu'] as const) out.push(await runVenue(ctx, venue, plan));
  return out;
}

/** Same rate for both, or the comparison is not one: the adapter's run may send no more than 15% off the bare run's. */
export function sameRate(a: ClientRun, b: ClientRun): boolean {
  return measurable(a.sentPerS, true) && measurable(b.sentPerS, true) && Math.abs(a.sentPerS - b.sentPerS) <= 0.15 * b.sentPerS;
}

/** `ceilingUsPerTick`: raw ccxt's CPU per tick in this run, printed beside (NaN: not measured). */
export function reportBrokers(results: BrokerCost[], ceilingUsPerTick: number, report: Reporter, vs: VsCeiling): void {
  const st = 'broker adapters';
  for (const r of results) {
    const name = r.venue === 'ib' ? 'IB' : 'Futu';
    const verdict: Status = sameRate(r.adapter, r.bare) ? ratioAtMost(r.ratio, BROKER_COST_TARGET) : 'ERROR';
    const spread = r.windowRatios.length > 1 ? `; ${r.windowRatios.length} windows ${times(Math.min(...r.windowRatios))}–${times(Math.max(...r.windowRatios))}` : '';
    const rates = `stand-in sent ${int(r.adapter.sentPerS)}/s vs ${int(r.bare.sentPerS)}/s, ${r.symbols} instruments × ticker+trades, side by side${spread}`;
    report(st, `${name}: CPU µs per tick, adapter vs bare ${r.client}`,
      `${f2(r.adapter.cpuUsPerTick)} vs ${f2(r.bare.cpuUsPerTick)} = ${times(r.ratio)} (${rates}; raw ccxt ${f1(ceilingUsPerTick)} µs/tick)`,
      `≤ ×${BROKER_COST_TARGET}${sameRate(r.adapter, r.bare) ? '' : ' at the same rate'}`, verdict, vs.ms([r.adapter.cpuUsPerTick / 1000, r.bare.cpuUsPerTick / 1000]));
    report(st, `${name}: counted per s, adapter rows / bare callbacks`, `${int(r.adapter.receivedPerS)} / ${int(r.bare.receivedPerS)} (adapter batches ${int(r.adapter.batchesPerS)}/s)`, '', undefined, vs.rate(r.adapter.sentPerS));
  }
}
