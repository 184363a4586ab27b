// Stage "broker adapters": CPU per tick of the IB and Futu adapters against their bare
// clients at the same rate (issue 13, ≤ 1.25×). Each venue's stand-in (TWS, OpenD) runs
// in this process, fresh per run and at a fixed rate, so both clients receive the same
// stream; each client runs alone in broker-worker.ts. A "tick" is one market-data
// message the stand-in sent in the window: the denominator is the same for both, while
// what each side counts differs (the adapter merges a quote's field messages into one row).
import { OpenDStandIn } from '../../simulator/opend/opend-standin';
import { DEFAULT_TWS_CONTRACTS, TwsSimulator } from '../../simulator/tws/tws-simulator';
import { formatIbNotation } from '../../shared/instrument-notation';
import type { Channel } from '../../shared/market';
import type { BrokerClientMode, BrokerVenue, BrokerWorkerStart } from '../broker-worker';
import { f1, f2, int, measurable, ratio, ratioAtMost, times, type Status } from '../judge';
import { sleep } from '../rpc';
import type { BenchContext, Reporter, VsCeiling } from './context';

export const BROKER_COST_TARGET = 1.25;

interface BrokerPlan { seconds: number; warmupS: number; channels: Channel[] }
export function brokerPlan(quick: boolean): BrokerPlan {
  return quick ? { seconds: 0.8, warmupS: 0.2, channels: ['ticker', 'trades'] } : { seconds: 10, warmupS: 2, channels: ['ticker', 'trades'] };
}

/** One client's run: what the stand-in sent in the window, what the client counted, its CPU. */
export interface ClientRun { sentPerS: number; receivedPerS: number; cpuMs: number; cpuUsPerTick: number; /** Adapter: batches handed to the parent per s (0 for a bare client). */ batchesPerS: number }
export interface BrokerCost { venue: BrokerVenue; client: string; symbols: number; bare: ClientRun; adapter: ClientRun; ratio: number }

const IB_SYMBOLS = DEFAULT_TWS_CONTRACTS.map(formatIbNotation);
const FUTU_SYMBOLS = ['HK.00700', 'HK.09988', 'US.AAPL', 'US.TSLA', 'US.NVDA'];
const FUTU_KEY = 'bench';

/** A stand-in for one run: start, its address, its sent-message counter, stop. */
interface StandIn { host: string; port: number; key?: string; sent(): number; stop(): Promise<void> }

async function standIn(venue: BrokerVenue): Promise<StandIn> {
  if (venue === 'ib') {
    // every 5 ms (its fastest): 5 contracts × (a quote's 5-7 field messages + a trade) per step
    const tws = new TwsSimulator({ seed: 11, ratePerRequest: 200 });
    await tws.start();
    return { host: tws.host, port: tws.port, sent: () => tws.view().totals.messagesSent, stop: () => tws.stop() };
  }
  const opend = new OpenDStandIn({ seed: 11, pushIntervalMs: 5, websocketKey: FUTU_KEY });
  await opend.start();
  return { host: '127.0.0.1', port: opend.port, key: FUTU_KEY, sent: () => opend.view().counts.pushes, stop: () => opend.close() };
}

async function runClient(ctx: BenchContext, venue: BrokerVenue, mode: BrokerClientMode, plan: BrokerPlan): Promise<ClientRun> {
  const s = await standIn(venue);
  const w = ctx.fork(`${venue}-${mode}`, 'broker-worker.cjs');
  try {
    const start: BrokerWorkerStart = { venue, mode, host: s.host, port: s.port, key: s.key, symbols: venue === 'ib' ? IB_SYMBOLS : FUTU_SYMBOLS, channels: plan.channels };
    await w.call('start', start, 30_000);
    type Counts = { received: number; batches: number; cpuMs: number; at: number };
    // data flowing, then the warm-up (connection, first snapshots, JIT) stays out of the window
    for (let end = performance.now() + 30_000; (await w.call<Counts>('counts')).received === 0; await sleep(100))
      if (performance.now() > end) throw new Error(`${venue} ${mode}: no market data within 30 s`);
    await sleep(plan.warmupS * 1000);
    const c0 = await w.call<Counts>('counts');
    const s0 = s.sent();
    await sleep(plan.seconds * 1000);
    const c1 = await w.call<Counts>('counts');
    const sent = s.sent() - s0;
    const secs = (c1.at - c0.at) / 1000;
    const cpuMs = c1.cpuMs - c0.cpuMs;
    return { sentPerS: ratio(sent, secs), receivedPerS: ratio(c1.received - c0.received, secs), cpuMs, cpuUsPerTick: ratio(cpuMs * 1000, sent), batchesPerS: ratio(c1.batches - c0.batches, secs) };
  } finally {
    await ctx.stopWorker(w);
    await s.stop();
  }
}

export async function runBrokers(ctx: BenchContext): Promise<BrokerCost[]> {
  const plan = brokerPlan(ctx.quick);
  const out: BrokerCost[] = [];
  for (const venue of ['ib', 'futu'] as const) {
    const bare = await runClient(ctx, venue, 'bare', plan);
    const adapter = await runClient(ctx, venue, 'adapter', plan);
    out.push({
      venue, client: venue === 'ib' ? '@stoqey/ib IBApi' : 'futu-api', symbols: venue === 'ib' ? IB_SYMBOLS.length : FUTU_SYMBOLS.length,
      bare, adapter, ratio: ratio(adapter.cpuUsPerTick, bare.cpuUsPerTick),
    });
  }
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
    const rates = `stand-in sent ${int(r.adapter.sentPerS)}/s vs ${int(r.bare.sentPerS)}/s, ${r.symbols} instruments × ticker+trades`;
    report(st, `${name}: CPU µs per tick, adapter vs bare ${r.client}`,
      `${f2(r.adapter.cpuUsPerTick)} vs ${f2(r.bare.cpuUsPerTick)} = ${times(r.ratio)} (${rates}; raw ccxt ${f1(ceilingUsPerTick)} µs/tick)`,
      `≤ ×${BROKER_COST_TARGET}${sameRate(r.adapter, r.bare) ? '' : ' at the same rate'}`, verdict, vs.ms([r.adapter.cpuUsPerTick / 1000, r.bare.cpuUsPerTick / 1000]));
    report(st, `${name}: counted per s, adapter rows / bare callbacks`, `${int(r.adapter.receivedPerS)} / ${int(r.bare.receivedPerS)} (adapter batches ${int(r.adapter.batchesPerS)}/s)`, '', undefined, vs.rate(r.adapter.sentPerS));
  }
}
