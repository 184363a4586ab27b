import { describe, expect, it } from 'vitest';
import { IdleTrimPolicy, IDLE_TRIM, type IdleTrimOptions } from '../../electron/streaming/idle-trim-policy';
import { IdleMemoryTrim, type MemoryProbe } from '../../electron/streaming/idle-memory-trim';
import type { LowMemoryCollection } from '../../electron/streaming/v8-low-memory';
import { Owner } from '../../shared/lifecycle/owner';

const MB = 1024 * 1024;
const OPTS: IdleTrimOptions = { quietTicksPerS: 1000, quietForMs: 10_000, youngBoundBytes: 100 * MB, minIntervalMs: 60_000 };

/** Beats every 500 ms at `perS` ticks/s with the young generation at `young`; the beats (ms) at which the policy said trim. */
function run(policy: IdleTrimPolicy, from: number, to: number, perS: number, young: number, ticks = { n: 0 }, onTrim?: (at: number) => void): number[] {
  const said: number[] = [];
  for (let at = from; at <= to; at += 500) {
    ticks.n += perS / 2;
    if (policy.beat(at, ticks.n, young)) {
      said.push(at);
      policy.trimmed(at);
      onTrim?.(at);
    }
  }
  return said;
}

describe('IdleTrimPolicy', () => {
  it('trims a young generation a storm grew to its bound once the process has been quiet for 10 s, then at most once a minute', () => {
    const p = new IdleTrimPolicy(OPTS);
    // quiet from the first beat's period: 10 s later, then every 60 s while it stays grown
    expect(run(p, 0, 130_000, 50, 128 * MB)).toEqual([10_000, 70_000, 130_000]);
  });

  it('leaves what start-up (2 × 32 MB) and the idle screen (2 × 16 MB) grow it to', () => {
    expect(run(new IdleTrimPolicy(OPTS), 0, 120_000, 50, 64 * MB)).toEqual([]);
    expect(run(new IdleTrimPolicy(OPTS), 0, 120_000, 50, 32 * MB)).toEqual([]);
  });

  it('never trims while busy: a storm keeps its young generation, and the 10 s count from when it ends', () => {
    const p = new IdleTrimPolicy(OPTS);
    const ticks = { n: 0 };
    expect(run(p, 0, 60_000, 20_000, 128 * MB, ticks)).toEqual([]);
    // the storm ends at 60 s: the beat at 60.5 s covers the first quiet period
    expect(run(p, 60_500, 80_000, 40, 128 * MB, ticks)).toEqual([70_000]);
  });

  it('a busy beat inside the quiet restarts the count', () => {
    const p = new IdleTrimPolicy(OPTS);
    const ticks = { n: 0 };
    expect(run(p, 0, 8_000, 10, 128 * MB, ticks)).toEqual([]);
    expect(run(p, 8_500, 8_500, 5_000, 128 * MB, ticks)).toEqual([]);
    expect(run(p, 9_000, 20_000, 10, 128 * MB, ticks)).toEqual([18_500]);
  });

  it('the defaults: 1,000 ticks/s, 10 s, 100 MB, 60 s', () => {
    expect(IDLE_TRIM).toEqual(OPTS);
  });
});

/** A probe whose collections the test settles; it records what the trim did. */
class FakeProbe implements MemoryProbe {
  readonly trace: string[] = [];
  young = 128 * MB;
  rss = 200 * MB;
  pending: { resolve: () => void; reject: (e: Error) => void } | undefined;
  youngBytes(): number {
    return this.young;
  }
  rssBytes(): number {
    return this.rss;
  }
  collect(): LowMemoryCollection {
    this.trace.push('collect');
    const done = new Promise<void>((resolve, reject) => (this.pending = { resolve, reject }));
    return { done, close: () => this.trace.push('close') };
  }
  settle(ok = true): void {
    if (ok) {
      this.young = 1 * MB;
      this.rss = 90 * MB;
      this.pending?.resolve();
    } else this.pending?.reject(new Error('inspector refused'));
    this.pending = undefined;
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('IdleMemoryTrim', () => {
  const setup = () => {
    const probe = new FakeProbe();
    const owner = new Owner('test');
    const logs: string[] = [];
    let clock = 0;
    const trim = new IdleMemoryTrim(probe, owner, (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`), () => clock, new IdleTrimPolicy(OPTS));
    const beats = (from: number, to: number, perS = 20) => {
      for (let at = from; at <= to; at += 500) {
        clock = at;
        trim.beat(at, (at / 1000) * perS);
      }
    };
    return { probe, owner, logs, trim, beats, setClock: (t: number) => (clock = t) };
  };

  it('runs one collection at a time, held by its owner while it runs; logs the first with its figures, counts the rest', async () => {
    const { probe, owner, logs, trim, beats, setClock } = setup();
    beats(0, 10_000);
    expect(probe.trace).toEqual(['collect']);
    expect(owner.counts()).toEqual({ 'memory-trim': 1 });
    beats(10_500, 12_000); // still running: no second collection
    expect(probe.trace).toEqual(['collect']);
    setClock(12_024);
    probe.settle();
    await flush();
    expect(trim.count).toBe(1);
    expect(owner.counts()).toEqual({});
    expect(logs).toEqual([`info memory given back while quiet {"youngBeforeBytes":${128 * MB},"youngAfterBytes":${1 * MB},"rssBeforeBytes":${200 * MB},"rssAfterBytes":${90 * MB},"ms":2024}`]);
    // grown again a minute later: a second trim, counted, not logged
    probe.young = 128 * MB;
    beats(12_500, 70_000);
    expect(probe.trace).toEqual(['collect', 'collect']);
    probe.settle();
    await flush();
    expect(trim.count).toBe(2);
    expect(logs).toHaveLength(1);
  });

  it('a shutdown while a collection runs ends its session', async () => {
    const { probe, owner, beats } = setup();
    beats(0, 10_000);
    await owner.close(100);
    expect(probe.trace).toEqual(['collect', 'close']);
    // after the owner is gone no collection starts
    beats(70_000, 80_000);
    expect(probe.trace).toEqual(['collect', 'close']);
  });

  it('a refused collection turns trimming off, logged once', async () => {
    const { probe, logs, trim, beats } = setup();
    beats(0, 10_000);
    probe.settle(false);
    await flush();
    beats(10_500, 200_000);
    expect(probe.trace).toEqual(['collect']);
    expect(trim.count).toBe(0);
    expect(logs).toEqual(['warn memory trim unavailable: turned off {"error":"inspector refused"}']);
  });
});
