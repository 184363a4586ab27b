// How the benchmark judges and words its figures. Pure functions and one small
// accumulator, so the rules that keep the table honest are unit-tested
// (test/unit/bench-judge.test.ts): a figure that could not be measured is an
// ERROR, never a PASS; a process replaced mid-stage shows up as a restart count,
// never as negative CPU; a load that was not met says so with its figures.

import type { HostStats, IpcFloor } from './protocol';

export type Status = 'PASS' | 'FAIL' | 'INFO' | 'ERROR';

/** A measured quantity is usable when it is a finite number ≥ 0 (a ratio: > 0). */
export function measurable(value: number, positive = false): boolean {
  return Number.isFinite(value) && (positive ? value > 0 : value >= 0);
}

/** value ≤ limit; ERROR when value is not a finite number ≥ 0. */
export function atMost(value: number, limit: number): Status {
  if (!measurable(value)) return 'ERROR';
  return value <= limit ? 'PASS' : 'FAIL';
}

/** value ≥ limit; ERROR when value is not a finite number ≥ 0. */
export function atLeast(value: number, limit: number): Status {
  if (!measurable(value)) return 'ERROR';
  return value >= limit ? 'PASS' : 'FAIL';
}

/** A ratio (cost ×, fraction of a baseline) ≤ limit; ERROR unless a positive finite number. */
export function ratioAtMost(ratio: number, limit: number): Status {
  if (!measurable(ratio, true)) return 'ERROR';
  return ratio <= limit ? 'PASS' : 'FAIL';
}

/** A ratio ≥ limit; ERROR unless a positive finite number. */
export function ratioAtLeast(ratio: number, limit: number): Status {
  if (!measurable(ratio, true)) return 'ERROR';
  return ratio >= limit ? 'PASS' : 'FAIL';
}

/**
 * An offered rate within `tolerance` (a fraction) of what the stage says it offers:
 * a stage whose load is not the one it names fails its load row, so its other figures
 * are not read as the named scenario's. ERROR when not measured.
 */
export function offeredAsPlanned(perS: number, plannedPerS: number, tolerance = 0.2): Status {
  if (!measurable(perS) || !measurable(plannedPerS, true)) return 'ERROR';
  return Math.abs(perS - plannedPerS) <= tolerance * plannedPerS ? 'PASS' : 'FAIL';
}

/** The worst of several verdicts on one row: ERROR, then FAIL, then PASS (INFO only when all are). */
export function worstOf(...statuses: Status[]): Status {
  for (const s of ['ERROR', 'FAIL', 'PASS'] as const) if (statuses.includes(s)) return s;
  return 'INFO';
}

/** a / b when both are positive finite numbers, NaN otherwise (never ±Infinity, never negative). */
export function ratio(a: number, b: number): number {
  return measurable(a) && measurable(b, true) ? a / b : NaN;
}

// ---- formatting --------------------------------------------------------------------

export const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
export const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const mb = (bytes: number): string => (Number.isFinite(bytes) ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : 'n/a');
export const pct = (fraction: number): string => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : 'n/a');
export const times = (r: number): string => (measurable(r, true) ? `×${r.toFixed(2)}` : 'n/a');

/**
 * Figures relative to the ceiling C of the same run (raw ccxt's parsed ticks/s),
 * since machines here differ by 2×: a rate as a fraction of C, a duration in
 * units of 1/C (how many ticks raw ccxt parses in that time). Sizes and counts do
 * not scale with speed and get none.
 */
export function rateVsCeiling(perS: number, ceilingPerS: number | undefined): string {
  const r = ceilingPerS === undefined ? NaN : ratio(perS, ceilingPerS);
  return Number.isFinite(r) ? `${r.toFixed(r < 0.1 ? 3 : 2)} C` : '';
}
export function durationVsCeiling(ms: readonly number[], ceilingPerS: number | undefined): string {
  if (ceilingPerS === undefined || !measurable(ceilingPerS, true) || ms.length === 0) return '';
  if (!ms.every((m) => measurable(m))) return '';
  const inTicks = (m: number): string => {
    const t = (m / 1000) * ceilingPerS;
    return t < 10 ? t.toFixed(2) : int(t);
  };
  return `${ms.map(inTicks).join(' / ')} /C`;
}

