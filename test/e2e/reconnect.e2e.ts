// Issue 3: dropped sockets show as not live on screen, heal by themselves, and the
// diagnostics panel counts the reconnect.
import { test, expect } from './terminal-fixture';

test('dropping the simulator sockets marks rows stale/reconnecting, then live again, with the reconnect counted', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      ui: { devMenu: true, showDiagnostics: true },
    },
  });
  const { page } = t;
  const row = page.locator('tr[data-row="sim|BTC/USDT"]');
  await expect(row).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  const reconnects = page.locator('[data-diag-reconnects="sim"]');
  await expect(reconnects).toHaveText(/^\d+$/);
  const before = Number(await reconnects.textContent());

  // Record every state the row shows, so a short outage cannot slip between polls.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seenStates: string[] }).__seenStates = seen;
    const target = document.querySelector('tr[data-row="sim|BTC/USDT"]')!;
    new MutationObserver(() => seen.push(target.getAttribute('data-state') ?? '')).observe(target, { attributes: true, attributeFilter: ['data-state'] });
  });
  await page.locator('[data-fault="drop-1006"]').click();

  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __seenStates: string[] }).__seenStates.some((s) => s === 'stale' || s === 'reconnecting')), { timeout: 10_000 })
    .toBe(true);
  await expect(row).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect.poll(async () => Number(await reconnects.textContent()), { timeout: 10_000 }).toBeGreaterThan(before);
  // The connection timeline lists the outage with how long data was down.
  await expect(page.locator('[data-testid="outage"]').first()).toBeVisible();

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
