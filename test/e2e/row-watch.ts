// What the specs that watch a watchlist row share: waiting for it to be live with its
// exchange's reconnect count read, and recording every state it takes from then on
// (a MutationObserver, so a short spell cannot slip between polls).
import type { Locator, Page } from '@playwright/test';
import { expect } from './terminal-fixture';

/** Row `key` once live, and its exchange's reconnect counter with the count then. */
export async function liveRow(page: Page, exchange: string, key: string): Promise<{ row: Locator; reconnects: Locator; reconnectsBefore: number }> {
  const row = page.locator(`tr[data-row="${key}"]`);
  await expect(row).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  const reconnects = page.locator(`[data-diag-reconnects="${exchange}"]`);
  await expect(reconnects).toHaveText(/^\d+$/);
  return { row, reconnects, reconnectsBefore: Number(await reconnects.textContent()) };
}

/** Records every data-state row `key` takes from now on. */
export function recordStates(page: Page, key: string): Promise<void> {
  return recordStatesOf(page, `tr[data-row="${key}"]`, 'row');
}

/** Records every data-state the element at `selector` takes from now on, under `name`. */
export async function recordStatesOf(page: Page, selector: string, name: string): Promise<void> {
  await page.evaluate(
    ([sel, n]) => {
      const seen: string[] = [];
      const w = window as unknown as { __seenStates?: Record<string, string[]> };
      (w.__seenStates ??= {})[n!] = seen;
      const target = document.querySelector(sel!)!;
      new MutationObserver(() => seen.push(target.getAttribute('data-state') ?? '')).observe(target, { attributes: true, attributeFilter: ['data-state'] });
    },
    [selector, name],
  );
}

/** The states recorded since recordStates (or recordStatesOf with `name`). */
export function seenStates(page: Page, name = 'row'): Promise<string[]> {
  return page.evaluate((n) => (window as unknown as { __seenStates: Record<string, string[]> }).__seenStates[n]!, name);
}

/** The recorded row went through reconnecting or stale. */
export async function expectLeftLive(page: Page): Promise<void> {
  await expect.poll(async () => (await seenStates(page)).some((s) => s === 'stale' || s === 'reconnecting'), { timeout: 10_000 }).toBe(true);
}
