// Issue 9: a market storm started from the developer menu. The terminal says it is
// behind (status bar and rows) while more arrives than it handles, and once the
// storm is over every row is live again. Bounds are generous: the behind thresholds
// (electron/streaming/behind-detector.ts) are 500 ms of loop lag, 1 s of waiting or
// a shed trade, then 3 s of calm, and this machine may be loaded.
import { test, expect } from './terminal-fixture';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT'];

test('a storm from the developer menu shows "behind", then every row is live again', async ({ launch }) => {
  test.setTimeout(150_000);
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: SYMBOLS.map((symbol) => ({ exchange: 'sim', symbol })),
      ui: { devMenu: true },
    },
  });
  const { page } = t;
  const rows = SYMBOLS.map((s) => page.locator(`tr[data-row="sim|${s}"]`));
  for (const row of rows) await expect(row).toHaveAttribute('data-state', 'live', { timeout: 30_000 });

  // Record every "behind" the screen shows, so a short episode cannot slip between polls.
  await page.evaluate(() => {
    const seen = { row: false, bar: false };
    (window as unknown as { __behind: typeof seen }).__behind = seen;
    const look = () => {
      if (document.querySelector('tr[data-row][data-state="behind"]')) seen.row = true;
      if (document.querySelector('[data-behind="sim"]')) seen.bar = true;
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-behind'] });
  });
  await page.locator('[data-fault="storm"]').click();

  const seen = () => page.evaluate(() => (window as unknown as { __behind: { row: boolean; bar: boolean } }).__behind);
  await expect.poll(seen, { timeout: 40_000 }).toEqual({ row: true, bar: true });

  // The storm lasts 10 s; then the backlog is worked off and the calm holds for 3 s.
  await expect(page.locator('[data-behind="sim"]')).toHaveCount(0, { timeout: 60_000 });
  for (const row of rows) await expect(row).toHaveAttribute('data-state', 'live', { timeout: 30_000 });

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(15_000)).toBe(0);
});