// ---- CPU of a process that may be replaced -------------------------------------------

/**
 * CPU time of "the streaming process" across a stage, sampled by pid. When the
 * supervisor replaces the process, the new one starts from zero: its CPU is added
 * from there, and the CPU the old one spent after its last sample is not known
 * (the total is then a lower bound, and `replaced` says how often).
 */
export class CpuAccount {
  private pid: number | undefined;
  private last = 0;
  private sum = 0;
  private replacements = 0;

  /** One reading: pid (undefined while there is none) and its cumulative CPU ms. */
  sample(pid: number | undefined, cpuMs: number): void {
    if (pid === undefined || !measurable(cpuMs)) return;
    if (this.pid === undefined) {
      this.pid = pid;
      this.last = cpuMs;
      return;
    }
    if (pid !== this.pid) {
      this.replacements++;
      this.pid = pid;
      this.sum += cpuMs; // a new process: everything it used was in this stage
      this.last = cpuMs;
      return;
    }
    // the same pid cannot use negative CPU; a lower reading means /proc had nothing (gone)
    if (cpuMs > this.last) {
      this.sum += cpuMs - this.last;
      this.last = cpuMs;
    }
  }

  get totalMs(): number {
    return this.sum;
  }

  /** How many times the pid changed between samples. */
  get replaced(): number {
    return this.replacements;
  }
}

// ---- verdicts --------------------------------------------------------------------------

export interface LoadFigures {
  /** Rows that had received data before measuring began, of how many. */
  rowsWithData: number;
  rows: number;
  /** Trades neither delivered nor counted as shed, and trades shed and counted on their rows. */
  tradesLost: number;
  tradesShed: number;
  lostBatches: number;
  tickerMismatches: number;
  queuesBounded: boolean;
  simSkipped: number;
  deliveredRatio: number;
  restarts: number;
}

/** Was the offered load met? The reasons say why not, with figures. */
export function sustainedVerdict(f: LoadFigures): { sustained: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (f.rowsWithData < f.rows) reasons.push(`only ${int(f.rowsWithData)} of ${int(f.rows)} rows received data`);
  if (f.restarts > 0) reasons.push(`streaming process restarted ${f.restarts}×`);
  if (f.tradesLost > 0) reasons.push(`${int(f.tradesLost)} trades lost`);
  if (f.tradesShed > 0) reasons.push(`${int(f.tradesShed)} trades shed (counted)`);
  if (f.lostBatches > 0) reasons.push(`${int(f.lostBatches)} batches lost`);
  if (f.tickerMismatches > 0) reasons.push(`${int(f.tickerMismatches)} tickers not converged`);
  if (!f.queuesBounded) reasons.push('queues kept growing');
  if (f.simSkipped > 0) reasons.push(`simulator skipped ${int(f.simSkipped)} messages`);
  if (!(f.deliveredRatio >= 0.9)) reasons.push(`delivered ${f1(f.deliveredRatio * 100)}% of sent`);
  return { sustained: reasons.length === 0, reasons };
}

export interface TradeAccounting {
  sent: number;
  delivered: number;
  /** Trades shed and counted by Foxtrot; undefined when nothing reports shed counts. */
  shed: number | undefined;
}

/** delivered + shed-and-counted = sent, or the gap. */
export function accountTrades(a: TradeAccounting): { status: Status; gap: number; text: string } {
  if (!measurable(a.sent) || !measurable(a.delivered)) return { status: 'ERROR', gap: NaN, text: 'not measured' };
  const shed = a.shed ?? 0;
  const gap = a.sent - a.delivered - shed;
  const shedText = a.shed === undefined ? 'shed: not reported by the streaming process' : `shed and counted ${int(a.shed)}`;
  const text = `sent ${int(a.sent)}, delivered ${int(a.delivered)}, ${shedText}; gap ${int(gap)}`;
  return { status: gap === 0 ? 'PASS' : 'FAIL', gap, text };
}

