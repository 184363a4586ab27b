// Where the renderer's main-thread time goes, from a Chromium CPU profile (CDP
// Profiler.stop): each sample is charged to the innermost frame on its stack whose
// source file (through the bundle's source map) falls in a named part of the screen
// (chart, ladder, tape, watchlist, React...). Pure: the bench fetches the profile and
// the source maps; unit-tested with hand-made profiles (test/unit/bench-profile.test.ts).

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** The subset of CDP's Profiler.Profile used here; timeDeltas in µs. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Source file of a position in a loaded script (0-based line and column), or undefined. */
export type Locate = (url: string, line: number, column: number) => string | undefined;
/** The part of the screen a source file belongs to, or undefined (keep walking up the stack). */
export type Classify = (source: string) => string | undefined;

/** V8's pseudo-frames: not script. */
export const IDLE = 'idle';
export const GC = 'garbage collector';
/** Browser work outside script (style, layout, paint, compositing) shows up as "(program)". */
export const PROGRAM = 'program';
/** Script the classifier does not name. */
export const OTHER_SCRIPT = 'other script';

const PSEUDO: Record<string, string> = { '(idle)': IDLE, '(garbage collector)': GC, '(program)': PROGRAM };

/** ms per part over the whole profile. A sample lasts until the next one (the last has no known length: 0). */
export function attribute(profile: CpuProfile, locate: Locate, classify: Classify): Map<string, number> {
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const partOf = new Map<number, string>();
  const classifyNode = (id: number): string => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    const path: number[] = [];
    let part: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const cached = partOf.get(at);
      if (cached !== undefined) {
        part = cached;
        break;
      }
      path.push(at);
      const f = byId.get(at)!.callFrame;
      const pseudo = PSEUDO[f.functionName];
      if (pseudo !== undefined && f.url === '') {
        part = pseudo;
        break;
      }
      const source = f.url ? locate(f.url, f.lineNumber, f.columnNumber) : undefined;
      part = source === undefined ? undefined : classify(source);
      if (part !== undefined) break;
    }
    part ??= OTHER_SCRIPT;
    for (const p of path) partOf.set(p, part);
    return part;
  };
  const out = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    if (!(us > 0) || !byId.has(samples[i]!)) continue;
    const part = classifyNode(samples[i]!);
    out.set(part, (out.get(part) ?? 0) + us / 1000);
  }
  return out;
}

/** Script time in an attribution: everything but idle and the browser's own work. */
export function scriptMs(parts: Map<string, number>): number {
  let sum = 0;
  for (const [part, ms] of parts) if (part !== IDLE && part !== PROGRAM && part !== GC) sum += ms;
  return sum;
}

/** Foxtrot's renderer, by part of the screen (source paths as Vite's source maps spell them). */
export function classifyFoxtrot(source: string): string | undefined {
  const s = source.replaceAll('\\', '/');
  if (s.includes('node_modules/lightweight-charts/') || s.includes('fancy-canvas')) return 'chart';
  if (s.includes('node_modules/react-dom/') || s.includes('node_modules/scheduler/') || s.includes('node_modules/react/')) return 'react';
  if (s.includes('node_modules/')) return undefined;
  const m = /renderer\/src\/(.*)$/.exec(s) ?? /^(?:\.\.\/)*src\/(.*)$/.exec(s);
  if (!m) return undefined;
  const file = m[1]!;
  if (file.startsWith('chart/') || file === 'ui/ChartPanel.tsx') return 'chart';
  // grouping and traded volume apart from painting: where grouping costs least is measured (issue 11)
  if (file === 'depth/ladder-math.ts') return 'ladder math';
  if (file.startsWith('depth/ladder') || file === 'ui/Ladder.tsx') return 'ladder';
  if (file.startsWith('depth/tape') || file === 'ui/Tape.tsx') return 'tape';
  if (file.startsWith('paint/') || file.startsWith('state/row') || file === 'ui/Watchlist.tsx') return 'watchlist';
  if (file.startsWith('bridge/')) return 'socket messages';
  return 'renderer other';
}

// ---- the browser's own work, from a Chromium trace -------------------------------------

/** A trace event as Chromium writes it (the fields used here); ts, dur and tdur in µs. */
export interface TraceEvent { ph: string; name: string; pid: number; tid: number; ts?: number; dur?: number; tdur?: number; args?: { name?: string } }

/** Rendering steps outside script, as devtools.timeline names them. */
export const RENDERING_STEPS = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'RasterTask'] as const;

/**
 * ms of each named step on the busiest renderer main thread ("CrRendererMain"), from
 * complete events ('X'). The thread's CPU time (tdur) where the trace has it: on a
 * shared machine wall time (dur) also counts the time the thread waited for a core.
 * A step nested in one of the same name (Chromium writes a Paint per repainted layer,
 * inside the document's Paint) is counted once, in the outer one; different steps are
 * not nested in each other, so they add up.
 */
export function rendererMainThreadMs(events: readonly TraceEvent[], names: readonly string[] = RENDERING_STEPS): Map<string, number> {
  const mains = new Set<string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.add(`${e.pid}:${e.tid}`);
  const wanted = new Set(names);
  const count = new Map<string, number>();
  const steps = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const t = `${e.pid}:${e.tid}`;
    if (!mains.has(t) || e.ph !== 'X') continue;
    count.set(t, (count.get(t) ?? 0) + 1);
    if (!wanted.has(e.name) || !(e.dur! >= 0)) continue;
    let list = steps.get(t);
    if (!list) steps.set(t, (list = []));
    list.push(e);
  }
  let busiest: string | undefined;
  for (const [t, n] of count) if (busiest === undefined || n > count.get(busiest)!) busiest = t;
  const out = new Map<string, number>();
  const list = (busiest && steps.get(busiest)) || [];
  // outer events first where they start together
  list.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || b.dur! - a.dur!);
  const outerEnd = new Map<string, number>();
  for (const e of list) {
    if (e.ts !== undefined) {
      if (e.ts < (outerEnd.get(e.name) ?? -Infinity)) continue;
      outerEnd.set(e.name, e.ts + e.dur!);
    }
    out.set(e.name, (out.get(e.name) ?? 0) + (e.tdur ?? e.dur!) / 1000);
  }
  return out;
}
