// What a chart says about its data: never "live" while the host link is down, the
// series is reconnecting, or it went silent for longer than the stale window. A
// silent series the exchange vouched for (over REST: its market is quiet) counts
// its silence from that answer and says "live · quiet", as a watchlist row does.
import type { CandleState } from '../../../shared/contract/candles';
import type { ChartSeriesData } from './chart-data';

export type ChartTone = 'loading' | 'live' | 'stale' | 'reconnecting' | 'error';

export interface ChartStatus {
  tone: ChartTone;
  /** The header's word: the tone, or "live · quiet" for a live series on a quiet market. */
  label: string;
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
  else {
    const silentMs = data && data.receivedAt > 0 ? now - Math.max(data.receivedAt, data.quietAt) : null;
    tone = silentMs !== null && silentMs > staleAfterMs ? 'stale' : 'live';
  }
  const quiet = tone === 'live' && data !== undefined && data.quietAt > data.receivedAt;
  return { tone, label: quiet ? 'live · quiet' : tone, ageMs, repairNote };
}
