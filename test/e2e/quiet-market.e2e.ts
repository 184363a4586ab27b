// A market that stops trading is not a broken feed: the exchange's REST vouches for the
// rows' old numbers, so they stay live (marked quiet) instead of going stale and
// reconnecting every staleAfterMs.ticker.
import { test, expect } from './terminal-fixture';
import { awaitSim, control } from './sim-control';
import { liveRow, recordStates, seenStates } from './row-watch';

test('a quiet market: rows stay live, marked quiet, with no reconnect; they move again when it trades', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      streaming: { staleAfterMs: { ticker: 2000 } },
      ui: { devMenu: true, showDiagnostics: true },
    },
  });
  const { page } = t;
  const { row, reconnects, reconnectsBefore: before } = await liveRow(page, 'sim', 'sim|BTC/USDT');
  const sim = await awaitSim(t.dataDir);
  await control(sim, '/rate', { ratePerSymbol: 0 });
  await recordStates(page, 'sim|BTC/USDT');
  await expect(row.locator('.badge')).toHaveText('live · quiet', { timeout: 10_000 });
  await page.waitForTimeout(3 * 2000); // three times staleAfterMs.ticker
  await expect(row).toHaveAttribute('data-state', 'live');
  await expect(row.locator('.badge')).toHaveText('live · quiet');
  expect(await seenStates(page)).not.toContain('stale');
  expect(Number(await reconnects.textContent())).toBe(before);
  await control(sim, '/rate', { ratePerSymbol: 10 });
  await expect(row.locator('.badge')).toHaveText('live', { timeout: 10_000 });

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
