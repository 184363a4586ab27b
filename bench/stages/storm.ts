// Stage "storm": a market crash as the terminal would meet it. Calm at the
// simulator's default rate, then 2 × the capacity measured in the same run for a
// while, then calm again. Judged by what a trader needs then: the streaming
// process is not restarted, every trade is accounted for, data is not seconds
// late, and every row is live again soon after the storm ends.
import type { TickerRow } from '../../shared/contract/renderer-api';
import { SimulatorSettingsSchema } from '../../shared/settings';
import { accountTrades, atMost, f1, f2, int, mb, planForLoad, ratio } from '../judge';
import type { HostStats, SimSnapshot, SimView } from '../protocol';
import { sleep } from '../rpc';
import { rssBytes } from '../procfs';
import { summarize, type Summary } from '../stats';
import type { BenchContext, Reporter, VsCeiling } from './context';

export const STORM_TARGETS = { restarts: 0, p99Ms: 250, liveAfterCalmMs: 10_000 } as const;

export interface StormResult {
  capacityPerS: number;
  capacitySource: string;
  plan: { symbols: number; perStream: number; offered: number };
  stormSeconds: number;
  calmPerStream: number;
  simSentPerS: number;
  simSkipped: number;
  deliveredPerS: number;
  restarts: number;
  latencyEngineMs: Summary;
  /** Latency samples seen during the storm (the summary is of a bounded uniform sample). */
  latencySeen: number;
  trades: { sent: number; delivered: number; shed: number | undefined };
  rows: number;
  /** Rows whose exchange event time was after calm began, at the end of the wait. */
  rowsLive: number;
  /** Calm → every row showing data generated after calm; NaN when not within the wait. */
  liveAfterCalmMs: number;
  liveWaitLimitMs: number;
  drainedQuietly: boolean;
  /** The streaming process's RSS as the storm ends and after it has been quiet for a while (full runs only). */
  memory: { stormEndBytes: number; quietBytes: number; quietSeconds: number } | undefined;
}

/** Quiet this long gives IdleMemoryTrim (10 s quiet, then the next heartbeat) time to run. */
const QUIET_FOR_MEMORY_S = 15;

/** Rows showing data generated at or after `since` (exchange event time, epoch ms). */
function liveRows(rows: readonly TickerRow[], since: number): number {
  let n = 0;
  for (const r of rows) if (r.eventTime !== null && r.eventTime >= since) n++;
  return n;
}

export async function runStorm(ctx: BenchContext, capacity: { perS: number; source: string }): Promise<StormResult> {
  const { sim, quick } = ctx;
  const plan = planForLoad(2 * capacity.perS, ctx.simInfo.symbols.length);
  const symbols = ctx.simInfo.symbols.slice(0, plan.symbols);
  const stormSeconds = quick ? 2 : 60;
  const calmPerStream = SimulatorSettingsSchema.parse({}).ratePerSymbol;
  const liveWaitLimitMs = quick ? 15_000 : 60_000;
  await sim.call('setRate', { rate: 0 });
  await sim.call('resetCounts');
  const { host } = await ctx.startHost(symbols, ['ticker', 'trades']);
  try {
    await sim.call('setRate', { rate: calmPerStream });
    const rowsNow = (): Promise<TickerRow[]> => host.call<TickerRow[]>('rows', {}, 60_000);
    const allHaveData = async (): Promise<boolean> => (await rowsNow()).filter((r) => r.receivedAt > 0).length >= plan.symbols;
    for (const end = performance.now() + (quick ? 20_000 : 60_000); performance.now() < end && !(await allHaveData()); ) await sleep(200);

    const h0 = await host.call<HostStats>('stats');
    const s0 = await sim.call<SimView>('view');
    await host.call('takeEngineLatencies');
    await sim.call('setRate', { rate: plan.perStream });
    await sleep(stormSeconds * 1000);
    const h1 = await host.call<HostStats>('stats', {}, 60_000);
    const stormEndBytes = rssBytes(h1.streamingPid);
    const s1 = await sim.call<SimView>('view');
    const latencies = await host.call<{ values: number[]; seen: number }>('takeEngineLatencySample', {}, 60_000);

    // calm: the default rate again; how long until every row shows post-calm data
    const calmAt = Date.now();
    await sim.call('setRate', { rate: calmPerStream });
    let liveAfterCalmMs = NaN;
    let rowsLive = 0;
    while (Date.now() - calmAt < liveWaitLimitMs) {
      rowsLive = liveRows(await rowsNow(), calmAt);
      if (rowsLive >= plan.symbols) {
        liveAfterCalmMs = Date.now() - calmAt;
        break;
      }
      await sleep(100);
    }

    // accounting at a quiet moment: nothing more is sent, everything in flight has landed
    await sim.call('setRate', { rate: 0 });
    const drainTimeout = quick ? 15_000 : 120_000;
    const t0 = performance.now();
    const hEnd = await ctx.drain(host, 1000, drainTimeout);
    const drainedQuietly = performance.now() - t0 < drainTimeout;
    const snap = await sim.call<SimSnapshot>('snapshot', {}, 60_000);
    let memory: StormResult['memory'];
    if (!quick && hEnd.streamingPid === h1.streamingPid) {
      await sleep(QUIET_FOR_MEMORY_S * 1000);
      memory = { stormEndBytes, quietBytes: rssBytes(hEnd.streamingPid), quietSeconds: QUIET_FOR_MEMORY_S };
    }
    const dt = (h1.at - h0.at) / 1000;
    return {
      capacityPerS: capacity.perS, capacitySource: capacity.source, plan, stormSeconds, calmPerStream,
      simSentPerS: (s1.totals.messagesSent - s0.totals.messagesSent) / dt,
      simSkipped: s1.totals.messagesSkipped - s0.totals.messagesSkipped,
      deliveredPerS: (h1.ticksIn - h0.ticksIn) / dt,
      restarts: hEnd.restarts,
      latencyEngineMs: summarize(latencies.values),
      latencySeen: latencies.seen,
      // shed-and-counted: the sum over subscriptions the streaming process's statuses report
      trades: { sent: snap.tradesSent, delivered: hEnd.tradesApplied, shed: hEnd.tradesShed },
      rows: plan.symbols, rowsLive, liveAfterCalmMs, liveWaitLimitMs, drainedQuietly, memory,
    };
  } finally {
    await sim.call('setRate', { rate: 0 }).catch(() => undefined);
    await ctx.stopWorker(host);
  }
}

