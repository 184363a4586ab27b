// What the IB and Futu row specs share: the settings of one built-in simulated
// broker entry watching its default rows, and the check that the developer menu's
// drop sends the rows through reconnecting (or stale) and back to live, with one
// more reconnect counted and the outage shown; and that a stand-in's own fault from
// the menu does the same.
import type { Page } from '@playwright/test';
import { expect } from './terminal-fixture';
import { expectLeftLive, liveRow, recordStates } from './row-watch';

/** Settings with only the simulated `id` entry of `kind`, watching `rows` ("id|symbol"). */
export function brokerConfig(id: string, kind: 'ib' | 'futu', rows: readonly string[], ui: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exchanges: [{ id, kind, simulated: true }],
    watchlist: rows.map((k) => ({ exchange: id, symbol: k.slice(`${id}|`.length) })),
    ui,
  };
}

/** Drops the stand-in's connections (dev menu) once the first row is live; returns when every row is live again. */
export async function dropAndRecover(page: Page, exchange: string, rows: readonly string[]): Promise<void> {
  const { reconnects, reconnectsBefore: before } = await liveRow(page, exchange, rows[0]!);
  await recordStates(page, rows[0]!);
  await page.locator('[data-fault="drop-1006"]').click();
  await expectLeftLive(page);
  for (const key of rows) await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect.poll(async () => Number(await reconnects.textContent()), { timeout: 10_000 }).toBe(before + 1);
  await expect(page.locator('[data-testid="outage"]').first()).toBeVisible();
}

/**
 * Injects the stand-in's own fault `fault` from the developer menu once every row is
 * live: the first row leaves live (reconnecting or stale); then clicks `heal` (if
 * any: a fault that does not heal by itself) and returns when every row is live
 * again, with the outage in the connection timeline.
 */
export async function brokerFaultAndRecover(page: Page, rows: readonly string[], fault: string, heal?: string): Promise<void> {
  for (const key of rows) await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await recordStates(page, rows[0]!);
  await page.locator(`[data-fault="${fault}"]`).click();
  await expectLeftLive(page);
  if (heal) await page.locator(`[data-fault="${heal}"]`).click();
  for (const key of rows) await expect(page.locator(`tr[data-row="${key}"]`)).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect(page.locator('[data-testid="outage"]').first()).toBeVisible();
}
