// Issue 13: with no account, the built-in sim-ib entry (the TWS stand-in) shows IB
// rows (a stock, a future, an FX pair) live over the socket, with freshness shown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './terminal-fixture';

const IB_ROWS = ['sim-ib|AAPL@SMART:STK:USD', 'sim-ib|ES@CME:FUT:202612', 'sim-ib|EUR.USD@IDEALPRO:CASH'];

test('IB rows from the TWS stand-in are live with their age shown, and the data farms are in the connection log', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim-ib', kind: 'ib', simulated: true }],
      watchlist: IB_ROWS.map((k) => ({ exchange: 'sim-ib', symbol: k.slice('sim-ib|'.length) })),
    },
  });
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  for (const key of IB_ROWS) {
    const row = page.locator(`tr[data-row="${key}"]`);
    await expect(row).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(row).toHaveAttribute('data-source', 'ws');
    await expect(row).toHaveAttribute('data-delayed', 'false');
    await expect(row.locator('td[data-field="bid"]')).toHaveText(/\d/);
    await expect(row.locator('td[data-field="age"]')).toHaveText(/\d/);
  }
  // Stocks and futures have a last price; IDEALPRO FX does not.
  await expect(page.locator(`tr[data-row="${IB_ROWS[0]}"] td[data-field="last"]`)).toHaveText(/\d/);
  await expect(page.locator(`tr[data-row="${IB_ROWS[2]}"] td[data-field="last"]`)).not.toHaveText(/\d/);
  const bid = page.locator(`tr[data-row="${IB_ROWS[0]}"] td[data-field="bid"]`);
  const first = await bid.textContent();
  await expect.poll(() => bid.textContent(), { timeout: 5000 }).not.toBe(first);

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
  const logText = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8');
  expect(logText).toMatch(/\(streaming:connection\)\s+NOTICE.*"code":2104/);
});

test('dropping the TWS stand-in connections makes IB rows reconnecting, then live again, with the reconnect counted', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim-ib', kind: 'ib', simulated: true }],
      watchlist: IB_ROWS.map((k) => ({ exchange: 'sim-ib', symbol: k.slice('sim-ib|'.length) })),
      ui: { devMenu: true, showDiagnostics: true },
    },
  });
  const { page } = t;
  const row = page.locator(`tr[data-row="${IB_ROWS[0]}"]`);
  await expect(row).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  const reconnects = page.locator('[data-diag-reconnects="sim-ib"]');
  await expect(reconnects).toHaveText(/^\d+$/);
  const before = Number(await reconnects.textContent());
  await page.evaluate((key) => {
    const seen: string[] = [];
    (window as unknown as { __seenStates: string[] }).__seenStates = seen;
    const target = document.querySelector(`tr[data-row="${key}"]`)!;
    new MutationObserver(() => seen.push(target.getAttribute('data-state') ?? '')).observe(target, { attributes: true, attributeFilter: ['data-state'] });
  }, IB_ROWS[0]);
  await page.locator('[data-fault="drop-1006"]').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __seenStates: string[] }).__seenStates.some((s) => s === 'stale' || s === 'reconnecting')), { timeout: 10_000 })
    .toBe(true);
  for (const key of IB_ROWS) await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect.poll(async () => Number(await reconnects.textContent()), { timeout: 10_000 }).toBe(before + 1);
  await expect(page.locator('[data-testid="outage"]').first()).toBeVisible();

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
