// What a chart says about its data: never "live" while the host link is down, the
// series is reconnecting, or nothing arrived for longer than the stale window.
import type { CandleState } from '../../../shared/contract/candles';
import type { ChartSeriesData } from './chart-data';

export type ChartTone = 'loading' | 'live' | 'stale' | 'reconnecting' | 'error';

export interface ChartStatus {
  tone: ChartTone;
  /** ms since the newest data, or null before any. */
  ageMs: number | null;
  /** "repaired N candles" after a repair, else null. */
  repairNote: string | null;
}

export function chartStatus(data: ChartSeriesData | undefined, now: number, hostConnected: boolean, staleAfterMs: number): ChartStatus {
  const ageMs = data && data.receivedAt > 0 ? Math.max(0, now - data.receivedAt) : null;
  const repairNote = data?.repaired !== undefined ? `repaired ${data.repaired} candle${data.repaired === 1 ? '' : 's'}` : null;
  const state: CandleState = data?.state ?? 'loading';
  let tone: ChartTone;
  if (!hostConnected) tone = data ? 'stale' : 'loading';
  else if (state !== 'live') tone = state;
  else tone = ageMs !== null && ageMs > staleAfterMs ? 'stale' : 'live';
  return { tone, ageMs, repairNote };
}
