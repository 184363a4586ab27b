// Candles → lightweight-charts bars. Times are UTC seconds (the library's unit);
// volume bars take the candle's direction colour.
import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';
import type { Candle } from '../../../shared/contract/candles';

export const UP_COLOUR = '#26a69a';
export const DOWN_COLOUR = '#ef5350';
const UP_VOLUME = 'rgba(38, 166, 154, 0.5)';
const DOWN_VOLUME = 'rgba(239, 83, 80, 0.5)';

export function toBar(k: Candle): CandlestickData<UTCTimestamp> {
  return { time: (k.t / 1000) as UTCTimestamp, open: k.o, high: k.h, low: k.l, close: k.c };
}

export function toVolumeBar(k: Candle): HistogramData<UTCTimestamp> {
  return { time: (k.t / 1000) as UTCTimestamp, value: k.v, color: k.c >= k.o ? UP_VOLUME : DOWN_VOLUME };
}
