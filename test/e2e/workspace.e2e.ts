// Issue 12 point 3 (workspaces): Ctrl+K "sol" Enter focuses SOL/USDT and the ladder,
// tape and chart follow it; a second chart in another link group shows another
// instrument on its own timeframe; quit; the next start with the same data dir
// brings back the same named workspace, panels, arrangement, groups and instruments;
// the pop-out view of a panel follows its link group. A hostile workspaces section
// in the settings loads as the default workspace with a notice, the rest kept. Two
// ladders in different link groups show two instruments, each with its own book, and
// closing one releases its book and trades at the exchange.
import { test, expect } from './terminal-fixture';
import type { Page } from '@playwright/test';
import { awaitSim, control, simView } from './sim-control';

async function focusBySearch(page: Page, query: string, symbol: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const input = page.getByTestId('symbol-search-input');
  await expect(input).toBeFocused();
  await input.fill(query);
  const hits = page.getByTestId('search-result');
  await expect(hits.first()).toHaveAttribute('data-symbol', /./, { timeout: 20_000 });
  const found = await hits.evaluateAll((els, want) => els.findIndex((e) => e.getAttribute('data-exchange') === 'sim' && e.getAttribute('data-symbol') === want), symbol);
  expect(found, `${symbol} on sim among the results for "${query}"`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < found; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('symbol-search')).toHaveCount(0);
}

