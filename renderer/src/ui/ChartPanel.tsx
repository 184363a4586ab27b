// Candles and volume of one instrument (lightweight-charts; its attribution logo
// stays on, as its licence asks). History and repairs redraw the series; the live
// last candle goes through series.update, outside React. The header shows the
// series' state and data age like every other panel, and "repaired N candles".
// The live candle is applied at most every 250 ms (chart/live-throttle.ts). The library
// (a sixth of the renderer's code) is a chunk of its own, loaded when a chart mounts: the
// page need not compile it before its first paint. The series' data waits in `latest`
// meanwhile and is drawn when the chart is made.
import type { IChartApi, ISeriesApi, UTCTimestamp } from 'lightweight-charts';
import { useEffect, useId, useRef, useState } from 'react';
import { TIMEFRAME_NAMES, type CandleKey, type Timeframe } from '../../../shared/contract/candles';
import type { ChartInstrument } from '../chart/chart-instrument';
import { chartStatus } from '../chart/chart-status';
import type { ChartSeriesData } from '../chart/chart-data';
import { DOWN_COLOUR, toBar, toVolumeBar, UP_COLOUR } from '../chart/lw-bars';
import { LiveCandleThrottle } from '../chart/live-throttle';
import { formatAge } from '../format/format';
import { useApp, useRuntime } from './runtime-context';
import { now } from '../../../shared/clock';
import { errorMessage } from '../../../shared/error-message';

/** An overlay price scale (not the left or right axis) for the volume histogram. */
const VOLUME_SCALE = 'volume';

/** The panel's chart and its two series (candles, and volume overlaid on the pane's bottom fifth). */
interface Chart {
  api: IChartApi;
  candles: ISeriesApi<'Candlestick', UTCTimestamp>;
  volume: ISeriesApi<'Histogram', UTCTimestamp>;
}