/**
 * Messages/s a symbol's ticker + trades streams offer at a step rate of r/s each: the
 * ticker's r and, on the trade stream, every trade of the symbol (each stream's step
 * makes one: 2r). The load simulator streams every trade, as an exchange does: trade
 * ids without gaps (a stream that skipped other streams' trades made a tape hole per
 * message, which the app rightly recovered over REST).
 */
export const MESSAGES_PER_SYMBOL_STEP = 3;

/**
 * A sim → Foxtrot plan that offers `perS` messages/s over ticker + trades streams:
 * as many symbols as needed at `perStream` steps/s each, and a higher per-stream rate
 * once every symbol the simulator has is in use.
 */
export function planForLoad(perS: number, maxSymbols: number, perStream = 50): { symbols: number; perStream: number; offered: number } {
  if (!measurable(perS, true) || maxSymbols < 1) throw new Error(`cannot plan a load of ${perS}/s over ${maxSymbols} symbols`);
  const k = MESSAGES_PER_SYMBOL_STEP;
  let symbols = Math.ceil(perS / (k * perStream));
  let rate = perStream;
  if (symbols > maxSymbols) {
    symbols = maxSymbols;
    rate = Math.ceil(perS / (k * symbols));
  }
  symbols = Math.max(1, symbols);
  return { symbols, perStream: rate, offered: symbols * k * rate };
}

export interface PathRate { label: string; deliveredPerS: number; sustained: boolean }

/**
 * The capacity a storm doubles, from the same run: the highest rate the path
 * stages sustained; if none was sustained, the lowest stage's delivered rate;
 * without path stages, the target capacity 0.6 × the ceiling.
 */
export function measuredCapacity(rates: readonly PathRate[], ceilingPerS: number | undefined): { perS: number; source: string } | undefined {
  const sustained = rates.filter((r) => r.sustained && measurable(r.deliveredPerS, true));
  if (sustained.length) {
    const best = sustained.reduce((a, b) => (b.deliveredPerS > a.deliveredPerS ? b : a));
    return { perS: best.deliveredPerS, source: `highest sustained path rate (${best.label})` };
  }
  const first = rates.find((r) => measurable(r.deliveredPerS, true));
  if (first) return { perS: first.deliveredPerS, source: `no path rate sustained: delivered at ${first.label}` };
  if (ceilingPerS !== undefined && measurable(ceilingPerS, true)) return { perS: 0.6 * ceilingPerS, source: 'no path stages: 0.6 C, the target capacity' };
  return undefined;
}

/** value ≤ limit for a signed figure (e.g. ms after a deadline, negative = before); ERROR unless finite. */
export function signedAtMost(value: number, limit: number): Status {
  if (!Number.isFinite(value)) return 'ERROR';
  return value <= limit ? 'PASS' : 'FAIL';
}

/** "845 ms before" / "12 ms after" a reference moment. */
export function beforeAfter(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 0 ? `${int(-ms)} ms before` : `${int(ms)} ms after`;
}

/** A sample of what a process holds after its last full collection (bytes), `t` seconds into a soak. */
export interface HeldSample {
  t: number;
  held: number | undefined;
}

/**
 * Whether what a process holds after full collections is bounded over a soak: what
 * it held at the end against what it held at half time (the last sample at or before
 * it). Caches fill during the first half and then stay; a leak keeps growing. The
 * growth is a fraction (0.05 = 5% more at the end); NaN when either half saw no full
 * collection.
 */
export function heldGrowth(samples: readonly HeldSample[], seconds: number): { half: number; end: number; growth: number } {
  const known = samples.filter((s): s is { t: number; held: number } => s.held !== undefined && measurable(s.held, true));
  const half = known.filter((s) => s.t <= seconds / 2).at(-1)?.held ?? NaN;
  const end = known.at(-1)?.held ?? NaN;
  return { half, end, growth: ratio(end, half) - 1 };
}

