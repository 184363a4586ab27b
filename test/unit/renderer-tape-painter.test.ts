import { describe, expect, it } from 'vitest';
import type { TapeView } from '../../shared/contract/renderer-api';
import { TapeModel, type TapeEntry } from '../../renderer/src/depth/tape-model';
import { TAPE_GEOMETRY, tradeAlpha } from '../../renderer/src/depth/tape-layout';
import { MIRROR_EARLY_MS, MIRROR_MS, MIRROR_TRAIL_MS } from '../../renderer/src/paint/mirror-cadence';
import { TapePainter, newOnTop, type MirrorLine, type TapeCanvas, type TapeColors, type TapeEls } from '../../renderer/src/depth/tape-painter';

const at = (ms: number) => new Date(2026, 0, 1, 10, 0, 0, ms).getTime();
const view = (trades: TapeView['trades'], ids: string[], gaps: TapeView['gaps'] = []): TapeView => ({ key: 'k', reset: false, trades, ids, gaps });
const colors: TapeColors = { buy: 'B', sell: 'S', unknown: 'U', muted: 'M', warn: 'W', gapBg: 'GB', largeBg: 'LB', font: 'f', boldFont: 'bf' };

/** Records the draw calls as a trace (state writes only where they matter to what is drawn). */
function recorder(trace: string[]): TapeCanvas {
  let op = 'source-over';
  const ctx = {
    font: '', fillStyle: '' as unknown, globalAlpha: 1, textAlign: 'start', textBaseline: 'alphabetic',
    get globalCompositeOperation() {
      return op;
    },
    set globalCompositeOperation(v: string) {
      op = v;
      trace.push(`composite ${v}`);
    },
    setTransform: (a: number, _b: number, _c: number, d: number) => trace.push(`scale ${a},${d}`),
    clearRect: (x: number, y: number, w: number, h: number) => trace.push(`clear ${x},${y},${w},${h}`),
    fillRect: (x: number, y: number, w: number, h: number) => trace.push(`rect ${String(ctx.fillStyle)} ${x},${y},${w},${h}`),
    fillText: (t: string, x: number, y: number) => trace.push(`text ${ctx.font} ${String(ctx.fillStyle)} a${ctx.globalAlpha} ${ctx.textAlign} ${x},${y} ${t}`),
    drawImage: (_img: unknown, sx: number, sy: number, sw: number, sh: number, dx: number, dy: number, dw: number, dh: number) =>
      trace.push(`image ${sx},${sy},${sw},${sh} to ${dx},${dy},${dw},${dh}`),
  };
  return ctx as unknown as TapeCanvas;
}

