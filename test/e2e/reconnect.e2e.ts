// Issue 3: dropped sockets show as not live on screen, heal by themselves, and the
// diagnostics panel counts the reconnect.
import { test, expect } from './terminal-fixture';
import { expectLeftLive, liveRow, recordStates } from './row-watch';

test('dropping the simulator sockets marks rows stale/reconnecting, then live again, with the reconnect counted', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      ui: { devMenu: true, showDiagnostics: true },
    },
  });
  const { page } = t;
  const { row, reconnects, reconnectsBefore: before } = await liveRow(page, 'sim', 'sim|BTC/USDT');
  await recordStates(page, 'sim|BTC/USDT');
  await page.locator('[data-fault="drop-1006"]').click();
  await expectLeftLive(page);
  await expect(row).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect.poll(async () => Number(await reconnects.textContent()), { timeout: 10_000 }).toBeGreaterThan(before);
  // The connection timeline lists the outage with how long data was down.
  await expect(page.locator('[data-testid="outage"]').first()).toBeVisible();

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
