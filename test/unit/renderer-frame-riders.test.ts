import { describe, expect, it } from 'vitest';
import { FrameRiders, RIDE_MAX_HOLD_MS } from '../../renderer/src/paint/frame-riders';
import { createAppStore } from '../../renderer/src/state/app-store';
import { routeMessage } from '../../renderer/src/state/message-router';
import { RowStore } from '../../renderer/src/state/row-store';
import { defaultSettings } from '../../shared/settings';
import type { EngineDiagnostics } from '../../shared/contract/renderer-api';

/** Fake timers; the trace records applies, paint requests and paints in order. */
function harness() {
  let t = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const trace: string[] = [];
  const riders = new FrameRiders({
    setTimeout: (fn, ms) => {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return () => (timers = timers.filter((x) => x !== timer));
    },
    requestPaint: () => trace.push(`${t} request paint`),
  });
  const advance = (to: number) => {
    for (;;) {
      const next = timers.filter((x) => x.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      timers = timers.filter((x) => x !== next);
      t = next.at;
      next.fn();
    }
    t = to;
  };
  const paint = (at: number) => {
    advance(at);
    trace.push(`${at} paint`);
    riders.flush();
  };
  const hold = (at: number, kind: string, label: string) => {
    advance(at);
    riders.hold(kind, () => trace.push(`${t} apply ${label}`));
  };
  return { riders, trace, advance, paint, hold, pending: () => timers.length };
}

describe('FrameRiders', () => {
  it('applies the newest update of each kind in the next painted frame, with no frame of their own', () => {
    const h = harness();
    h.hold(10, 'diagnostics', 'diagnostics#1');
    h.hold(20, 'status', 'status#1');
    h.hold(30, 'diagnostics', 'diagnostics#2'); // replaces #1
    h.paint(100);
    h.paint(200); // nothing held: nothing applied
    expect(h.trace).toEqual(['100 paint', '100 apply diagnostics#2', '100 apply status#1', '200 paint']);
    expect(h.pending()).toBe(0); // the hold timer went with the flush
  });

  it('asks for a frame after RIDE_MAX_HOLD_MS when no data frame comes, once per hold', () => {
    const h = harness();
    h.hold(0, 'status', 'status#1');
    h.hold(100, 'status', 'status#2');
    h.advance(RIDE_MAX_HOLD_MS);
    h.paint(RIDE_MAX_HOLD_MS + 16);
    h.advance(2000);
    expect(h.trace).toEqual([`${RIDE_MAX_HOLD_MS} request paint`, `${RIDE_MAX_HOLD_MS + 16} paint`, `${RIDE_MAX_HOLD_MS + 16} apply status#2`]);
  });

  it('drop forgets what was held and its timer (a new session)', () => {
    const h = harness();
    h.hold(0, 'timeline', 'timeline#1');
    h.riders.drop();
    expect(h.pending()).toBe(0);
    h.paint(500);
    expect(h.trace).toEqual(['500 paint']);
  });
});

describe('message routing with riders', () => {
  const diagnostics = (at: number): EngineDiagnostics => ({
    at,
    streaming: { restarts: 0, state: 'running' },
    handlers: {},
    components: [],
    ipc: { batchesInPerSec: 0, framesOutPerSec: 0, ticksInPerSec: 0 },
  });

  it('status, diagnostics and timeline wait for the paint; a notice does not', () => {
    const app = createAppStore('headless', { status: 'open' });
    const rows = new RowStore();
    const held: string[] = [];
    const applies: Array<() => void> = [];
    const invalidations: string[] = [];
    const deps = {
      app,
      rows,
      scheduler: { onFrame: () => undefined, invalidate: () => invalidations.push('invalidate'), reset: () => undefined },
      link: { expectHostExit: () => undefined },
      nack: () => undefined,
      riders: { hold: (kind: string, apply: () => void) => (held.push(kind), applies.push(apply)), drop: () => held.push('drop') },
    };
    routeMessage({ type: 'hello', host: 'headless', settings: defaultSettings(), rows: [] }, deps);
    routeMessage({ type: 'diagnostics', diagnostics: diagnostics(5) }, deps);
    routeMessage({ type: 'timeline', outages: [] }, deps);
    routeMessage({ type: 'status', exchanges: [], subscriptions: [] }, deps);
    routeMessage({ type: 'notice', level: 'warn', message: 'now' }, deps);
    expect(held).toEqual(['drop', 'diagnostics', 'timeline', 'status']);
    expect(app.getState().diagnostics).toBeNull(); // not yet: with the next painted frame
    expect(app.getState().notices.map((n) => n.message)).toEqual(['now']);
    for (const apply of applies) apply();
    expect(app.getState().diagnostics?.at).toBe(5);
    expect(invalidations).toEqual([]); // the paint that applied the status paints its rows
  });
});
