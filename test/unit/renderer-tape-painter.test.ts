import { describe, expect, it } from 'vitest';
import type { TapeView } from '../../shared/contract/renderer-api';
import { TapeModel } from '../../renderer/src/depth/tape-model';
import { TAPE_GEOMETRY } from '../../renderer/src/depth/tape-layout';
import { MIRROR_MS, TapePainter, type MirrorLine, type TapeCanvas, type TapeColors, type TapeEls } from '../../renderer/src/depth/tape-painter';

const at = (ms: number) => new Date(2026, 0, 1, 10, 0, 0, ms).getTime();
const view = (trades: TapeView['trades'], ids: string[], gaps: TapeView['gaps'] = []): TapeView => ({ key: 'k', reset: false, trades, ids, gaps });
const colors: TapeColors = { buy: 'B', sell: 'S', unknown: 'U', muted: 'M', warn: 'W', gapBg: 'GB', largeBg: 'LB', font: 'f', boldFont: 'bf' };

/** Records the draw calls as a trace (state writes only where they matter to what is drawn). */
function recorder(trace: string[]): TapeCanvas {
  const ctx = {
    font: '', fillStyle: '' as unknown, globalAlpha: 1, textAlign: 'start', textBaseline: 'alphabetic',
    setTransform: (a: number, _b: number, _c: number, d: number) => trace.push(`scale ${a},${d}`),
    clearRect: (x: number, y: number, w: number, h: number) => trace.push(`clear ${x},${y},${w},${h}`),
    fillRect: (x: number, y: number, w: number, h: number) => trace.push(`rect ${String(ctx.fillStyle)} ${x},${y},${w},${h}`),
    fillText: (t: string, x: number, y: number) => trace.push(`text ${ctx.font} ${String(ctx.fillStyle)} a${ctx.globalAlpha} ${ctx.textAlign} ${x},${y} ${t}`),
  };
  return ctx as unknown as TapeCanvas;
}

function setup(mirrorLines = 3) {
  const trace: string[] = [];
  const mirror: MirrorLine[] = Array.from({ length: mirrorLines }, () => ({ className: 'tape-line empty', textContent: '', dataset: {} }));
  const els: TapeEls = { paused: { textContent: '' }, canvas: { width: 300, height: 150 }, ctx: recorder(trace), mirror };
  const painter = new TapePainter();
  painter.attach(els, colors);
  const { lineHeight, topPad } = TAPE_GEOMETRY;
  painter.resize(400, topPad + 3 * lineHeight, 2);
  return { trace, els, mirror, painter, mid: (i: number) => topPad + i * lineHeight + lineHeight / 2 };
}

describe('TapePainter', () => {
  it('draws each line once with fillText at device-pixel scale: time left, price and size right, side colour, large trades bold on a band', () => {
    const { trace, els, painter, mid } = setup();
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 1000 });
    tape.apply(view([[100, 1, 1, at(1), 0], [99, 20, -1, at(2), 0]], ['1', '2']));
    painter.paint(tape, 0);
    expect(els.canvas).toEqual({ width: 800, height: Math.round((TAPE_GEOMETRY.topPad + 3 * TAPE_GEOMETRY.lineHeight) * 2) });
    const a1 = Math.round((0.45 + 0.55 * (Math.log1p(1) / Math.log1p(20))) * 100) / 100;
    expect(trace).toEqual([
      'scale 2,2',
      `clear 0,0,400,${TAPE_GEOMETRY.topPad + 3 * TAPE_GEOMETRY.lineHeight}`,
      `rect LB 0,${TAPE_GEOMETRY.topPad},400,${TAPE_GEOMETRY.lineHeight}`,
      `text bf M a1 left 8,${mid(0)} 10:00:00.002`,
      `text bf S a1 right 250,${mid(0)} 99`,
      `text bf S a1 right 392,${mid(0)} 20.00`,
      `text f M a${a1} left 8,${mid(1)} 10:00:00.001`,
      `text f B a${a1} right 250,${mid(1)} 100`,
      `text f B a${a1} right 392,${mid(1)} 1.000`,
    ]);
    // nothing new: no draw at all
    trace.length = 0;
    painter.paint(tape, 16);
    expect(trace).toEqual([]);
    // a resize redraws at the new scale
    painter.resize(400, TAPE_GEOMETRY.topPad + 3 * TAPE_GEOMETRY.lineHeight, 1);
    painter.paint(tape, 32);
    expect(trace[0]).toBe('scale 1,1');
    expect(els.canvas.width).toBe(400);
  });

  it('gap markers are drawn in the warning colour on their band', () => {
    const { trace, painter, mid } = setup();
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    tape.apply(view([], [], [{ fromId: '1', toId: '5', missing: 3, recovered: 3, startedAt: at(0), endedAt: at(500), cause: 'id-jump' }]));
    painter.paint(tape, 0);
    expect(trace.slice(2)).toEqual([
      `rect GB 0,${TAPE_GEOMETRY.topPad},400,${TAPE_GEOMETRY.lineHeight}`,
      `text f W a1 left 8,${mid(0)} 10:00:00.500`,
      `text f W a1 right 250,${mid(0)} gap 0.5 s`,
      `text f W a1 right 392,${mid(0)} 3/3 recovered`,
    ]);
  });

  it('the hidden list mirrors the drawn lines at most every MIRROR_MS, and the trailing state always lands', () => {
    const { mirror, painter } = setup();
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    expect(painter.mirrorDueAt()).toBe(Infinity);
    tape.apply(view([[100, 1, 1, at(1), 0]], ['a']));
    painter.paint(tape, 1000);
    const read = () => mirror.map((l) => `${l.className}|${l.dataset.id ?? ''}|${l.textContent}`);
    expect(read()).toEqual(['tape-line buy|a|10:00:00.001 100 1.000', 'tape-line empty||', 'tape-line empty||']);
    expect(painter.mirrorDueAt()).toBe(Infinity);
    tape.apply(view([[101, 2, -1, at(2), 0]], ['b']));
    painter.paint(tape, 1100);
    // drawn, not yet mirrored: due MIRROR_MS after the last write
    expect(read()[0]).toBe('tape-line buy|a|10:00:00.001 100 1.000');
    expect(painter.mirrorDueAt()).toBe(1000 + MIRROR_MS);
    painter.writeMirror(1000 + MIRROR_MS - 1);
    expect(read()[0]).toBe('tape-line buy|a|10:00:00.001 100 1.000');
    painter.writeMirror(1000 + MIRROR_MS);
    expect(read()).toEqual(['tape-line sell|b|10:00:00.002 101 2.000', 'tape-line buy|a|10:00:00.001 100 1.000', 'tape-line empty||']);
    expect(painter.mirrorDueAt()).toBe(Infinity);
  });

  it('hovering pauses: the header counts what arrived, the drawn lines stay put', () => {
    const { trace, els, painter } = setup();
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    tape.apply(view([[100, 1, 1, at(1), 0]], ['a']));
    painter.paint(tape, 0);
    tape.pause(true);
    tape.apply(view([[101, 1, 1, at(2), 0], [102, 1, 1, at(3), 0]], ['b', 'c']));
    trace.length = 0;
    painter.paint(tape, 16);
    expect(els.paused.textContent).toBe('paused · 2 new');
    expect(trace.filter((t) => t.startsWith('text')).map((t) => t.split(' ').at(-1))).toEqual(['10:00:00.001', '100', '1.000']);
    tape.pause(false);
    painter.paint(tape, 32);
    expect(els.paused.textContent).toBe('');
  });
});