/** The texts drawn (the last word of each fillText), line by line from the top, each line left to right (the painter draws column by column). */
const texts = (trace: string[]) =>
  trace
    .filter((t) => t.startsWith('text'))
    .map((t) => {
      const words = t.split(' ');
      const [x, y] = words[5]!.split(',').map(Number) as [number, number];
      return { x, y, text: words.at(-1)! };
    })
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((d) => d.text);

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
    const a1 = tradeAlpha(100, 1000);
    // bands, then the time column, then price and size; state is written only when it changes
    expect(trace).toEqual([
      'scale 2,2',
      `clear 0,0,400,${TAPE_GEOMETRY.topPad + 3 * TAPE_GEOMETRY.lineHeight}`,
      `rect LB 0,${TAPE_GEOMETRY.topPad},400,${TAPE_GEOMETRY.lineHeight}`,
      `text bf M a1 left 8,${mid(0)} 10:00:00.002`,
      `text f M a${a1} left 8,${mid(1)} 10:00:00.001`,
      `text bf S a1 right 250,${mid(0)} 99`,
      `text bf S a1 right 392,${mid(0)} 20.00`,
      `text f B a${a1} right 250,${mid(1)} 100`,
      `text f B a${a1} right 392,${mid(1)} 1.000`,
    ]);
    const writes = { font: 0, fill: 0, alpha: 0 };
    const ctx = els.ctx as unknown as Record<string, unknown>;
    for (const [prop, key] of [['font', 'font'], ['fillStyle', 'fill'], ['globalAlpha', 'alpha']] as const) {
      let v = ctx[prop];
      Object.defineProperty(ctx, prop, { get: () => v, set: (next) => { writes[key]++; v = next; } });
    }
    // 20 lines of one look (they fill the resized tape): the font once, the colour once per
    // column, the alpha once for the bands, once for the text and once to reset it
    // (written per line, these were 20, 40 and 21)
    tape.apply(view(Array.from({ length: 20 }, (_, i) => [100, 1, 1, at(10 + i), 0] as TapeView['trades'][number]), Array.from({ length: 20 }, (_, i) => `n${i}`)));
    painter.resize(400, TAPE_GEOMETRY.topPad + 20 * TAPE_GEOMETRY.lineHeight, 2);
    painter.paint(tape, 8);
    expect(texts(trace).length).toBeGreaterThanOrEqual(60);
    expect(writes).toEqual({ font: 1, fill: 2, alpha: 3 });
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

  it('new trades on top: every line is drawn again in its new place, and no pixels are copied (a software canvas copies its whole bitmap)', () => {
    const { trace, painter, mid } = setup();
    const { lineHeight, topPad } = TAPE_GEOMETRY;
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    tape.apply(view([[100, 1, 1, at(1), 0]], ['1']));
    painter.paint(tape, 0);
    trace.length = 0;
    tape.apply(view([[101, 2, -1, at(2), 0]], ['2']));
    painter.paint(tape, 16);
    expect(trace).toEqual([
      'scale 2,2',
      `clear 0,0,400,${topPad + 3 * lineHeight}`,
      `text f M a${tradeAlpha(202, 0)} left 8,${mid(0)} 10:00:00.002`,
      `text f M a${tradeAlpha(100, 0)} left 8,${mid(1)} 10:00:00.001`,
      `text f S a${tradeAlpha(202, 0)} right 250,${mid(0)} 101`,
      `text f S a${tradeAlpha(202, 0)} right 392,${mid(0)} 2.000`,
      `text f B a${tradeAlpha(100, 0)} right 250,${mid(1)} 100`,
      `text f B a${tradeAlpha(100, 0)} right 392,${mid(1)} 1.000`,
    ]);
    // two at once: the two new lines on top, the oldest pushed past the end (three fit)
    trace.length = 0;
    tape.apply(view([[102, 1, 1, at(3), 0], [103, 1, 1, at(4), 0]], ['3', '4']));
    painter.paint(tape, 32);
    expect(trace.some((t) => t.startsWith('image') || t.startsWith('composite'))).toBe(false);
    expect(texts(trace)).toEqual(['10:00:00.004', '103', '1.000', '10:00:00.003', '102', '1.000', '10:00:00.002', '101', '2.000']);
  });

  it('a line merged into, or one inserted among the drawn ones, redraws them all', () => {
    const { trace, painter } = setup();
    const tape = new TapeModel({ aggregateMs: 50, minSize: 0, largeQuote: 0 });
    tape.apply(view([[100, 1, 1, at(1), 0]], ['1']));
    painter.paint(tape, 0);
    trace.length = 0;
    // same side within 50 ms: the top line now counts two trades
    tape.apply(view([[100, 1, 1, at(5), 0]], ['2']));
    painter.paint(tape, 16);
    expect(trace.slice(0, 2)).toEqual(['scale 2,2', `clear 0,0,400,${TAPE_GEOMETRY.topPad + 3 * TAPE_GEOMETRY.lineHeight}`]);
    expect(texts(trace)).toEqual(['10:00:00.001', '100', '×2']);
    tape.apply(view([[99, 1, -1, at(100), 0]], ['3']));
    painter.paint(tape, 32);
    trace.length = 0;
    // a trade recovered over REST lands between the two drawn lines
    tape.apply(view([[98, 1, -1, at(50), 1]], ['r']));
    painter.paint(tape, 48);
    expect(trace[0]).toBe('scale 2,2');
    expect(texts(trace)).toEqual(['10:00:00.100', '99', '1.000', '↺', '98', '1.000', '10:00:00.001', '100', '×2']);
  });

  it('the large-trade threshold changes every line\'s intensity: all are redrawn', () => {
    const { trace, painter } = setup();
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    tape.apply(view([[100, 1, 1, at(1), 0]], ['1']));
    painter.paint(tape, 0);
    trace.length = 0;
    tape.setOptions({ aggregateMs: 0, minSize: 0, largeQuote: 1000 });
    tape.pause(true);
    tape.pause(false);
    painter.paint(tape, 16);
    expect(trace[0]).toBe('scale 2,2');
    expect(trace.at(-1)).toContain(`a${tradeAlpha(100, 1000)} right`);
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
    // drawn, not yet mirrored: a paint may write it MIRROR_MS after the last write, a frame of its own is asked for MIRROR_TRAIL_MS later
    expect(read()[0]).toBe('tape-line buy|a|10:00:00.001 100 1.000');
    expect(painter.mirrorDueAt()).toBe(1000 + MIRROR_MS + MIRROR_TRAIL_MS);
    painter.writeMirror(1000 + MIRROR_MS - MIRROR_EARLY_MS - 1);
    expect(read()[0]).toBe('tape-line buy|a|10:00:00.001 100 1.000');
    painter.writeMirror(1000 + MIRROR_MS);
    expect(read()).toEqual(['tape-line sell|b|10:00:00.002 101 2.000', 'tape-line buy|a|10:00:00.001 100 1.000', 'tape-line empty||']);
    expect(painter.mirrorDueAt()).toBe(Infinity);
  });

  it('hovering pauses: the header counts what arrived, the drawn lines stay put; leaving draws what arrived on top', () => {
    const { trace, els, painter } = setup();
    const tape = new TapeModel({ aggregateMs: 0, minSize: 0, largeQuote: 0 });
    tape.apply(view([[100, 1, 1, at(1), 0]], ['a']));
    painter.paint(tape, 0);
    tape.pause(true);
    tape.apply(view([[101, 1, 1, at(2), 0], [102, 1, 1, at(3), 0]], ['b', 'c']));
    trace.length = 0;
    painter.paint(tape, 16);
    expect(els.paused.textContent).toBe('paused · 2 new');
    expect(trace).toEqual([]);
    tape.pause(false);
    painter.paint(tape, 32);
    expect(els.paused.textContent).toBe('');
    expect(texts(trace)).toEqual(['10:00:00.003', '102', '1.000', '10:00:00.002', '101', '1.000', '10:00:00.001', '100', '1.000']);
  });
});

describe('newOnTop', () => {
  const entry = (id: string): TapeEntry => ({ kind: 'trade', id, price: 1, amount: 1, side: 1, time: 0, count: 1, recovered: false, large: false });
  const [a, b, c, d] = [entry('a'), entry('b'), entry('c'), entry('d')];
  it('counts the entries before the drawn ones, or -1 when the drawn ones are not just pushed down', () => {
    expect(newOnTop([a, b, undefined], [a, b])).toBe(0);
    expect(newOnTop([a, b, undefined], [c, a, b])).toBe(1);
    expect(newOnTop([b, c, undefined], [d, a, b, c])).toBe(2);
    // every drawn line pushed past the end: all new, drawn in full
    expect(newOnTop([a, b], [c, d, a])).toBe(-1);
    expect(newOnTop([a, b, c], [d, a, c])).toBe(-1);
    expect(newOnTop([a, b], [c, d])).toBe(-1);
    expect(newOnTop([a, b], [])).toBe(-1);
    expect(newOnTop([undefined, undefined], [a])).toBe(1);
    expect(newOnTop([undefined, undefined], [])).toBe(0);
  });
});
