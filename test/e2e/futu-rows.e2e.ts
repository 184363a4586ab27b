// Issue 13: with no account, the built-in sim-futu entry (the OpenD stand-in) shows
// Futu rows (a Hong Kong and a US stock) live over the socket, with freshness shown;
// the developer menu's drop makes them reconnecting, then live again on one new
// connection (each subscription restored once: the stand-in's view of that is
// asserted in test/integration/streaming-futu-faults.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerConfig, brokerFaultAndRecover, dropAndRecover } from './broker-rows';
import { test, expect } from './terminal-fixture';

const FUTU_ROWS = ['sim-futu|HK.00700', 'sim-futu|US.AAPL'];
const config = (ui: Record<string, unknown> = {}) => brokerConfig('sim-futu', 'futu', FUTU_ROWS, ui);

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

  // OpenD's listing is in the symbol search (issue 12: every market of every enabled exchange).
  await page.keyboard.press('Control+k');
  await page.getByTestId('symbol-search-input').fill('spy');
  const hit = page.getByTestId('search-result').first();
  await expect(hit).toHaveAttribute('data-symbol', 'US.SPY', { timeout: 15_000 });
  await expect(hit).toHaveAttribute('data-exchange', 'sim-futu');
  await expect(hit).toContainText('stock');
  await page.keyboard.press('Escape');

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});

test('dropping the OpenD stand-in connections makes Futu rows reconnecting, then live again, restored once', async ({ launch }) => {
  const t = await launch({ config: config({ devMenu: true, showDiagnostics: true }) });
  const { page } = t;
  await dropAndRecover(page, 'sim-futu', FUTU_ROWS);

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
  // One connection before the drop, one after: nothing reconnected twice, nothing failed.
  const logText = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8');
  const lines = logText.split('\n').filter((l) => l.includes('(streaming:connection)') && l.includes('sim-futu'));
  expect(lines.filter((l) => /\sCONNECTED\s/.test(l))).toHaveLength(2);
  expect(lines.filter((l) => /\sFAILED\s/.test(l))).toEqual([]);
});

test('a stalled OpenD (developer menu) makes Futu rows stale; the terminal replaces the silent connection and they are live again', async ({ launch }) => {
  const t = await launch({ config: config({ devMenu: true, showDiagnostics: true }) });
  await brokerFaultAndRecover(t.page, FUTU_ROWS, 'futu-stall');

  await t.page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
  const lines = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8').split('\n').filter((l) => l.includes('(streaming:connection)') && l.includes('sim-futu'));
  expect(lines.filter((l) => /\sSTALE\s/.test(l)).length).toBeGreaterThanOrEqual(1);
  expect(lines.filter((l) => /\sCONNECTED\s/.test(l))).toHaveLength(2);
});
