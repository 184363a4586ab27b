// A market that stops trading is not a broken feed: the exchange's REST vouches for the
// rows' old numbers and the chart's last candles, so they stay live (marked quiet)
// instead of going stale and reconnecting every staleAfterMs.
import { test, expect } from './terminal-fixture';
import { awaitSim, control } from './sim-control';
import { liveRow, recordStates, recordStatesOf, seenStates } from './row-watch';

test('a quiet market: rows and the chart stay live, marked quiet, with no reconnect; they move again when it trades', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      streaming: { staleAfterMs: { ticker: 2000, trades: 2000 } },
      ui: { devMenu: true, showDiagnostics: true },
    },
  });
  const { page } = t;
  const { row, reconnects, reconnectsBefore: before } = await liveRow(page, 'sim', 'sim|BTC/USDT');
  const sim = await awaitSim(t.dataDir);
  await control(sim, '/rate', { ratePerSymbol: 0 });
  // the chart shows the first row's instrument (BTC/USDT)
  const chart = page.locator('section.chart-panel');
  await expect(chart).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await recordStates(page, 'sim|BTC/USDT');
  await recordStatesOf(page, 'section.chart-panel', 'chart');
  await expect(row.locator('.badge')).toHaveText('live · quiet', { timeout: 10_000 });
  await expect(chart.locator('.chart-state')).toHaveText('live · quiet', { timeout: 10_000 });
  await page.waitForTimeout(3 * 2000); // three times staleAfterMs.ticker and .trades
  await expect(row).toHaveAttribute('data-state', 'live');
  await expect(row.locator('.badge')).toHaveText('live · quiet');
  expect(await seenStates(page)).not.toContain('stale');
  await expect(chart).toHaveAttribute('data-state', 'live');
  await expect(chart.locator('.chart-state')).toHaveText('live · quiet');
  expect(await seenStates(page, 'chart')).toEqual([]); // never stale, never reconnecting
  expect(Number(await reconnects.textContent())).toBe(before);
  await control(sim, '/rate', { ratePerSymbol: 10 });
  await expect(row.locator('.badge')).toHaveText('live', { timeout: 10_000 });
  await expect(chart.locator('.chart-state')).toHaveText('live', { timeout: 10_000 });

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
