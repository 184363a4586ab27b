// What the screen says about load, as plain data (the status bar and the
// diagnostics panel only lay it out): offered vs processed messages/s, tickers
// coalesced and trades shed, per exchange and for the terminal as a whole, and the
// event-loop lag of each process. Pure: tested without a DOM.
import { terminalLoad, type ExchangeStatus, type TerminalLoad } from '../../../shared/contract/status';
import type { RefusedInput } from '../../../shared/contract/renderer-api';
import { formatMs, formatRate } from '../format/format';

export interface LoadRow {
  /** An exchange id, or TERMINAL for the sum. */
  name: string;
  offered: string;
  processed: string;
  coalesced: number;
  shed: number;
  behind: boolean;
}

export const TERMINAL = 'terminal';

function row(name: string, offered: number, processed: number | undefined, coalesced: number, shed: number, behind: boolean): LoadRow {
  return { name, offered: formatRate(offered), processed: processed === undefined ? '—' : formatRate(processed), coalesced, shed, behind };
}

/** One row per exchange, then the terminal's sum. */
export function loadRows(exchanges: readonly ExchangeStatus[]): LoadRow[] {
  const rows = exchanges.map((e) => row(e.exchange, e.messagesPerSec, e.processedPerSec, e.tickersCoalesced ?? 0, e.tradesShed ?? 0, e.behind === true));
  const t = terminalLoad(exchanges);
  rows.push(row(TERMINAL, t.offeredPerSec, t.processedPerSec, t.tickersCoalesced, t.tradesShed, t.behind.length > 0));
  return rows;
}

export interface ProcessLag {
  process: 'streaming' | 'host' | 'renderer';
  /** Formatted ms, '—' when not measured yet. */
  lag: string;
}

/** Event-loop lag of the three processes: two from main's diagnostics, the renderer's own. */
export function processLags(load: TerminalLoad | undefined, rendererLagMs: number | undefined): ProcessLag[] {
  const fmt = (ms: number | undefined) => (ms === undefined ? '—' : formatMs(ms));
  return [
    { process: 'streaming', lag: fmt(load?.streamingLoopLagMs) },
    { process: 'host', lag: fmt(load?.hostLoopLagMs) },
    { process: 'renderer', lag: fmt(rendererLagMs) },
  ];
}

export interface StatusBarLoad {
  behind: boolean;
  /** Shown in the bar: the terminal's figures while behind, a short word otherwise. */
  text: string;
  /** Shown on hover: every figure. */
  title: string;
}

/** The status bar's terminal-wide figure. */
export function statusBarLoad(exchanges: readonly ExchangeStatus[], load: TerminalLoad | undefined): StatusBarLoad {
  const t = terminalLoad(exchanges);
  const figures = `offered ${formatRate(t.offeredPerSec)} msg/s · processed ${formatRate(t.processedPerSec)} msg/s · ${t.tickersCoalesced} tickers coalesced · ${t.tradesShed} trades shed`;
  const lags = load ? ` · loop lag: streaming ${load.streamingLoopLagMs === undefined ? '—' : formatMs(load.streamingLoopLagMs)} ms, host ${load.hostLoopLagMs === undefined ? '—' : formatMs(load.hostLoopLagMs)} ms` : '';
  const behind = t.behind.length > 0;
  return {
    behind,
    text: behind ? `behind: ${figures}` : `${formatRate(t.offeredPerSec)} msg/s`,
    title: `${behind ? `behind (${t.behind.join(', ')}): ` : ''}${figures}${lags}`,
  };
}

export interface RefusedRow {
  /** What was refused, as the panel says it. */
  what: string;
  count: number;
}

/**
 * Input the engine refused at its boundaries, in the order a trader cares about:
 * market data first (a price that was not shown), then what made a screen resend.
 */
export function refusedRows(refused: RefusedInput | undefined): RefusedRow[] {
  if (!refused) return [];
  return [
    { what: 'malformed market-data entries', count: refused.marketEntries },
    { what: 'invalid streaming-process messages', count: refused.streamingMessages },
    { what: 'invalid requests from windows', count: refused.rendererMessages },
    { what: 'frames a window refused (all rows resent)', count: refused.frameNacks },
    { what: 'frames unanswered past the ack timeout (all rows resent)', count: refused.ackTimeouts },
  ];
}
