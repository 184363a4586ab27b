// Issue 2: the terminal starts on the built-in simulator and prices move on screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './terminal-fixture';

const SIM_ROWS = ['sim|BTC/USDT', 'sim|ETH/USDT', 'sim|SOL/USDT', 'sim|BNB/USDT', 'sim|XRP/USDT', 'sim|ADA/USDT'];

test('prices of at least 3 simulated symbols change on screen within 5 s, then it shuts down cleanly', async ({ launch }) => {
  const t = await launch();
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  // The streaming process needs a moment to import ccxt and connect: wait for the first value.
  await expect(page.locator('tr[data-row="sim|BTC/USDT"] td[data-field="last"]')).toHaveText(/\d/, { timeout: 15_000 });

  const readLast = () =>
    page.evaluate(
      (keys) => keys.map((k) => document.querySelector(`tr[data-row="${k}"] td[data-field="last"]`)?.textContent ?? ''),
      SIM_ROWS,
    );
  const first = await readLast();
  const started = Date.now();
  let changed = 0;
  while (Date.now() - started < 5000) {
    const now = await readLast();
    changed = now.filter((v, i) => v !== first[i] && /\d/.test(v)).length;
    if (changed >= 3) break;
    await page.waitForTimeout(100);
  }
  expect(changed, 'rows whose last price changed within 5 s').toBeGreaterThanOrEqual(3);

  // Every simulated row is live over the socket.
  for (const key of SIM_ROWS) {
    await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-state', 'live');
    await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-source', 'ws');
  }
  // Live Binance is unreachable here: its rows must say so instead of looking live.
  await expect(page.locator('tr[data-row="binance|BTC/USDT"]')).not.toHaveAttribute('data-state', 'live');
  await expect(page.locator('tr[data-row="binance|BTC/USDT"] td[data-field="last"]')).not.toHaveText(/\d/);
  await expect(page.locator('[data-exchange-status="sim"]')).toHaveAttribute('data-mode', 'live');

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);

  // One log file holds main's, the renderer's and the streaming process's records,
  // ending with the shutdown report (written synchronously, so nothing is lost at exit).
  const logText = readFileSync(join(t.dataDir, 'logs', 'main.log'), 'utf8');
  expect(logText).toContain('renderer started');
  expect(logText).toMatch(/\(streaming:connection\)\s+SUBSCRIBED/);
  expect(logText).toMatch(/shutdown report .*"clean":true/);
});

test('the watchlist keeps its column headers in view when its rows scroll', async ({ launch }) => {
  const t = await launch();
  const { page } = t;
  await expect(page.locator('tr[data-row="sim|BTC/USDT"] td[data-field="last"]')).toHaveText(/\d/, { timeout: 15_000 });
  // A short window: the default watchlist's rows no longer fit its panel.
  await page.setViewportSize({ width: 1280, height: 420 });
  const header = page.locator('.watchlist th', { hasText: 'Symbol' });
  const view = await header.evaluate(async (th) => {
    let scroller: HTMLElement | null = th.parentElement;
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight && getComputedStyle(scroller).overflowY !== 'visible')) scroller = scroller.parentElement;
    if (!scroller) return undefined;
    scroller.scrollTop = scroller.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const box = scroller.getBoundingClientRect();
    const head = th.getBoundingClientRect();
    return { scrollTop: scroller.scrollTop, boxTop: box.top, boxBottom: box.bottom, headTop: head.top, headBottom: head.bottom };
  });
  expect(view, 'the watchlist scrolls in a short window').toBeDefined();
  expect(view!.scrollTop, 'rows scrolled').toBeGreaterThan(0);
  // The header row is still inside the scroller's visible box, at its top.
  expect(view!.headTop).toBeGreaterThanOrEqual(view!.boxTop - 1);
  expect(view!.headBottom).toBeLessThanOrEqual(view!.boxTop + 40);
  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
