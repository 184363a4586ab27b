// Issue 13: with no account, the built-in sim-ib entry (the TWS stand-in) shows IB
// rows (a stock, a future, an FX pair) live over the socket, with freshness shown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerConfig, brokerFaultAndRecover, dropAndRecover } from './broker-rows';
import { test, expect } from './terminal-fixture';

const IB_ROWS = ['sim-ib|AAPL@SMART:STK:USD', 'sim-ib|ES@CME:FUT:202612', 'sim-ib|EUR.USD@IDEALPRO:CASH'];

test('IB rows from the TWS stand-in are live with their age shown, and the data farms are in the connection log', async ({ launch }) => {
  const t = await launch({ config: brokerConfig('sim-ib', 'ib', IB_ROWS) });
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
  const t = await launch({ config: brokerConfig('sim-ib', 'ib', IB_ROWS, { devMenu: true, showDiagnostics: true }) });
  await dropAndRecover(t.page, 'sim-ib', IB_ROWS);

  await t.page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});

test('TWS losing IB (1100 from the developer menu) makes IB rows reconnecting; 1101 brings them back live on the same connection', async ({ launch }) => {
  const t = await launch({ config: brokerConfig('sim-ib', 'ib', IB_ROWS, { devMenu: true, showDiagnostics: true }) });
  await brokerFaultAndRecover(t.page, IB_ROWS, 'ib-1100', 'ib-1101');

  await t.page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
  // The connection stayed up: one CONNECTED; the 1101 recovery re-requested each row once.
  const lines = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8').split('\n').filter((l) => l.includes('(streaming:connection)') && l.includes('sim-ib'));
  expect(lines.filter((l) => /\sCONNECTED\s/.test(l))).toHaveLength(1);
  expect(lines.filter((l) => /\sRECOVERED\s.*data lost/.test(l))).toHaveLength(1);
});
