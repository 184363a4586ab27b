import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { SocketWatch } from '../../electron/streaming/socket-watch';
import { SessionReport } from '../../electron/streaming/session-report';
import type { StreamExchange, WsClientLike } from '../../electron/streaming/instrumented-exchange';

function setup() {
  const trace: string[] = [];
  const state = { active: new Owner('active') as Owner | undefined, closing: false };
  const ex = {} as StreamExchange;
  const log = {
    event: (e: { kind: string; url?: string; code?: number }) => void trace.push(`${e.kind} ${e.url}${e.code ? ` ${e.code}` : ''}`),
    record: (level: string, scope: string, message: string) => void trace.push(`${level} ${scope}: ${message}`),
  };
  const report = new SessionReport('sim', log, { error: (cls) => void trace.push(`error ${cls}`) }, () => trace.push('changed'));
  const turns = {
    frame: () => void trace.push('frame'),
    track: (s: unknown) => void trace.push(`track ${(s as { name: string }).name}`),
    untrack: (s: unknown) => void trace.push(`untrack ${(s as { name: string }).name}`),
  };
  const host = {
    active: () => state.active,
    exchange: () => ex,
    closing: () => state.closing,
    rotate: (reason: string) => void trace.push(`rotate ${reason}`),
    message: () => void trace.push('message'),
    subscribed: (c: WsClientLike, streams: readonly string[]) => void trace.push(`subscribed ${c.url} ${streams.join(',')}`),
  };
  const client = (url: string): WsClientLike =>
    ({ url, connection: { _socket: { name: url, pause: () => undefined, resume: () => undefined } }, close: async () => void trace.push(`close ${url}`) }) as unknown as WsClientLike;
  return { trace, state, ex, client, watch: new SocketWatch(host, turns, report) };
}

describe('SocketWatch', () => {
  it('registers each socket with the active owner and the turn budget; disposing the owner closes it', async () => {
    const { trace, state, ex, client, watch } = setup();
    watch.hooks.connected(ex, client('wss://a'));
    expect(watch.size).toBe(1);
    expect(trace).toEqual(['track wss://a', 'CONNECTED wss://a']);
    trace.length = 0;
    state.active?.dispose();
    await Promise.resolve();
    expect(trace).toEqual(['untrack wss://a', 'close wss://a']);
  });

  it('a socket that closes is forgotten and reported once', () => {
    const { trace, ex, client, watch } = setup();
    const a = client('wss://a');
    watch.hooks.connected(ex, a);
    trace.length = 0;
    watch.hooks.closed(ex, a, 1006);
    watch.hooks.closed(ex, a, 1006);
    expect(watch.size).toBe(0);
    expect(trace).toEqual(['untrack wss://a', 'DISCONNECTED wss://a 1006', 'changed']);
  });

  it('no socket is registered while idle; releaseAll forgets every socket without closing it', () => {
    const { trace, state, ex, client, watch } = setup();
    watch.hooks.connected(ex, client('wss://a'));
    watch.hooks.connected(ex, client('wss://b'));
    watch.releaseAll();
    expect(watch.size).toBe(0);
    state.active = undefined;
    watch.hooks.connected(ex, client('wss://c'));
    expect(watch.size).toBe(0);
    expect(trace).toEqual(['track wss://a', 'CONNECTED wss://a', 'track wss://b', 'CONNECTED wss://b', 'untrack wss://a', 'untrack wss://b']);
  });

  it('frames are counted, malformed ones reported, and only the current connection’s shutdown notice rotates', () => {
    const { trace, state, ex, client, watch } = setup();
    watch.hooks.message(ex, 0);
    watch.hooks.malformed(ex, client('wss://a'), new Error('bad json'));
    watch.hooks.serverNotice({} as StreamExchange, client('wss://old'));
    watch.hooks.serverNotice(ex, client('wss://a'));
    expect(watch.hooks.dropping?.()).toBe(false);
    state.closing = true;
    expect(watch.hooks.dropping?.()).toBe(true);
    expect(trace).toEqual(['message', 'frame', 'error malformed', 'changed', 'debug ws: malformed frame ignored', 'warn connection: server announced shutdown; rotating', 'rotate server-notice']);
  });

  it('a confirmed SUBSCRIBE goes to the session, only from the current connection', () => {
    const { trace, ex, client, watch } = setup();
    watch.hooks.subscribed?.({} as StreamExchange, client('wss://old'), ['ethusdt@trade']);
    watch.hooks.subscribed?.(ex, client('wss://a'), ['ethusdt@trade', 'ethusdt@ticker']);
    expect(trace).toEqual(['subscribed wss://a ethusdt@trade,ethusdt@ticker']);
  });
});
