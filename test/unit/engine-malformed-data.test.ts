// Issue 8 item 2, end to end at engine level: one malformed order-book entry used to
// freeze a renderer for good (the row carried "oops", the renderer refused the frame
// without answering, and the link waited for that ack forever). Here the real engine
// (market state, renderer link, its logging) talks to the real renderer pieces
// (validation bridge, message router, frame scheduler, row store), with messages
// structured-cloned both ways as Electron's IPC does (NaN survives, unlike JSON).
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { messageLogger } from '../support/loggers';
import type { UntrustedApi } from '../../renderer/src/bridge/link';
import { validatedApi } from '../../renderer/src/bridge/validated-api';
import { createAppStore } from '../../renderer/src/state/app-store';
import { routeMessage } from '../../renderer/src/state/message-router';
import { parseFromStreaming } from '../../shared/contract/streaming-protocol';
import { SOURCE_WS, TickBatchWriter, type TickBatch } from '../../shared/contract/tick-batch';
import { engineWithoutStreaming } from '../support/engine-without-streaming';
import { until } from '../support/until';
import { handCrankedFrames } from '../support/hand-cranked-frames';

const BTC = 'sim|BTC/USDT';
const ETH = 'sim|ETH/USDT';
const nextTurn = () => new Promise((r) => setImmediate(r));

let engine: Engine | undefined;
afterEach(() => {
  engine?.link.close();
  engine = undefined;
});

function setup() {
  const logs: string[] = [];
  const log = messageLogger(logs);
  const { engine: e } = engineWithoutStreaming(log, 'electron');
  engine = e;
  e.market.ensureRow('sim', 'BTC/USDT');
  e.market.ensureRow('sim', 'ETH/USDT');

  // The renderer, as runtime.ts wires it, with a hand-cranked animation frame.
  let deliver: ((m: unknown) => void) | null = null;
  const raw: UntrustedApi = {
    host: 'electron',
    onMessage(listener) {
      deliver = listener;
      return () => (deliver = null);
    },
    send: (m) => e.renderers.receive('win', structuredClone(m)),
  };
  const api = validatedApi(raw, { clock: () => 0 });
  const app = createAppStore('electron', { status: 'open' });
  const { rows, scheduler, paint, setApplyFails } = handCrankedFrames({ ack: (seq) => api.send({ type: 'frame-ack', seq }), failure: 'row store failed', frameTime: 0 });
  const framesReceived: number[] = [];
  api.onMessage((m) => {
    if (m.type === 'frame') framesReceived.push(m.seq);
    routeMessage(m, { app, rows, scheduler, link: { expectHostExit: () => undefined }, nack: (seq, reason) => api.send({ type: 'frame-nack', seq, reason }) });
  });
  e.renderers.attach({ id: 'win', send: (m) => deliver?.(structuredClone(m)) });

  const w = new TickBatchWriter();
  /** What the supervisor does with a message from the streaming process. */
  const feed = (batch: TickBatch) => {
    const parsed = parseFromStreaming(structuredClone(batch));
    if (!parsed.ok) throw new Error(parsed.error);
    if (parsed.value.type === 'ticks') e.market.apply(parsed.value);
  };
  return { e, w, feed, paint, rows, logs, framesReceived, setFailApply: setApplyFails };
}

describe('engine: malformed market data never freezes a renderer', () => {
  it('a bad book entry followed by good tickers: the good data of the same batch shows, frames continue, one log per episode', async () => {
    const { e, w, feed, paint, rows, logs, framesReceived } = setup();
    w.book({ key: BTC, bids: [['oops' as unknown as number, 1]], asks: [[101, 1]], eventTime: NaN, receivedAt: 1000, source: SOURCE_WS, state: 1, updateId: 1 });
    w.book({ key: BTC, bids: [[99, 1]], asks: [[101, 1]], eventTime: 1000, receivedAt: NaN, source: SOURCE_WS, state: 1, updateId: 1 });
    w.ticker(ETH, 9, 11, 10, 0, 0, 0, 1000, 1001, SOURCE_WS);
    feed(w.flush(1));
    await nextTurn();
    paint();
    for (let i = 1; i <= 20; i++) {
      w.ticker(BTC, 100 + i, 102 + i, 101 + i, 0, 0, 0, 1000 + i, 1001 + i, SOURCE_WS);
      w.ticker(ETH, 9, 11, 10 + i, 0, 0, 0, 1000 + i, 1001 + i, SOURCE_WS);
      feed(w.flush(1 + i));
      await nextTurn();
      paint();
    }
    expect(framesReceived).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(rows.get(BTC)?.data).toMatchObject({ bid: 120, ask: 122, last: 121 });
    expect(rows.get(ETH)?.data).toMatchObject({ bid: 9, last: 30 });
    expect(e.market.refusedByInstrument()).toEqual({ [BTC]: 1 });
    expect(e.link.frameNacks + e.link.ackTimeouts).toBe(0);
    // The diagnostics panel shows the same totals the log episode summarised.
    expect(e.diagnostics.snapshot().refused).toEqual({ marketEntries: 1, streamingMessages: 0, rendererMessages: 0, frameNacks: 0, ackTimeouts: 0 });
    expect(logs.filter((l) => l.includes('market data'))).toEqual(['warn malformed market data refused', 'info market data valid again']);
  });

  it('a frame the renderer fails to apply is nacked, logged once, and the full state follows', async () => {
    const { e, w, feed, paint, rows, logs, framesReceived, setFailApply } = setup();
    w.ticker(BTC, 99, 101, 100, 0, 0, 0, 1000, 1001, SOURCE_WS);
    w.ticker(ETH, 9, 11, 10, 0, 0, 0, 1000, 1001, SOURCE_WS);
    feed(w.flush(1));
    await nextTurn();
    paint();
    setFailApply(true);
    w.ticker(BTC, 98, 102, 101, 0, 0, 0, 2000, 2001, SOURCE_WS);
    feed(w.flush(2));
    await nextTurn();
    expect(e.link.frameNacks).toBe(1);
    setFailApply(false);
    // The resend carries every row (ETH did not change) after the nack resend delay.
    await until(() => framesReceived.length === 3, 'the full state after the nack', 5_000);
    paint();
    expect(rows.get(BTC)?.data).toMatchObject({ last: 101 });
    expect(logs.filter((l) => l.startsWith('warn renderer frame'))).toEqual(['warn renderer frame refused; resending every row']);
    expect(logs.filter((l) => l.includes('acks frames again'))).toEqual(['info renderer acks frames again']);
    expect(e.diagnostics.snapshot().refused).toMatchObject({ frameNacks: 1, ackTimeouts: 0, marketEntries: 0 });
  });

  it('invalid renderer requests are counted in diagnostics, every one, also past the log rate limit', () => {
    const { e } = setup();
    for (let i = 0; i < 300; i++) e.renderers.receive('win', { type: 'watch', exchange: 42 });
    expect(e.diagnostics.snapshot().refused?.rendererMessages).toBe(300);
  });
});