/** Every docked panel: id, link group, instrument and box (rounded to whole pixels). */
async function panels(page: Page) {
  return page.locator('.docked').evaluateAll((els) =>
    els
      .map((e) => {
        const r = e.getBoundingClientRect();
        const d = (e as HTMLElement).dataset;
        return { id: d.panel!, link: d.link!, instrument: d.instrument!, box: [r.x, r.y, r.width, r.height].map(Math.round) };
      })
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
}

test('workspace round trip: search focus, a second chart in another link group, quit, restart restores it all', async ({ launch }) => {
  const first = await launch();
  const { page } = first;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });

  // A named workspace of its own (the default panels), active.
  await page.getByTestId('workspace-name').fill('Scalping');
  await page.getByTestId('workspace-new').click();
  await expect(page.getByTestId('workspace-select')).toHaveValue('Scalping');
  await expect(page.locator('.docked')).toHaveCount(5);

  await focusBySearch(page, 'sol', 'SOL/USDT');
  await expect(page.getByTestId('focused-instrument')).toHaveAttribute('data-symbol', 'SOL/USDT');
  await expect(page.locator('section.ladder')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  await expect(page.locator('section.tape')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  const chart1 = page.locator('.docked[data-panel="chart-1"]');
  await expect(chart1).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  await expect(chart1.locator('.chart-title')).toHaveText('SOL/USDT · sim');
  // The ladder is live on SOL (its book arrived), not just labelled.
  await expect(page.locator('section.ladder .ladder-row.bid .px').first()).toHaveText(/\d/, { timeout: 15_000 });

  // A second chart, moved to the green group, focused on ETH/USDT with a 5m timeframe.
  await page.getByTestId('add-panel').selectOption('chart');
  const chart2 = page.locator('.docked[data-panel="chart-2"]');
  await expect(chart2).toHaveAttribute('data-link', 'red');
  await expect(chart2).toHaveAttribute('data-instrument', 'sim|SOL/USDT'); // a new red panel follows red
  await page.locator('[data-panel-tab="chart-2"] [data-testid="panel-link"]').selectOption('green');
  await expect(chart2).toHaveAttribute('data-link', 'green');
  await expect(page.locator('[data-panel-tab="chart-2"]')).toHaveAttribute('data-link', 'green');
  await focusBySearch(page, 'eth', 'ETH/USDT');
  await expect(chart2).toHaveAttribute('data-instrument', 'sim|ETH/USDT');
  await expect(chart2.locator('.chart-title')).toHaveText('ETH/USDT · sim');
  await chart2.locator('.chart-timeframes button', { hasText: /^5m$/ }).click();
  await expect(chart2.locator('section.chart-panel')).toHaveAttribute('data-timeframe', '5m');
  await expect(chart2.locator('section.chart-panel')).toHaveAttribute('data-candles', /^[1-9]/, { timeout: 20_000 });
  // The red group stayed on SOL.
  await expect(chart1).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  await expect(chart1.locator('section.chart-panel')).toHaveAttribute('data-timeframe', '1m');
  await expect(page.locator('section.ladder')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  await expect(page.locator('section.tape')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');

  const before = await panels(page);
  expect(before.map((p) => `${p.id}:${p.link}:${p.instrument}`)).toEqual([
    'chart-1:red:sim|SOL/USDT',
    'chart-2:green:sim|ETH/USDT',
    'diagnostics-1:red:sim|SOL/USDT',
    'ladder-1:red:sim|SOL/USDT',
    'tape-1:red:sim|SOL/USDT',
    'watchlist-1:red:sim|SOL/USDT',
  ]);

  // Quit through the app: the pending layout save goes out before the quit request.
  await page.locator('[data-testid="quit"]').click();
  expect(await first.waitForExit(10_000)).toBe(0);

  const second = await launch({ dataDir: first.dataDir });
  const p2 = second.page;
  await expect(p2.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  await expect(p2.getByTestId('workspace-select')).toHaveValue('Scalping');
  await expect(p2.getByTestId('workspace-select').locator('option')).toHaveText(['Default', 'Scalping']);
  await expect(p2.locator('.docked[data-panel="chart-2"]')).toHaveAttribute('data-instrument', 'sim|ETH/USDT');
  await expect(p2.locator('section.ladder')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  await expect(p2.locator('section.tape')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
  await expect(p2.locator('.docked[data-panel="chart-2"] section.chart-panel')).toHaveAttribute('data-timeframe', '5m');
  await expect(p2.locator('.docked[data-panel="chart-1"] section.chart-panel')).toHaveAttribute('data-timeframe', '1m');
  await expect(p2.locator('.docked[data-panel="chart-2"] section.chart-panel')).toHaveAttribute('data-candles', /^[1-9]/, { timeout: 20_000 });
  // Same panels, groups, instruments and arrangement (to the pixel, same viewport).
  expect(await panels(p2)).toEqual(before);

  // The pop-out view (what a desktop pop-out window loads, ?panel=<id>) shows that one
  // panel as a renderer of its own and follows its link group as the main window saves.
  // (Headless host: another browser page; in Electron the ⧉ button opens the window.)
  const browser = p2.context().browser();
  // Only Electron's pages have no Browser to open another page in (there the ⧉ button opens the window).
  if (test.info().project.name !== 'electron') expect(browser, 'a browser to open the pop-out view in').not.toBeNull();
  if (browser) {
    const pop = await browser.newPage();
    await pop.context().addCookies(await p2.context().cookies()); // the host's session cookie (its token)
    const url = new URL(p2.url());
    url.searchParams.set('panel', 'chart-2');
    await pop.goto(url.href);
    const popped = pop.locator('.docked[data-panel="chart-2"]');
    await expect(popped).toHaveAttribute('data-instrument', 'sim|ETH/USDT', { timeout: 15_000 });
    await expect(pop.locator('.docked')).toHaveCount(1);
    await expect(popped.locator('section.chart-panel')).toHaveAttribute('data-candles', /^[1-9]/, { timeout: 20_000 });
    await p2.locator('[data-panel-tab="chart-2"] .panel-tab-title').click();
    await focusBySearch(p2, 'bnb', 'BNB/USDT');
    await expect(p2.locator('.docked[data-panel="chart-2"]')).toHaveAttribute('data-instrument', 'sim|BNB/USDT');
    await expect(popped).toHaveAttribute('data-instrument', 'sim|BNB/USDT', { timeout: 5_000 });
    await expect(p2.locator('section.ladder')).toHaveAttribute('data-instrument', 'sim|SOL/USDT');
    await pop.close();
  }

  // The other workspace is still the default, and a reset brings the default back here.
  await p2.getByTestId('workspace-select').selectOption('Default');
  await expect(p2.locator('.docked')).toHaveCount(5);
  await p2.getByTestId('workspace-select').selectOption('Scalping');
  await expect(p2.locator('.docked')).toHaveCount(6);
  await p2.getByTestId('workspace-reset').click();
  await expect(p2.locator('.docked')).toHaveCount(5);
  await expect(p2.locator('.docked[data-panel="chart-2"]')).toHaveCount(0);

  await p2.locator('[data-testid="quit"]').click();
  expect(await second.waitForExit(10_000)).toBe(0);
});

test('a hostile workspaces section in the settings: the default workspace with a notice, the rest of the settings kept', async ({ launch }) => {
  let deep: unknown = { type: 'leaf', size: 1, data: { id: '1', views: ['chart-1'] } };
  for (let i = 0; i < 200; i++) deep = { type: 'branch', size: 1, data: [deep] };
  const config = {
    watchlist: [
      { exchange: 'sim', symbol: 'DOT/USDT' },
      { exchange: 'sim', symbol: 'BTC/USDT' },
    ],
    ui: {
      showDiagnostics: false,
      workspaces: {
        active: 'Evil',
        list: [{ name: 'Evil', panels: { 'chart-1': { kind: 'chart', link: 'red' } }, layout: { grid: { root: deep, width: 1, height: 1, orientation: 'HORIZONTAL' }, panels: {} } }],
      },
    },
  };
  const t = await launch({ config });
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  await expect(page.getByText(/The saved workspaces were not valid and were replaced by the default layout \(.*nested too deeply/)).toBeVisible();
  await expect(page.getByTestId('workspace-select')).toHaveValue('Default');
  await expect(page.locator('.docked')).toHaveCount(5);
  // The rest of the file holds: its watchlist, diagnostics hidden.
  await expect(page.locator('tr[data-row="sim|DOT/USDT"]')).toBeVisible();
  await expect(page.locator('tr[data-row="sim|ETH/USDT"]')).toHaveCount(0);
  await expect(page.getByTestId('toggle-diagnostics')).toHaveAttribute('aria-pressed', 'false');
});

test('two ladders in different link groups show two instruments with their own books; closing one releases its subscription', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      simulator: { ratePerSymbol: 10 },
      ui: { devMenu: true, showDiagnostics: false, ladder: { grouping: 1, levels: 10, volumeMinutes: 5 } },
    },
  });
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  const ladder1 = page.locator('.docked[data-panel="ladder-1"] section.ladder');
  const ladder2 = page.locator('.docked[data-panel="ladder-2"] section.ladder');
  await expect(ladder1).toHaveAttribute('data-instrument', 'sim|BTC/USDT', { timeout: 20_000 });

  // A second ladder: red has one, so it goes to green; made active, search focuses green on ETH.
  await page.getByTestId('add-panel').selectOption('ladder');
  await expect(page.locator('.docked[data-panel="ladder-2"]')).toHaveAttribute('data-link', 'green');
  await page.locator('[data-panel-tab="ladder-2"] .panel-tab-title').click();
  await focusBySearch(page, 'eth', 'ETH/USDT');
  await expect(ladder2).toHaveAttribute('data-instrument', 'sim|ETH/USDT');
  await expect(ladder1).toHaveAttribute('data-instrument', 'sim|BTC/USDT');
  await expect(page.locator('section.tape')).toHaveAttribute('data-instrument', 'sim|BTC/USDT'); // the tape stayed in red
  for (const l of [ladder1, ladder2]) await expect(l).toHaveAttribute('data-book-state', 'synced', { timeout: 20_000 });

  // Each ladder shows its own instrument's book: freeze the market, compare with the simulator's.
  const sim = await awaitSim(t.dataDir);
  await control(sim, '/rate', { ratePerSymbol: 0 });
  const best = (panel: string) =>
    page.evaluate((id) => {
      const root = document.querySelector(`.docked[data-panel="${id}"]`)!;
      const asks = [...root.querySelectorAll<HTMLElement>('.ladder-row.ask[data-price]')];
      const bid = root.querySelector<HTMLElement>('.ladder-row.bid[data-price]');
      return { bid: Number(bid?.dataset.price), ask: Number(asks.at(-1)?.dataset.price) };
    }, panel);
  const simBest = async (id: string) => {
    const d = (await (await fetch(`${sim.rest}/depth?symbol=${id}&limit=5`)).json()) as { bids: string[][]; asks: string[][] };
    return { bid: Number(d.bids[0]![0]), ask: Number(d.asks[0]![0]) };
  };
  await expect.poll(async () => JSON.stringify([await best('ladder-1'), await best('ladder-2')]), { timeout: 10_000 }).toBe(JSON.stringify([await simBest('BTCUSDT'), await simBest('ETHUSDT')]));
  const [b1, b2] = [await best('ladder-1'), await best('ladder-2')];
  expect(b1.bid).not.toBe(b2.bid); // two books, not one painted twice
  await control(sim, '/rate', { ratePerSymbol: 10 });

  // Both books are subscribed at the simulator; closing the green ladder (green has no
  // ladder or tape left) releases ETH's book and trades, the watchlist keeps its ticker.
  const subscribed = async (prefix: string) => Object.entries((await simView(sim)).streams).filter(([name, n]) => name.startsWith(prefix) && n > 0).map(([name]) => name);
  await expect.poll(() => subscribed('ethusdt@depth'), { timeout: 10_000 }).toHaveLength(1);
  await expect.poll(() => subscribed('ethusdt@trade'), { timeout: 10_000 }).toHaveLength(1);
  await page.locator('[data-panel-tab="ladder-2"] .panel-close').click();
  await expect(page.locator('.docked[data-panel="ladder-2"]')).toHaveCount(0);
  await expect.poll(() => subscribed('ethusdt@depth'), { timeout: 15_000 }).toEqual([]);
  await expect.poll(() => subscribed('ethusdt@trade'), { timeout: 15_000 }).toEqual([]);
  expect(await subscribed('ethusdt@ticker')).toHaveLength(1);
  expect(await subscribed('btcusdt@depth')).toHaveLength(1); // red's ladder and tape keep theirs
  await expect(ladder1).toHaveAttribute('data-book-state', 'synced');

  await page.locator('[data-testid="quit"]').click();
  expect(await t.waitForExit(10_000)).toBe(0);
});
