// Issue 11: select a symbol → the ladder shows the simulator's best bid and ask and
// the tape its latest trades in order; a book gap shows resyncing, then synced; paused
// trades leave a gap marker on the tape. The app's own simulator is reached through
// the REST and control URLs its log names (control needs ui.devMenu and the token).
import type { Page } from '@playwright/test';
import { test, expect } from './terminal-fixture';
import { control, simUrls, simView } from './sim-control';

async function ladderBest(page: Page): Promise<{ bid: number; ask: number }> {
  return page.evaluate(() => {
    const asks = [...document.querySelectorAll<HTMLElement>('.ladder-row.ask[data-price]')];
    const bid = document.querySelector<HTMLElement>('.ladder-row.bid[data-price]');
    return { bid: Number(bid?.dataset.price), ask: Number(asks.at(-1)?.dataset.price) };
  });
}

test('the ladder and tape follow the selected row, match the simulator, and show resyncs and tape gaps', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      simulator: { ratePerSymbol: 10 },
      ui: { devMenu: true, showDiagnostics: false, ladder: { grouping: 1, levels: 10, volumeMinutes: 5 } },
    },
  });
  const { page } = t;
  const ladder = page.locator('section.ladder');
  const state = page.locator('[data-testid="book-state"]');

  // the first row is focused at start; selecting another moves both panels
  await expect(ladder).toHaveAttribute('data-instrument', 'sim|BTC/USDT', { timeout: 20_000 });
  await page.locator('tr[data-row="sim|ETH/USDT"] td[data-field="symbol"]').click();
  await expect(ladder).toHaveAttribute('data-instrument', 'sim|ETH/USDT');
  await expect(page.locator('section.tape')).toHaveAttribute('data-instrument', 'sim|ETH/USDT');
  await expect(state).toHaveText('synced', { timeout: 20_000 });
  // arrow keys move the selection while the watchlist has the keyboard focus
  await page.locator('section.watchlist').focus();
  await page.keyboard.press('ArrowUp');
  await expect(ladder).toHaveAttribute('data-instrument', 'sim|BTC/USDT');
  await page.keyboard.press('ArrowDown');
  await expect(ladder).toHaveAttribute('data-instrument', 'sim|ETH/USDT');
  await expect(state).toHaveText('synced', { timeout: 20_000 });

  const sim = await expect.poll(() => simUrls(t.dataDir)).toBeTruthy().then(() => simUrls(t.dataDir)!);
  // freeze the market: the screen must then show exactly the simulator's book and trades
  await control(sim, '/rate', { ratePerSymbol: 0 });
  const depth = async () => (await (await fetch(`${sim.rest}/depth?symbol=ETHUSDT&limit=5`)).json()) as { bids: string[][]; asks: string[][] };
  await expect.poll(async () => {
    const d = await depth();
    const l = await ladderBest(page);
    return l.bid === Number(d.bids[0]![0]) && l.ask === Number(d.asks[0]![0]);
  }, { timeout: 10_000 }).toBe(true);
  // the tape's newest lines are exactly the simulator's latest streamed trades, newest first
  // (other streams' steps of the frozen market can have made trades that REST history has
  // but the trade stream has not sent yet: the simulator's view names the last one it sent)
  const tapeIds = () => page.locator('.tape-line[data-id]').evaluateAll((els) => els.slice(0, 5).map((e) => (e as HTMLElement).dataset.id!));
  const lastStreamed = async () => (await simView(sim)).lastTradeIds['ethusdt@trade'];
  // The tape's line list follows its canvas about once a second (MIRROR_MS): wait until it has caught up.
  const tapeVsSim = async () => {
    const shown = await tapeIds();
    const last = await lastStreamed();
    const trades = (await (await fetch(`${sim.rest}/trades?symbol=ETHUSDT&limit=20`)).json()) as { id: number }[];
    const newest = trades.filter((x) => x.id <= (last ?? -1)).map((x) => String(x.id)).reverse().slice(0, 5);
    return { shown, newest };
  };
  await expect.poll(async () => {
    const v = await tapeVsSim();
    return v.shown.length === 5 && v.shown.join() === v.newest.join();
  }, { timeout: 10_000 }).toBe(true);
  const { shown, newest } = await tapeVsSim();
  expect(shown).toEqual(newest);
  await control(sim, '/rate', { ratePerSymbol: 10 });

  // a book gap: resyncing, then synced again
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __bookStates: string[] }).__bookStates = seen;
    const el = document.querySelector('section.ladder')!;
    new MutationObserver(() => seen.push(el.getAttribute('data-book-state') ?? '')).observe(el, { attributes: true, attributeFilter: ['data-book-state'] });
  });
  await page.locator('[data-testid="fault-symbol"]').fill('ETHUSDT');
  await page.locator('[data-fault="book-gap"]').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __bookStates: string[] }).__bookStates.includes('resyncing')), { timeout: 10_000 }).toBe(true);
  await expect(state).toHaveText('synced', { timeout: 15_000 });
  // the resync is counted per instrument in diagnostics
  await page.locator('[data-testid="toggle-diagnostics"]').click();
  await expect(page.locator('[data-testid="diag-books"] tr[data-instrument="sim|ETH/USDT"] [data-resyncs]')).toHaveText(/^[1-9]\d* \/ \d+ \/ \d+$/, { timeout: 10_000 });

  // paused trades: the tape shows the gap marker with what REST recovered (a slow market
  // keeps the marker on screen long enough to read it)
  await control(sim, '/rate', { ratePerSymbol: 1 });
  await control(sim, '/fault', { kind: 'trades-pause', symbol: 'ETHUSDT', durationMs: 1500 });
  const gap = page.locator('.tape-line.gap').first();
  await expect(gap).toBeVisible({ timeout: 15_000 });
  await expect(gap).toContainText(/gap \d+\.\d s/);
  await expect(gap).toContainText(/(\d+)\/\1 recovered/);

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