/** What boundaryFloor reads of one measurement of the bare process boundary (ipc-floor-worker.ts). */
export type BoundaryMeasure = Pick<IpcFloor, 'floorMsPerS' | 'batchesPerS' | 'acksPerS'>;

/** A stage's traffic across the boundary, and the cost target it is judged by. */
export interface BoundaryStage {
  /** Messages per second both ways between the streaming process and the host. */
  messagesPerS: number;
  /** What the stage's cost target counts, per second: ticks delivered (path stages) or messages offered (screen). */
  unitsPerS: number;
  /** Raw ccxt's CPU µs per such unit at the same load, and the target as a multiple of it. */
  rawUsPerUnit: number;
  targetRatio: number;
}

/**
 * The process boundary's floor at a stage's message rate, in CPU µs per unit the cost
 * target counts, beside what that target leaves for everything beyond raw ccxt
 * (`allowanceUs`). `exceeds`: the boundary alone costs more than the allowance, so the
 * target cannot be met while the streaming process is a process of its own. NaN
 * figures (and exceeds false) when anything was not measured: a floor is never claimed
 * from a bad reading.
 */
export function boundaryFloor(m: BoundaryMeasure, s: BoundaryStage): { perMessageUs: number; floorUs: number; allowanceUs: number; exceeds: boolean } {
  const perMessageUs = ratio(m.floorMsPerS * 1000, m.batchesPerS + m.acksPerS);
  const floorUs = ratio(perMessageUs * s.messagesPerS, s.unitsPerS);
  const allowanceUs = measurable(s.rawUsPerUnit, true) && s.targetRatio >= 1 ? (s.targetRatio - 1) * s.rawUsPerUnit : NaN;
  return { perMessageUs, floorUs, allowanceUs, exceeds: measurable(floorUs) && measurable(allowanceUs) && floorUs > allowanceUs };
}

/** The table's name for the boundary row, the same in every stage that has one. */
export const BOUNDARY_FIGURE = 'the process boundary alone (bare Node IPC at this batch rate)';

/**
 * The boundary row's text: the floor per unit at the stage's message rates, how it was
 * measured, and what the cost target leaves beyond raw ccxt.
 */
export function boundaryText(
  b: IpcFloor | { error: string },
  s: { toHostPerS: number; toProcessPerS: number; unitsPerS: number; rawUsPerUnit: number; unit: string; targetRatio: number },
): string {
  if ('error' in b) return `not measured: ${b.error}`.slice(0, 200);
  const messagesPerS = s.toHostPerS + s.toProcessPerS;
  const f = boundaryFloor(b, { messagesPerS, unitsPerS: s.unitsPerS, rawUsPerUnit: s.rawUsPerUnit, targetRatio: s.targetRatio });
  return `${f1(f.floorUs)} µs/${s.unit}: ${int(messagesPerS)} messages/s (batches ${int(s.toHostPerS)}, to the process ${int(s.toProcessPerS)}) × ${f1(f.perMessageUs)} µs each `
    + `(a bare child sent ${int(b.batchesPerS)} batches/s, acked ${int(b.acksPerS)}/s: child +${f1(b.childSendingMsPerS - b.childControlMsPerS)} ms/s, host ${f1(b.hostMsPerS)} ms/s); `
    + `the ×${s.targetRatio} target leaves ${f1(f.allowanceUs)} µs/${s.unit} beyond raw ccxt${f.exceeds ? ': the floor alone is above it' : ''}`;
}

/**
 * Whether ticks still moved between two host samples while draining: the host took
 * ticks in or still has rows to send or a frame unacked, or the streaming process (as
 * of its heartbeat) took ticks in from its sockets or holds ticks it has not sent.
 */
export function drainMoved(
  prev: Pick<HostStats, 'ticksIn' | 'streamingTicksIn'>,
  s: Pick<HostStats, 'ticksIn' | 'streamingTicksIn' | 'streamingTicksPending' | 'dirty' | 'awaiting'>,
): boolean {
  return s.ticksIn !== prev.ticksIn || s.streamingTicksIn !== prev.streamingTicksIn || s.streamingTicksPending > 0 || s.dirty > 0 || s.awaiting > 0;
}
