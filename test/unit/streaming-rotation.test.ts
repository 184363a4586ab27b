import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { Rotation, type RotationHost } from '../../electron/streaming/rotation';
import { FakeTime, settle } from './streaming-fake-time';

/** Connections are names; warming takes `warmMs` of fake time (never, when Infinity). */
function setup(warmMs: number) {
  const time = new FakeTime();
  const owner = new Owner('session');
  const trace: string[] = [];
  const at = () => time.now() - 1_000_000;
  const state = { current: 'c1' as string | undefined, made: 1 };
  const host: RotationHost<string, string> = {
    current: () => state.current,
    create: async () => {
      const next = `c${++state.made}`;
      trace.push(`create ${next} @${at()}`);
      return next;
    },
    warm: (next) => (Number.isFinite(warmMs) ? new Promise((r) => time.setTimeout(() => r(`data on ${next}`), warmMs)) : new Promise(() => undefined)),
    switchTo: (next, warmed, reason) => {
      state.current = next;
      trace.push(`switch ${next} (${warmed}, ${reason}) @${at()}`);
    },
    close: async (x) => void trace.push(`close ${x} @${at()}`),
    failed: (e) => trace.push(`failed: ${(e as Error).message} @${at()}`),
    finished: () => trace.push(`finished @${at()}`),
  };
  return { time, owner, trace, state, rotation: new Rotation(host, 2000, time, owner) };
}

describe('Rotation', () => {
  it('makes before it breaks: warm the new connection, switch, then close the old one', async () => {
    const { time, trace, state, rotation } = setup(300);
    expect(rotation.start('rotation')).toBe(true);
    expect(rotation.start('rotation')).toBe(false); // one at a time
    expect(rotation.busy).toBe(true);
    await time.advance(300);
    await rotation.settled();
    expect(trace).toEqual(['create c2 @0', 'switch c2 (data on c2, rotation) @300', 'close c1 @300', 'finished @300']);
    expect(state.current).toBe('c2');
    expect(rotation.busy).toBe(false);
  });

  it('a warm-up that does not finish in time keeps the current connection and closes the new one', async () => {
    const { time, owner, trace, state, rotation } = setup(Infinity);
    rotation.start('rotation');
    await time.advance(1999);
    expect(trace).toEqual(['create c2 @0']);
    await time.advance(1);
    await rotation.settled();
    expect(trace).toEqual(['create c2 @0', 'failed: no data within 2000 ms @2000', 'close c2 @2000', 'finished @2000']);
    expect(state.current).toBe('c1');
    expect(owner.size()).toBe(0);
  });

  it('if the session changed its connection meanwhile, the rotation gives up', async () => {
    const { time, trace, state, rotation } = setup(100);
    rotation.start('rotation');
    await settle();
    state.current = 'other';
    await time.advance(100);
    await rotation.settled();
    expect(trace).toEqual(['create c2 @0', 'failed: session changed during rotation @100', 'close c2 @100', 'finished @100']);
    expect(state.current).toBe('other');
  });

  it('nothing to rotate without a connection', () => {
    const { state, rotation } = setup(100);
    state.current = undefined;
    expect(rotation.start('rotation')).toBe(false);
    expect(rotation.busy).toBe(false);
  });
});
