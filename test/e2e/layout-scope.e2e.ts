// A write to the ladder's or the tape's hidden list (assistive tech, tests) lays out that
// list alone, not the document: each list is a relayout boundary (styles.css). Read from
// Chromium's own trace (CDP, the page's session: the headless host's page and Electron's
// window alike): the layout forced right after the write names how many layout objects it
// covered and whether it was a partial one. Before the fix each such write laid out the
// whole screen (~2,450 objects), twice a second on a busy screen.
import type { Page } from '@playwright/test';
import { test, expect } from './terminal-fixture';

interface LayoutEvent { name: string; ph: string; ts: number; args?: { beginData?: { partialLayout: boolean; totalObjects: number; dirtyObjects: number }; data?: { message?: string } } }

/** Writes into the first line of each hidden list, forcing a layout after each; returns those layouts from the trace. */
async function layoutsAfterMirrorWrites(page: Page): Promise<{ listNodes: number[]; layouts: NonNullable<LayoutEvent['args']>['beginData'][] }> {
  const cdp = await page.context().newCDPSession(page);
  const events: LayoutEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as LayoutEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
  const listNodes = await page.evaluate(() => {
    const lines = [...document.querySelectorAll<HTMLElement>('.ladder-mirror li, .tape-mirror li')].filter((li) => li === li.parentElement?.firstElementChild);
    // DOM nodes (elements and texts) of each list, itself included
    const nodes = lines.map((li) => {
      const walker = document.createTreeWalker(li.parentElement!, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      let n = 1;
      while (walker.nextNode()) n++;
      return n;
    });
    for (const li of lines) {
      void document.body.offsetHeight; // lay out whatever else was pending first
      console.timeStamp('mirror-write');
      li.textContent = `${li.textContent ?? ''} `;
      void document.body.offsetHeight; // the layout this write needs, alone
      console.timeStamp('mirror-written');
    }
    return nodes;
  });
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  // the Layout events between each pair of stamps
  const ordered = events.filter((e) => e.name === 'Layout' || e.name === 'TimeStamp').sort((a, b) => a.ts - b.ts);
  const layouts: NonNullable<LayoutEvent['args']>['beginData'][] = [];
  let inside = false;
  for (const e of ordered) {
    if (e.name === 'TimeStamp') inside = e.args?.data?.message === 'mirror-write';
    else if (inside && e.args?.beginData) layouts.push(e.args.beginData);
  }
  return { listNodes, layouts };
}

test('a write to the ladder\'s or the tape\'s hidden list lays out that list alone', async ({ launch }) => {
  const t = await launch({
    config: {
      exchanges: [{ id: 'sim', ccxtId: 'binance', simulated: true }],
      watchlist: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((symbol) => ({ exchange: 'sim', symbol })),
      simulator: { ratePerSymbol: 10 },
      ui: { showDiagnostics: false },
    },
  });
  const { page } = t;
  await expect(page.locator('[data-testid="book-state"]')).toHaveText('synced', { timeout: 20_000 });
  await expect(page.locator('.tape-mirror li[data-id]').first()).toBeAttached({ timeout: 20_000 });
  const { listNodes, layouts } = await layoutsAfterMirrorWrites(page);
  expect(listNodes.length, 'hidden lists on screen: the ladder\'s two and the tape\'s').toBe(3);
  expect(layouts.length, 'one forced layout per write').toBe(listNodes.length);
  layouts.forEach((l, i) => {
    expect(l?.partialLayout, 'a layout from the list, not from the document').toBe(true);
    // the layout covered the list's own boxes (a DOM node's box, a line's marker), not the screen's
    expect(l?.totalObjects).toBeLessThanOrEqual(2 * listNodes[i]! + 10);
  });
});
