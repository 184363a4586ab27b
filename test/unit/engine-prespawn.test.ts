import { describe, expect, it } from 'vitest';
import { PrespawnedStreaming } from '../../electron/engine/host/prespawn';
import type { StreamingProcess, StreamingProcessExit } from '../../electron/engine/supervisor/streaming-process';
import { parsePreload, preloadArgs } from '../../shared/streaming-preload';

class FakeProcess implements StreamingProcess {
  messageListeners: ((m: unknown) => void)[] = [];
  exitListeners: ((e: StreamingProcessExit) => void)[] = [];
  trace: string[] = [];
  constructor(readonly pid: number) {}
  post(message: { type: string }): void {
    this.trace.push(`post ${message.type}`);
  }
  onMessage(l: (m: unknown) => void): () => void {
    this.messageListeners.push(l);
    return () => (this.messageListeners = this.messageListeners.filter((x) => x !== l));
  }
  onExit(l: (e: StreamingProcessExit) => void): () => void {
    this.exitListeners.push(l);
    return () => (this.exitListeners = this.exitListeners.filter((x) => x !== l));
  }
  say(m: unknown): void {
    for (const l of this.messageListeners) l(m);
  }
  exit(e: StreamingProcessExit): void {
    for (const l of this.exitListeners) l(e);
  }
  terminate(): void {
    this.trace.push('terminate');
  }
  kill(): void {
    this.trace.push('kill');
  }
}

function harness() {
  const spawned: FakeProcess[] = [];
  const pre = new PrespawnedStreaming(() => {
    const p = new FakeProcess(100 + spawned.length);
    spawned.push(p);
    return p;
  });
  return { pre, spawned };
}

describe('PrespawnedStreaming', () => {
  it('starts the process at once and hands it to the first spawn, with what it said before anyone listened', () => {
    const h = harness();
    expect(h.spawned).toHaveLength(1);
    h.spawned[0]!.say({ type: 'ready', pid: 100 });
    const claimed = h.pre.spawn();
    expect(claimed.pid).toBe(100);
    expect(h.pre.unclaimed).toBe(false);
    const heard: unknown[] = [];
    claimed.onMessage((m) => heard.push(m));
    h.spawned[0]!.say({ type: 'log', records: [] });
    expect(heard).toEqual([{ type: 'ready', pid: 100 }, { type: 'log', records: [] }]);
    claimed.post({ type: 'shutdown', deadlineMs: 1 });
    expect(h.spawned[0]!.trace).toEqual(['post shutdown']);
  });

  it('replays an exit that came before the claim; a restart gets a fresh process', () => {
    const h = harness();
    h.spawned[0]!.exit({ code: 1, signal: null });
    const claimed = h.pre.spawn();
    const exits: StreamingProcessExit[] = [];
    claimed.onExit((e) => exits.push(e));
    expect(exits).toEqual([{ code: 1, signal: null }]);
    expect(h.pre.spawn().pid).toBe(101);
    expect(h.spawned).toHaveLength(2);
  });

  it('dispose ends a process nobody claimed, and leaves a claimed one to its owner', () => {
    const a = harness();
    a.pre.dispose();
    expect(a.spawned[0]!.trace).toEqual(['terminate']);
    a.pre.dispose();
    expect(a.spawned[0]!.trace).toEqual(['terminate']);

    const b = harness();
    b.pre.spawn();
    b.pre.dispose();
    expect(b.spawned[0]!.trace).toEqual([]);
  });
});

describe('--preload argument', () => {
  it('names the ccxt classes of the enabled exchanges once each, and reads back only ccxt ids', () => {
    const exchanges = [
      { ccxtId: 'binance', enabled: true },
      { ccxtId: 'binance', enabled: true },
      { ccxtId: 'kraken', enabled: false },
      { ccxtId: undefined, enabled: true }, // an IB or Futu entry: no ccxt class
    ];
    const args = preloadArgs({ exchanges });
    expect(args).toEqual(['--preload=binance']);
    expect(parsePreload(['node', 'x.cjs', ...args])).toEqual(['binance']);
    expect(parsePreload(['--preload=okx,../evil,Binance'])).toEqual(['okx']);
    expect(preloadArgs({ exchanges: [] })).toEqual([]);
  });
});