export function reportStorm(r: StormResult, report: Reporter, vs: VsCeiling): void {
  const st = 'storm';
  report(st, 'load', `2 × ${int(r.capacityPerS)}/s (${r.capacitySource}) = ${r.plan.symbols} symbols × ticker+trades × ${r.plan.perStream}/s = ${int(r.plan.offered)}/s for ${r.stormSeconds} s, then calm at ${r.calmPerStream}/s per stream; sim sent ${int(r.simSentPerS)}/s, skipped ${int(r.simSkipped)}`, '', undefined, vs.rate(r.plan.offered));
  report(st, 'ticks/s delivered to the engine during the storm', `${int(r.deliveredPerS)} (${f1(ratio(r.deliveredPerS, r.simSentPerS) * 100)}% of sent; tickers coalesce)`, '', undefined, vs.rate(r.deliveredPerS));
  report(st, 'streaming process restarts', int(r.restarts), String(STORM_TARGETS.restarts), atMost(r.restarts, STORM_TARGETS.restarts));
  const acc = accountTrades(r.trades);
  report(st, 'trades: delivered + shed-and-counted = sent', `${acc.text}${r.drainedQuietly ? '' : ' (still receiving when counted)'}`, 'gap 0', acc.status);
  const l = r.latencyEngineMs;
  report(st, 'socket→engine store ms p50/p99/p99.9 during the storm', `${f2(l.p50)} / ${f2(l.p99)} / ${f2(l.p999)} (n=${int(l.n)} of ${int(r.latencySeen)})`, `p99 ≤ ${STORM_TARGETS.p99Ms} ms`, atMost(l.p99, STORM_TARGETS.p99Ms), vs.ms([l.p50, l.p99, l.p999]));
  const live = Number.isFinite(r.liveAfterCalmMs)
    ? `${int(r.liveAfterCalmMs)} ms (${r.rows}/${r.rows} rows)`
    : `not within ${int(r.liveWaitLimitMs)} ms: ${r.rowsLive}/${r.rows} rows live`;
  // a row that never came back within the wait is a FAIL with its count, not an unmeasured figure
  report(st, 'calm → every row live again', live, `≤ ${int(STORM_TARGETS.liveAfterCalmMs)} ms`, Number.isFinite(r.liveAfterCalmMs) ? atMost(r.liveAfterCalmMs, STORM_TARGETS.liveAfterCalmMs) : 'FAIL', Number.isFinite(r.liveAfterCalmMs) ? vs.ms([r.liveAfterCalmMs]) : '');
  if (r.memory) {
    report(st, 'streaming process RSS: storm end → quiet', `${mb(r.memory.stormEndBytes)} → ${mb(r.memory.quietBytes)} after ${r.memory.quietSeconds} s without ticks (the young generation grown for the storm is given back when quiet)`);
  }
}