/** `timeframe`/`onTimeframe`: a docked chart keeps its timeframe in the workspace; without them the panel keeps its own. */
export function ChartPanel({ instrument, timeframe: kept, onTimeframe }: { instrument: ChartInstrument | null; timeframe?: Timeframe; onTimeframe?: (tf: Timeframe) => void }) {
  const { api, charts, onAgeTick } = useRuntime();
  const consumer = useId();
  const [own, setOwn] = useState<Timeframe>('1m');
  const timeframe = kept ?? own;
  const setTimeframe = onTimeframe ?? setOwn;
  const [data, setData] = useState<ChartSeriesData | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const container = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLElement>(null);
  const chart = useRef<Chart | null>(null);
  const connected = useApp((s) => s.link.status === 'open');
  const staleAfterMs = useApp((s) => s.settings?.streaming.staleAfterMs.trades ?? 10_000);
  const latest = useRef<ChartSeriesData | undefined>(undefined);
  const stateEl = useRef<HTMLSpanElement>(null);
  const ageEl = useRef<HTMLSpanElement>(null);

  // State and age are painted by direct DOM writes (as the watchlist's ages are), on
  // the watchlist's once-a-second age tick and in its frame: the clock ticking costs no
  // React render and no timer or frame of its own, and a silent series turns stale by
  // itself. Unchanged values are not written (a write lays the header out again).
  useEffect(() => {
    const paint = (t: number) => {
      const st = chartStatus(latest.current, t, connected, staleAfterMs);
      if (root.current && root.current.dataset.state !== st.tone) root.current.dataset.state = st.tone;
      if (stateEl.current && stateEl.current.textContent !== st.label) {
        stateEl.current.textContent = st.label;
        stateEl.current.className = `chart-state tone-${st.tone}`;
      }
      const age = formatAge(st.ageMs);
      if (ageEl.current && ageEl.current.textContent !== age) ageEl.current.textContent = age;
    };
    paint(now());
    return onAgeTick(paint);
  }, [connected, staleAfterMs, data, onAgeTick]);

  // The chart object lives as long as the panel.
  useEffect(() => {
    const el = container.current!;
    let gone = false;
    import('lightweight-charts').then(({ createChart, CandlestickSeries, HistogramSeries }) => {
      if (gone) return;
      const api = createChart(el, {
        autoSize: true,
        layout: { background: { color: 'transparent' }, textColor: '#8b98a9', attributionLogo: true },
        grid: { vertLines: { color: '#1d2530' }, horzLines: { color: '#1d2530' } },
        timeScale: { timeVisible: true, secondsVisible: true },
      });
      const candles = api.addSeries(CandlestickSeries, { upColor: UP_COLOUR, downColor: DOWN_COLOUR, wickUpColor: UP_COLOUR, wickDownColor: DOWN_COLOUR, borderVisible: false });
      // Volume overlaid on the bottom fifth of the candles' pane, on a scale of its own with
      // no axis labels: in a pane of its own (its own canvases, axis and labels) each live
      // redraw cost ~10-15% more script (Chromium here: 2.5 vs 2.1-2.3 ms per update).
      const volume = api.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: VOLUME_SCALE, lastValueVisible: false, priceLineVisible: false });
      volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      candles.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0.25 } }); // clear of the volume bars
      const made: Chart = { api, candles: candles as Chart['candles'], volume: volume as Chart['volume'] };
      chart.current = made;
      // what the series received while the library loaded
      if (latest.current) drawAll(made, latest.current, root.current);
    }, (e: unknown) => {
      if (!gone) setLoadError(`chart could not load: ${errorMessage(e)}`);
    });
    return () => {
      gone = true;
      chart.current?.api.remove();
      chart.current = null;
    };
  }, []);

  // Open the series while shown; close it when the instrument or timeframe changes or the panel goes.
  useEffect(() => {
    if (!instrument) return;
    const key: CandleKey = { exchange: instrument.exchange, symbol: instrument.symbol, timeframe };
    // the live candle reaches lightweight-charts at most every LIVE_CHART_MS (each update is a redraw)
    const live = new LiveCandleThrottle({
      now: () => performance.now(),
      setTimeout: (fn, ms) => {
        const handle = window.setTimeout(fn, ms);
        return () => window.clearTimeout(handle);
      },
      apply: (candles) => {
        const c = chart.current;
        if (!c) return;
        for (const k of candles) {
          c.candles.update(toBar(k));
          c.volume.update(toVolumeBar(k));
        }
      },
    });
    const off = charts.listen(key, (change, d) => {
      const c = chart.current;
      const el = root.current;
      latest.current = d;
      if (c) {
        if (change === 'history') {
          live.clear(); // the history has every candle the pending updates had
          drawAll(c, d, el);
        } else if (change === 'update') live.offer(d.candles[d.candles.length - 1]!);
      }
      if (el) {
        el.dataset.candles = String(d.candles.length);
        el.dataset.lastOpen = String(d.candles[d.candles.length - 1]?.t ?? '');
      }
      // React renders on history and state changes only; live updates stay outside it.
      if (change !== 'update') setData({ ...d });
    });
    api.send({ type: 'candles-open', key, consumer });
    return () => {
      off();
      live.clear();
      api.send({ type: 'candles-close', key, consumer });
      latest.current = undefined;
      setData(undefined);
    };
  }, [api, charts, consumer, instrument?.exchange, instrument?.symbol, timeframe]); // eslint-disable-line react-hooks/exhaustive-deps -- the instrument object is compared by its fields

  const status = chartStatus(data, now(), connected, staleAfterMs);
  return (
    <section className="chart-panel" ref={root} data-timeframe={timeframe} data-repaired={data?.repaired ?? ''} aria-label="chart">
      <header className="chart-header">
        <span className="chart-title">{instrument ? `${instrument.symbol} · ${instrument.exchange}` : 'No instrument'}</span>
        <span className="chart-timeframes" role="group" aria-label="timeframe">
          {TIMEFRAME_NAMES.map((tf) => (
            <button key={tf} type="button" className={tf === timeframe ? 'active' : ''} aria-pressed={tf === timeframe} onClick={() => setTimeframe(tf)}>
              {tf}
            </button>
          ))}
        </span>
        <span ref={stateEl} className="chart-state" />
        <span ref={ageEl} className="chart-age" title="age of the newest candle data" />
        {status.repairNote && <span className="chart-repaired">{status.repairNote}</span>}
        {data?.error && status.tone !== 'live' && <span className="chart-error">{data.error}</span>}
        {loadError && <span className="chart-error">{loadError}</span>}
      </header>
      <div className="chart-canvas" ref={container} />
    </section>
  );
}

/**
 * Replaces both series with every candle of `d` (history, a repair, or what arrived
 * before the chart was made); the panel's data-drawn says how many (tests compare it).
 */
function drawAll(c: Chart, d: ChartSeriesData, panel: HTMLElement | null): void {
  c.candles.setData(d.candles.map(toBar));
  c.volume.setData(d.candles.map(toVolumeBar));
  if (panel) panel.dataset.drawn = String(d.candles.length);
}
