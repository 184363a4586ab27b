// Issue 4: quitting shows the progress modal, the process exits cleanly, and the
// watchlist the trader left is there at the next start.
import { test, expect } from './terminal-fixture';

test('quit shows the shutdown modal, exits cleanly, and the next start restores the watchlist', async ({ launch }) => {
  const first = await launch();
  const { page } = first;
  await expect(page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });

  // Change the watchlist: add DOT/USDT on the sim, remove ADA/USDT.
  await page.locator('[data-testid="watch-exchange"]').selectOption('sim');
  await page.locator('[data-testid="watch-symbol"]').fill('DOT/USDT');
  await page.locator('[data-testid="watch-add"]').click();
  await expect(page.locator('tr[data-row="sim|DOT/USDT"]')).toBeVisible();
  await expect(page.locator('tr[data-row="sim|DOT/USDT"] td[data-field="last"]')).toHaveText(/\d/, { timeout: 15_000 });
  await page.locator('tr[data-row="sim|ADA/USDT"] [data-action="unwatch"]').click();
  await expect(page.locator('tr[data-row="sim|ADA/USDT"]')).toHaveCount(0);

  // Record what the modal shows from its first frame, since shutdown is fast.
  await page.evaluate(() => {
    const seen = { phases: [] as string[], components: new Set<string>(), states: new Set<string>() };
    (window as unknown as { __modal: typeof seen }).__modal = seen;
    new MutationObserver(() => {
      const modal = document.querySelector('[data-testid="shutdown-modal"]');
      if (!modal) return;
      const phase = modal.getAttribute('data-phase') ?? '';
      if (seen.phases.at(-1) !== phase) seen.phases.push(phase);
      for (const c of modal.querySelectorAll('[data-component]')) {
        seen.components.add(c.getAttribute('data-component')!);
        seen.states.add(c.getAttribute('data-state')!);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.locator('[data-testid="quit"]').click();
  await expect(page.locator('[data-testid="shutdown-modal"]')).toBeVisible();
  expect(await first.waitForExit(10_000)).toBe(0);

  const seen = await page.evaluate(() => {
    const m = (window as unknown as { __modal: { phases: string[]; components: Set<string>; states: Set<string> } }).__modal;
    return { phases: m.phases, components: [...m.components], states: [...m.states] };
  });
  expect(seen.components).toEqual(expect.arrayContaining(['streaming', 'settings', 'sim-exchange', 'renderer-link', 'diagnostics']));
  expect(seen.states).toEqual(expect.arrayContaining(['stopped']));
  expect(seen.phases).toEqual(expect.arrayContaining(['graceful']));
  await expect(page.locator('[data-testid="host-gone"]')).toBeVisible({ timeout: 10_000 });

  const second = await launch({ dataDir: first.dataDir });
  await expect(second.page.locator('body')).toHaveAttribute('data-connected', 'true', { timeout: 15_000 });
  await expect(second.page.locator('tr[data-row="sim|DOT/USDT"]')).toBeVisible();
  await expect(second.page.locator('tr[data-row="sim|ADA/USDT"]')).toHaveCount(0);
  await second.page.locator('[data-testid="quit"]').click();
  expect(await second.waitForExit(10_000)).toBe(0);
});
