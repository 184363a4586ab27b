// A panel is on screen only while its page is visible and its element intersects the
// viewport; the diagnostics panel asks the host for its 2 Hz reports only then.
import { describe, expect, it } from 'vitest';
import { OnScreen } from '../../renderer/src/ui/on-screen';

describe('OnScreen', () => {
  it('is on screen only while the page is visible and the element intersects, and reports each flip once', () => {
    const flips: boolean[] = [];
    const s = new OnScreen(true, (v) => flips.push(v));
    expect(s.value).toBe(false); // mounted, not yet seen intersecting
    s.setIntersecting(true);
    s.setIntersecting(true);
    s.setDocumentVisible(false); // window minimised / browser tab hidden
    s.setIntersecting(false); // behind another dockview tab meanwhile: still off
    s.setDocumentVisible(true);
    s.setIntersecting(true);
    expect(flips).toEqual([true, false, true]);
    expect(s.value).toBe(true);
  });

  it('a hidden page never reports on screen, whatever the element does', () => {
    const flips: boolean[] = [];
    const s = new OnScreen(false, (v) => flips.push(v));
    s.setIntersecting(true);
    s.setIntersecting(false);
    s.setIntersecting(true);
    expect(flips).toEqual([]);
    s.setDocumentVisible(true);
    expect(flips).toEqual([true]);
  });
});
