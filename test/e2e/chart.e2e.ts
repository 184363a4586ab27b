// Issue 12 item 1: the chart's candles equal the simulator's klines for the loaded
// range (read from the chart data the page holds, not pixels), the last candle
// updates live, and after dropped sockets the repaired candles equal them again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './terminal-fixture';

interface Candle { t: number; o: number; h: number; l: number; c: number; v: number }
const KEY = { exchange: 'sim', symbol: 'BTC/USDT', timeframe: '1s' };

const chartCandles = (page: Page): Promise<Candle[]> =>
  page.evaluate((key) => (window as unknown as { __foxtrotCharts: { get(k: unknown): { candles: Candle[] } | undefined } }).__foxtrotCharts.get(key)?.candles ?? [], KEY);

async function klines(rest: string): Promise<Map<number, Candle>> {
  const rows = (await (await fetch(`${rest}/klines?symbol=BTCUSDT&interval=1s&limit=1000`)).json()) as string[][];
  return new Map(rows.map((r) => [Number(r[0]), { t: Number(r[0]), o: Number(r[1]), h: Number(r[2]), l: Number(r[3]), c: Number(r[4]), v: Number(r[5]) }]));
}

/**
 * How the chart's candles, except the open last one, differ from the simulator's: a
 * candle that differs or is missing, or a kline missing in between. Empty when equal.
 */
async function chartVersusKlines(page: Page, rest: string): Promise<string[]> {
  const chart = await chartCandles(page);
  const sim = await klines(rest);
  const closed = chart.slice(0, -1);
  if (closed.length <= 2) return [`only ${closed.length} closed candles`];
  const problems: string[] = [];
  for (const k of closed) {
    const s = sim.get(k.t);
    if (!s) problems.push(`${k.t}: no such kline`);
    else if (k.o !== s.o || k.h !== s.h || k.l !== s.l || k.c !== s.c || Math.abs(k.v - s.v) > 1e-8) {
      problems.push(`${k.t}: chart ${JSON.stringify([k.o, k.h, k.l, k.c, k.v])} vs kline ${JSON.stringify([s.o, s.h, s.l, s.c, s.v])}`);
    }
  }
  const from = closed[0]!.t;
  const to = closed[closed.length - 1]!.t;
  const held = new Set(closed.map((k) => k.t));
  for (const t of sim.keys()) if (t >= from && t <= to && !held.has(t)) problems.push(`${t}: kline missing from the chart`);
  return problems;
}

/**
 * Every closed candle equals the simulator's kline. A candle built from trades is
 * settled from REST once it closes (trades before the stream's first delivery are not
 * in it), so the newest closed one may take a request's time to converge: polled.
 */
async function expectChartEqualsKlines(page: Page, rest: string): Promise<void> {
  await expect.poll(() => chartVersusKlines(page, rest), { timeout: 10_000 }).toEqual([]);
}

test('chart candles equal the simulator klines, update live, and are repaired after a dropped socket', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }],
      ui: { devMenu: true },
    },
  });
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  // The chart's data is exposed to tests with the perf flag the benchmark already uses.
  await page.goto(`${page.url().split('?')[0]}?perf=1`);
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  const log = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8');
  const rest = /simulated exchange listening.*?"rest":"([^"]+)"/.exec(log)?.[1];
  expect(rest, 'simulator REST URL in the log').toBeTruthy();

  // The benchmark counts React commits through the DevTools hook, installed before react-dom loads.
  expect(await page.evaluate(() => (window as unknown as { __foxtrotPerf: { commits: number } }).__foxtrotPerf.commits)).toBeGreaterThan(0);
  const panel = page.locator('section.chart-panel');
  // The chart library loads after the first paint: the history that came before it is drawn when the chart is made.
  await expect(panel.locator('.tv-lightweight-charts, a[href*="tradingview"]').first()).toBeAttached({ timeout: 15_000 });
  await expect.poll(async () => {
    const [drawn, held] = [Number(await panel.getAttribute('data-drawn')), Number(await panel.getAttribute('data-candles'))];
    return drawn > 0 && held - drawn <= 1; // a minute may turn between the two reads
  }, { timeout: 15_000 }).toBe(true);
  await panel.locator('button', { hasText: /^1s$/ }).click();
  await expect(panel).toHaveAttribute('data-timeframe', '1s');
  await expect(panel).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect.poll(async () => (await chartCandles(page)).length, { timeout: 15_000 }).toBeGreaterThan(4);
  await expect(panel.locator('.tv-lightweight-charts, a[href*="tradingview"]').first()).toBeAttached();

  // Live: the last candle moves on (a new 1 s candle opens) without a reload.
  const lastOpen = Number(await panel.getAttribute('data-last-open'));
  await expect.poll(async () => Number(await panel.getAttribute('data-last-open')), { timeout: 10_000 }).toBeGreaterThan(lastOpen);
  await expectChartEqualsKlines(page, rest!);

  // Drop every socket: the chart stops looking live, then says it repaired candles, and still equals the klines.
  await page.locator('[data-fault="drop-1006"]').click();
  await expect(panel).toHaveAttribute('data-repaired', /^\d+$/, { timeout: 20_000 });
  await expect(panel.locator('.chart-repaired')).toHaveText(/repaired \d+ candles?/);
  await expect(panel).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  const afterRepair = Number(await panel.getAttribute('data-last-open'));
  await expect.poll(async () => Number(await panel.getAttribute('data-last-open')), { timeout: 10_000 }).toBeGreaterThan(afterRepair);
  await expectChartEqualsKlines(page, rest!);

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});

test('a chart whose library cannot be loaded says so in its header', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: [{ exchange: 'sim', symbol: 'BTC/USDT' }],
    },
  });
  const { page } = t;
  // the chart's library is a chunk of its own (routing also turns the HTTP cache off)
  await page.route(/lightweight-charts/, (r) => r.abort());
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  await expect(page.locator('section.chart-panel .chart-error')).toContainText('chart could not load', { timeout: 15_000 });
  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
