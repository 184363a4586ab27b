import { describe, expect, it } from 'vitest';
import { FromRendererSchema, type FromRenderer, type ToRenderer } from '../../shared/contract/renderer-api';
import { tickerRow } from './renderer-test-rows';
import { defaultSettings } from '../../shared/settings';
import type { SocketHandlers } from '../../renderer/src/bridge/headless-bridge';
import { createHeadlessBridge, headlessSocketUrl } from '../../renderer/src/bridge/headless-bridge';
import type { LinkState, UntrustedApi } from '../../renderer/src/bridge/link';
import { validatedApi } from '../../renderer/src/bridge/validated-api';

/** Sockets and timers under the test's control. */
function fakeHost() {
  const sockets: { url: string; handlers: SocketHandlers; open: boolean; sent: string[] }[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const link = createHeadlessBridge({
    url: 'ws://127.0.0.1:9/api?token=t',
    openSocket: (url, handlers) => {
      const socket = { url, handlers, open: false, sent: [] as string[] };
      sockets.push(socket);
      return { isOpen: () => socket.open, send: (data) => socket.sent.push(data) };
    },
    setTimer: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
    clock: () => 0,
    retryDelaysMs: [100, 200],
  });
  const last = () => sockets[sockets.length - 1]!;
  const openLast = () => {
    last().open = true;
    last().handlers.onOpen();
  };
  const dropLast = () => {
    last().open = false;
    last().handlers.onClose();
  };
  const fireTimer = () => {
    const timer = timers.find((t) => !t.cleared);
    if (!timer) throw new Error('no timer');
    timer.cleared = true;
    timer.callback();
    return timer.ms;
  };
  const states: LinkState[] = [];
  link.onStateChange((s) => states.push(s));
  return { link, sockets, timers, last, openLast, dropLast, fireTimer, states };
}

const notice: ToRenderer = { type: 'notice', level: 'warn', message: 'hi' };
const row = tickerRow('sim', 'BTC/USDT');

describe('headless bridge', () => {
  it('derives the socket URL from the page location and its token', () => {
    expect(headlessSocketUrl({ protocol: 'http:', host: '127.0.0.1:4000', search: '?token=a%2Bb&perf=1' })).toBe(
      'ws://127.0.0.1:4000/api?token=a%2Bb',
    );
    expect(headlessSocketUrl({ protocol: 'https:', host: 'h:1', search: '' })).toBe('wss://h:1/api?token=');
  });

  it('sends one JSON message per FromRenderer and delivers validated ToRenderer messages', () => {
    const h = fakeHost();
    expect(h.link.api.host).toBe('headless');
    const got: ToRenderer[] = [];
    h.link.api.onMessage((m) => got.push(m));
    h.link.api.send({ type: 'frame-ack', seq: 1 }); // not open yet: dropped, never queued
    h.openLast();
    expect(h.link.state()).toEqual({ status: 'open' });
    h.link.api.send({ type: 'quit', force: false });
    expect(h.last().sent.map((s) => JSON.parse(s) as FromRenderer)).toEqual([{ type: 'quit', force: false }]);
    h.last().handlers.onMessage(JSON.stringify(notice));
    expect(got).toEqual([notice]);
  });

  it('drops invalid and unparseable messages and reports them to main as logs', () => {
    const h = fakeHost();
    const got: ToRenderer[] = [];
    h.link.api.onMessage((m) => got.push(m));
    h.openLast();
    h.last().handlers.onMessage('{not json');
    h.last().handlers.onMessage(JSON.stringify({ type: 'frame', seq: 'x' }));
    expect(got).toEqual([]);
    const logs = h.last().sent.map((s) => JSON.parse(s) as FromRenderer);
    expect(logs).toHaveLength(2);
    expect(logs.every((l) => l.type === 'log' && l.level === 'warn')).toBe(true);
    expect(logs[1]?.type === 'log' && logs[1].message).toContain('seq');
  });

  it('reconnects with backoff after a drop, then gives up', () => {
    const h = fakeHost();
    h.openLast();
    h.dropLast();
    expect(h.link.state()).toEqual({ status: 'retrying', attempt: 1, retryInMs: 100 });
    expect(h.fireTimer()).toBe(100);
    expect(h.sockets).toHaveLength(2);
    h.dropLast(); // failed to connect
    expect(h.fireTimer()).toBe(200);
    h.dropLast();
    expect(h.link.state()).toEqual({ status: 'closed', reason: 'gave-up' });
    h.link.retry();
    expect(h.sockets).toHaveLength(4);
    h.openLast();
    h.dropLast();
    // A successful open resets the backoff.
    expect(h.link.state()).toEqual({ status: 'retrying', attempt: 1, retryInMs: 100 });
  });

  it('treats the host going away after a shutdown as the end, not a fault', () => {
    const h = fakeHost();
    h.openLast();
    h.link.expectHostExit();
    h.dropLast();
    expect(h.link.state()).toEqual({ status: 'closed', reason: 'quit' });
    expect(h.timers).toHaveLength(0);
  });
});

describe('validated API', () => {
  function rawApi() {
    let listener: ((m: unknown) => void) | null = null;
    const sent: FromRenderer[] = [];
    let subscriptions = 0;
    const raw: UntrustedApi = {
      host: 'electron',
      onMessage(l) {
        subscriptions++;
        listener = l;
        return () => (listener = null);
      },
      send: (m) => sent.push(m),
    };
    return { raw, sent, emit: (m: unknown) => listener?.(m), subscriptions: () => subscriptions, listening: () => listener !== null };
  }

  it('validates each message once for all listeners and unsubscribes with the last one', () => {
    const r = rawApi();
    const api = validatedApi(r.raw, { clock: () => 0 });
    const a: ToRenderer[] = [];
    const b: ToRenderer[] = [];
    const offA = api.onMessage((m) => a.push(m));
    const offB = api.onMessage((m) => b.push(m));
    expect(r.subscriptions()).toBe(1);
    const hello: ToRenderer = { type: 'hello', host: 'electron', settings: defaultSettings(), rows: [] };
    r.emit(hello);
    expect(a).toEqual([hello]);
    expect(b).toEqual([hello]);
    offA();
    expect(r.listening()).toBe(true);
    offB();
    expect(r.listening()).toBe(false);
  });

  it('rate-limits reports of invalid messages', () => {
    const r = rawApi();
    let now = 0;
    const api = validatedApi(r.raw, { clock: () => now, maxLogs: 2, windowMs: 1000 });
    api.onMessage(() => {});
    for (let i = 0; i < 5; i++) r.emit({ type: 'bogus', i });
    expect(r.sent).toHaveLength(2);
    now = 1000;
    r.emit({ type: 'bogus' });
    expect(r.sent).toHaveLength(3);
    const last = r.sent[2];
    expect(last?.type === 'log' && last.message).toContain('3 more suppressed');
    expect(last?.type === 'log' && last.message.length).toBeLessThanOrEqual(4000);
  });

  it('nacks every invalid frame with the reason, even when its log is rate-limited', () => {
    const r = rawApi();
    const api = validatedApi(r.raw, { clock: () => 0, maxLogs: 1, windowMs: 1000 });
    const got: ToRenderer[] = [];
    api.onMessage((m) => got.push(m));
    // A book level of "oops" copied into a row, and a NaN time (structured clone keeps NaN).
    const bad = (seq: number) => ({ type: 'frame', seq, sentAt: NaN, rows: [{ ...row, bid: 'oops' }] });
    r.emit(bad(7));
    r.emit(bad(8));
    r.emit({ type: 'frame', seq: 'nine', rows: [] }); // no usable seq: nothing to nack, only logged
    expect(got).toEqual([]);
    const nacks = r.sent.filter((m) => m.type === 'frame-nack');
    expect(nacks.map((m) => m.type === 'frame-nack' && m.seq)).toEqual([7, 8]);
    const first = nacks[0]!;
    expect(first.type === 'frame-nack' && first.reason).toMatch(/^invalid frame: .*sentAt.*rows\.0\.bid/);
    expect(r.sent.filter((m) => m.type === 'log')).toHaveLength(1);
    // What the renderer sends passes main's own check.
    for (const n of nacks) expect(FromRendererSchema.safeParse(n).success).toBe(true);
    // A long reason is cut to what main accepts.
    r.emit({ type: 'frame', seq: 10, sentAt: 1, rows: Array.from({ length: 50 }, () => ({ ...row, bid: 'oops', ask: 'oops', last: 'x' })) });
    const long = r.sent.at(-1);
    expect(long?.type).toBe('frame-nack');
    expect(FromRendererSchema.safeParse(long).success).toBe(true);
  });
});
