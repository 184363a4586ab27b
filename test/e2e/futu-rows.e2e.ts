// Issue 13: with no account, the built-in sim-futu entry (the OpenD stand-in) shows
// Futu rows (a Hong Kong and a US stock) live over the socket, with freshness shown;
// the developer menu's drop makes them reconnecting, then live again on one new
// connection (each subscription restored once: the stand-in's view of that is
// asserted in test/integration/streaming-futu-faults.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './terminal-fixture';

const FUTU_ROWS = ['sim-futu|HK.00700', 'sim-futu|US.AAPL'];
const config = (ui: Record<string, unknown> = {}) => ({
  exchanges: [{ id: 'sim-futu', kind: 'futu', simulated: true }],
  watchlist: FUTU_ROWS.map((k) => ({ exchange: 'sim-futu', symbol: k.slice('sim-futu|'.length) })),
  ui,
});

test('Futu rows from the OpenD stand-in are live with their age shown and their prices move', async ({ launch }) => {
  const t = await launch({ config: config() });
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  for (const key of FUTU_ROWS) {
    const row = page.locator(`tr[data-row="${key}"]`);
    await expect(row).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    await expect(row).toHaveAttribute('data-source', 'ws');
    await expect(row.locator('td[data-field="last"]')).toHaveText(/\d/);
    await expect(row.locator('td[data-field="age"]')).toHaveText(/\d/);
  }
  const last = page.locator(`tr[data-row="${FUTU_ROWS[0]}"] td[data-field="last"]`);
  const first = await last.textContent();
  await expect.poll(() => last.textContent(), { timeout: 10_000 }).not.toBe(first);

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});

test('dropping the OpenD stand-in connections makes Futu rows reconnecting, then live again, restored once', async ({ launch }) => {
  const t = await launch({ config: config({ devMenu: true, showDiagnostics: true }) });
  const { page } = t;
  const row = page.locator(`tr[data-row="${FUTU_ROWS[0]}"]`);
  await expect(row).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  const reconnects = page.locator('[data-diag-reconnects="sim-futu"]');
  await expect(reconnects).toHaveText(/^\d+$/);
  const before = Number(await reconnects.textContent());
  await page.evaluate((key) => {
    const seen: string[] = [];
    (window as unknown as { __seenStates: string[] }).__seenStates = seen;
    const target = document.querySelector(`tr[data-row="${key}"]`)!;
    new MutationObserver(() => seen.push(target.getAttribute('data-state') ?? '')).observe(target, { attributes: true, attributeFilter: ['data-state'] });
  }, FUTU_ROWS[0]);
  await page.locator('[data-fault="drop-1006"]').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __seenStates: string[] }).__seenStates.some((s) => s === 'stale' || s === 'reconnecting')), { timeout: 10_000 })
    .toBe(true);
  for (const key of FUTU_ROWS) await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect.poll(async () => Number(await reconnects.textContent()), { timeout: 10_000 }).toBe(before + 1);
  await expect(page.locator('[data-testid="outage"]').first()).toBeVisible();

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
  // One connection before the drop, one after: nothing reconnected twice, nothing failed.
  const logText = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8');
  const lines = logText.split('\n').filter((l) => l.includes('(streaming:connection)') && l.includes('sim-futu'));
  expect(lines.filter((l) => /\sCONNECTED\s/.test(l))).toHaveLength(2);
  expect(lines.filter((l) => /\sFAILED\s/.test(l))).toEqual([]);
});
