import { describe, expect, it } from 'vitest';
import { attribute, classifyFoxtrot, rendererMainThreadMs, scriptMs, type CpuProfile, type CpuProfileNode, type TraceEvent } from '../../bench/profile-attribution';

const frame = (id: number, functionName: string, url: string, line: number, children: number[] = []): CpuProfileNode => ({
  id, callFrame: { functionName, url, lineNumber: line, columnNumber: 0 }, children,
});

// A bundle whose lines 10-19 are lightweight-charts, 20-29 the ladder painter, 30-39 the message router.
const BUNDLE = 'http://127.0.0.1:1/assets/index.js';
const sources: Array<[number, string]> = [
  [10, '../../node_modules/lightweight-charts/dist/lightweight-charts.production.mjs'],
  [20, '../src/depth/ladder-painter.ts'],
  [30, '../src/state/message-router.ts'],
];
const locate = (url: string, line: number): string | undefined => (url === BUNDLE ? sources.filter(([from]) => line >= from).at(-1)?.[1] : undefined);

//   (root) 1 ─ (program) 2
//          ├ (idle) 3
//          ├ router 4 ─ chart update 5 ─ native 6 (no url)
//          │          └ JSON.parse 7 (no url)
//          └ rAF 8 (an unmapped script) ─ ladder paint 9
const profile = (samples: number[], deltasUs: number[]): CpuProfile => ({
  nodes: [
    frame(1, '(root)', '', -1, [2, 3, 4, 8]),
    frame(2, '(program)', '', -1),
    frame(3, '(idle)', '', -1),
    frame(4, 'route', BUNDLE, 31, [5, 7]),
    frame(5, 'update', BUNDLE, 12, [6]),
    frame(6, 'measureText', '', -1),
    frame(7, 'parse', '', -1),
    frame(8, 'frame', 'http://127.0.0.1:1/other.js', 3, [9]),
    frame(9, 'paint', BUNDLE, 25),
  ],
  samples,
  timeDeltas: deltasUs,
});

describe('CPU profile attribution', () => {
  it('charges each sample to the innermost frame with a named part; native frames inherit their caller\'s', () => {
    // each sample lasts until the next: 1000 µs each, the last one has no known length
    const parts = attribute(profile([6, 7, 9, 2, 3, 5, 3], [0, 1000, 1000, 1000, 1000, 1000, 1000]), locate, classifyFoxtrot);
    expect(Object.fromEntries(parts)).toEqual({ chart: 2, 'renderer other': 1, ladder: 1, program: 1, idle: 1 });
    expect(scriptMs(parts)).toBe(4);
  });

  it('script nothing maps to is "other script", not dropped', () => {
    const parts = attribute(profile([6, 9, 9], [0, 500, 500]), () => undefined, classifyFoxtrot);
    expect(Object.fromEntries(parts)).toEqual({ 'other script': 1 });
  });

  it('names the parts of Foxtrot\'s screen from source-map paths', () => {
    expect(classifyFoxtrot('../../node_modules/lightweight-charts/dist/x.mjs')).toBe('chart');
    expect(classifyFoxtrot('../src/ui/ChartPanel.tsx')).toBe('chart');
    expect(classifyFoxtrot('../src/chart/chart-data.ts')).toBe('chart');
    expect(classifyFoxtrot('../src/ui/Ladder.tsx')).toBe('ladder');
    expect(classifyFoxtrot('../src/depth/ladder-math.ts')).toBe('ladder math');
    expect(classifyFoxtrot('../src/depth/tape-painter.ts')).toBe('tape');
    expect(classifyFoxtrot('../src/paint/row-painter.ts')).toBe('watchlist');
    expect(classifyFoxtrot('../src/bridge/link.ts')).toBe('socket messages');
    expect(classifyFoxtrot('../../node_modules/react-dom/cjs/react-dom-client.production.js')).toBe('react');
    expect(classifyFoxtrot('../../node_modules/zustand/esm/index.mjs')).toBeUndefined();
  });
});

describe('rendering steps from a Chromium trace', () => {
  it('sums the named steps of the busiest renderer main thread only', () => {
    const events: TraceEvent[] = [
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'CrRendererMain' } },
      { ph: 'M', name: 'thread_name', pid: 2, tid: 1, args: { name: 'CrRendererMain' } },
      { ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: { name: 'Compositor' } },
      { ph: 'X', name: 'Layout', pid: 1, tid: 1, dur: 1500 },
      { ph: 'X', name: 'Layout', pid: 1, tid: 1, dur: 500 },
      { ph: 'X', name: 'Paint', pid: 1, tid: 1, dur: 250 },
      { ph: 'X', name: 'FunctionCall', pid: 1, tid: 1, dur: 9000 },
      { ph: 'X', name: 'Paint', pid: 1, tid: 2, dur: 7000 }, // not a main thread
      { ph: 'X', name: 'Layout', pid: 2, tid: 1, dur: 3000 }, // a quieter renderer (another page)
    ];
    expect(Object.fromEntries(rendererMainThreadMs(events))).toEqual({ Layout: 2, Paint: 0.25 });
    expect(rendererMainThreadMs([]).size).toBe(0);
  });

  it('counts the thread\'s CPU time where the trace has it, and a step nested in one of its name once', () => {
    const events: TraceEvent[] = [
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'CrRendererMain' } },
      // the document's Paint (waited 3 ms for a core) with two layers' Paints inside it
      { ph: 'X', name: 'Paint', pid: 1, tid: 1, ts: 1000, dur: 5000, tdur: 2000 },
      { ph: 'X', name: 'Paint', pid: 1, tid: 1, ts: 1500, dur: 400, tdur: 400 },
      { ph: 'X', name: 'Paint', pid: 1, tid: 1, ts: 2000, dur: 300, tdur: 300 },
      // the next frame's Paint, after the first ended
      { ph: 'X', name: 'Paint', pid: 1, tid: 1, ts: 6000, dur: 1000, tdur: 1000 },
      // a Layout that starts with the Paint of another frame: other steps do not nest
      { ph: 'X', name: 'Layout', pid: 1, tid: 1, ts: 1000, dur: 700 },
    ];
    expect(Object.fromEntries(rendererMainThreadMs(events))).toEqual({ Paint: 3, Layout: 0.7 });
  });
});
