// A write to the ladder's or the tape's hidden list (assistive tech, tests), or to the
// status bar, lays out that list or bar alone, not the document: each is a relayout
// boundary (styles.css). Read from Chromium's own trace (CDP, the page's session: the
// headless host's page and Electron's window alike): the layout forced right after the
// write names how many layout objects it covered and whether it was a partial one. Before
// the fixes each such write laid out the whole screen (~2,450-3,200 objects): the lists
// twice a second on a busy screen, the status bar once a second.
import type { Page } from '@playwright/test';
import { test, expect } from './terminal-fixture';

interface LayoutEvent { name: string; ph: string; ts: number; args?: { beginData?: { partialLayout: boolean; totalObjects: number; dirtyObjects: number }; data?: { message?: string } } }

/**
 * Writes into the first element matching `targets` inside each `boundary` box, forcing a
 * layout after each; returns each box's DOM node count and those layouts from the trace.
 */
async function layoutsAfterWrites(page: Page, targets: string, boundary: string): Promise<{ listNodes: number[]; layouts: NonNullable<LayoutEvent['args']>['beginData'][] }> {
  const cdp = await page.context().newCDPSession(page);
  const events: LayoutEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as LayoutEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
  const listNodes = await page.evaluate(({ targets, boundary }) => {
    const firsts = new Map<Element, HTMLElement>();
    for (const el of document.querySelectorAll<HTMLElement>(targets)) {
      const box = el.closest(boundary);
      if (box && !firsts.has(box)) firsts.set(box, el);
    }
    // DOM nodes (elements and texts) of each box, itself included
    const nodes = [...firsts.keys()].map((box) => {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      let n = 1;
      while (walker.nextNode()) n++;
      return n;
    });
    for (const el of firsts.values()) {
      void document.body.offsetHeight; // lay out whatever else was pending first
      console.timeStamp('box-write');
      // its Text node's data, as the painters and React write it
      const text = [...el.childNodes].find((n): n is Text => n.nodeType === Node.TEXT_NODE);
      if (text) text.data = `${text.data} `;
      else el.textContent = ' ';
      void document.body.offsetHeight; // the layout this write needs, alone
      console.timeStamp('box-written');
    }
    return nodes;
  }, { targets, boundary });
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  // the Layout events between each pair of stamps
  const ordered = events.filter((e) => e.name === 'Layout' || e.name === 'TimeStamp').sort((a, b) => a.ts - b.ts);
  const layouts: NonNullable<LayoutEvent['args']>['beginData'][] = [];
  let inside = false;
  for (const e of ordered) {
    if (e.name === 'TimeStamp') inside = e.args?.data?.message === 'box-write';
    else if (inside && e.args?.beginData) layouts.push(e.args.beginData);
  }
  return { listNodes, layouts };
}

test('a write to the ladder\'s or the tape\'s hidden list, or to the status bar, lays out that list or bar alone', async ({ launch }) => {
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
  await expect(page.locator('[data-streaming-state="running"]')).toBeVisible();
  const checks = [
    { what: 'hidden lists on screen: the ladder\'s two and the tape\'s', targets: '.ladder-mirror li, .tape-mirror li', boundary: '.ladder-mirror, .tape-mirror', boxes: 3 },
    { what: 'the status bar', targets: '.status-bar-row [data-streaming-state]', boundary: '.status-bar-row', boxes: 1 },
  ];
  for (const c of checks) {
    const { listNodes, layouts } = await layoutsAfterWrites(page, c.targets, c.boundary);
    expect(listNodes.length, c.what).toBe(c.boxes);
    expect(layouts.length, `${c.what}: one forced layout per write`).toBe(listNodes.length);
    layouts.forEach((l, i) => {
      expect(l?.partialLayout, `${c.what}: a layout from the box, not from the document`).toBe(true);
      // the layout covered the box's own layout objects (a DOM node's box, a line's marker), not the screen's
      expect(l?.totalObjects, c.what).toBeLessThanOrEqual(2 * listNodes[i]! + 10);
    });
  }
});
