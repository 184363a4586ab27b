// Issue 12 (symbol search and hotkeys): Ctrl+K opens the search over every market,
// "sol" ranks SOL/USDT on sim first, Enter focuses it, Shift+Enter adds another
// market to the watchlist; ? shows the keymap; d toggles diagnostics.
import { test, expect } from './terminal-fixture';

test('Ctrl+K search: SOL/USDT first, Enter focuses, Shift+Enter watches; ? lists the bindings', async ({ launch }) => {
  const t = await launch();
  const { page } = t;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });

  await page.keyboard.press('Control+k');
  const input = page.getByTestId('symbol-search-input');
  await expect(input).toBeFocused();
  await input.fill('sol');
  const first = page.getByTestId('search-result').first();
  // The catalogue arrives once the streaming process has loaded the simulator's markets.
  await expect(first).toHaveAttribute('data-symbol', 'SOL/USDT', { timeout: 20_000 });
  await expect(first).toHaveAttribute('data-exchange', 'sim');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first).toContainText('spot');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('symbol-search')).toHaveCount(0);
  const focused = page.getByTestId('focused-instrument');
  await expect(focused).toHaveAttribute('data-symbol', 'SOL/USDT');
  await expect(focused).toHaveAttribute('data-exchange', 'sim');

  // Another result, chosen with the arrows, goes onto the watchlist with Shift+Enter.
  await expect(page.locator('tr[data-row="sim|AVAX/USDT"]')).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await input.fill('a');
  const hits = page.getByTestId('search-result');
  await expect(hits.first()).toBeVisible();
  const symbols = await hits.evaluateAll((els) => els.map((e) => e.getAttribute('data-symbol')));
  const target = symbols.indexOf('AVAX/USDT');
  expect(target, `AVAX/USDT among ${symbols.join(', ')}`).toBeGreaterThan(0);
  for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
  await expect(hits.nth(target)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Shift+Enter');
  await expect(page.locator('tr[data-row="sim|AVAX/USDT"]')).toHaveCount(1);
  await expect(page.locator('tr[data-row="sim|AVAX/USDT"] td[data-field="last"]')).toHaveText(/\d/, { timeout: 15_000 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('symbol-search')).toHaveCount(0);

  // ? shows every binding.
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expect(help.locator('tr[data-action]')).toHaveCount(10);
  await expect(help.locator('tr[data-action="search"]')).toContainText('Ctrl+K');
  await expect(help.locator('tr[data-action="quit"]')).toContainText('Ctrl+Alt+Q');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // d toggles diagnostics through the same request as the toolbar button.
  const toggle = page.getByTestId('toggle-diagnostics');
  const before = await toggle.getAttribute('aria-pressed');
  await page.keyboard.press('d');
  await expect(toggle).not.toHaveAttribute('aria-pressed', before!);
});
