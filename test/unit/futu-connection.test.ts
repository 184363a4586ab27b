// FutuConnection on fake time with a scripted futu-api client: the exact trace of
// connect, keep-alive death, backoff reconnect and restore, and how pushes become
// rows (malformed entries counted and skipped, repeated trades skipped, Long volumes).
import Long from 'long';
import { describe, expect, it } from 'vitest';
import type { BookTop } from '../../shared/contract/tick-batch';
import { Owner } from '../../shared/lifecycle/owner';
import type { Channel } from '../../shared/market';
import { FutuConnection, type FutuListener, type FutuTimings } from '../../electron/streaming/adapters/futu/futu-connection';
import type { FutuClient, FutuResponse } from '../../electron/streaming/adapters/futu/futu-api';
import { FakeTime } from './streaming-fake-time';

const TIMINGS: FutuTimings = {
  keepAlive: { intervalMs: 1000, maxMisses: 2 },
  unsubscribeHoldMs: 60_000,
  backoff: { baseMs: 500, capMs: 4000, factor: 2, jitter: 0 },
  bookDepth: 2,
};

/** futu-api's surface as FutuConnection uses it, answering as the test says. */
class ScriptedClient {
  trace: string[] = [];
  onlogin: ((ok: boolean, detail: unknown) => void) | null = null;
  onPush: ((cmd: number, msg: unknown) => void) | null = null;
  answerKeepAlives = true;
  refuseSub: string | undefined;
  readonly socket = { readyState: 1, close: () => this.trace.push('socket.close'), terminate: () => this.trace.push('socket.terminate') };
  readonly websock = {
    websock: this.socket,
    connID: 1,
    state: { closing: false, login: false },
    onclose: undefined as undefined | ((e: unknown) => void),
    close: () => {
      this.trace.push('close');
      this.websock.onclose?.({}); // base.js: the socket's close event reaches onclose
    },
    killReconnectTimer: () => this.trace.push('killReconnectTimer'),
  };
  start(ip: string, port: number): void {
    this.trace.push(`start ${ip}:${port}`);
  }
  Sub(req: { c2s: { securityList: { market: number; code: string }[]; subTypeList: number[]; isSubOrUnSub: boolean } }): Promise<FutuResponse> {
    const c = req.c2s;
    this.trace.push(`${c.isSubOrUnSub ? 'sub' : 'unsub'} ${c.securityList[0]!.market}.${c.securityList[0]!.code}/${c.subTypeList[0]}`);
    return this.refuseSub ? Promise.reject({ retType: -1, retMsg: this.refuseSub }) : Promise.resolve({ retType: 0 });
  }
  _sendCmd(cmd: number): Promise<FutuResponse> {
    this.trace.push(`cmd ${cmd}`);
    return this.answerKeepAlives ? Promise.resolve({ retType: 0 }) : new Promise(() => undefined);
  }
  stop(): void {
    this.trace.push('stop');
  }
  /** The socket closed by itself (as base.js reports it). */
  closed(): void {
    this.websock.onclose?.({});
  }
}

class Rows implements FutuListener {
  events: string[] = [];
  status(state: string, reason?: string): void {
    this.events.push(`status ${state}${reason ? ` ${reason}` : ''}`);
  }
  subscription(symbol: string, channel: Channel, state: string, detail?: string): void {
    this.events.push(`${symbol} ${channel} ${state}${detail ? `: ${detail}` : ''}`);
  }
  ticker(symbol: string, bid: number, ask: number, last: number, changePct: number, baseVol: number, quoteVol: number, eventTime: number): void {
    this.events.push(`ticker ${symbol} ${bid}/${ask} ${last} ${changePct.toFixed(2)}% ${baseVol} ${quoteVol} @${eventTime}`);
  }
  trade(symbol: string, id: string, price: number, amount: number, side: number): void {
    this.events.push(`trade ${symbol} #${id} ${price}x${amount} ${side}`);
  }
  book(top: BookTop): void {
    this.events.push(`book ${top.key} ${JSON.stringify(top.bids)} ${JSON.stringify(top.asks)}`);
  }
}

function setUp() {
  const time = new FakeTime();
  const owner = new Owner('test');
  const rows = new Rows();
  const clients: ScriptedClient[] = [];
  const conn = new FutuConnection({ host: 'h', port: 1, key: 'k' }, rows, time, owner, TIMINGS, () => 0, () => {
    const c = new ScriptedClient();
    clients.push(c);
    return c as unknown as FutuClient;
  });
  return { time, owner, rows, conn, client: () => clients[0]!, clients };
}

const HK = { market: 1, code: '00700' };

describe('FutuConnection (scripted client, fake time)', () => {
  it('keep-alive death cuts the socket, reconnects after the backoff and restores each subscription once', async () => {
    const { time, rows, conn, client, clients, owner } = setUp();
    conn.start();
    conn.subscribe('HK.00700', 'ticker');
    client().onlogin!(true, {});
    await time.advance(0);
    expect(rows.events).toEqual(['status connecting', 'HK.00700 ticker subscribing', 'status connected', 'HK.00700 ticker subscribing', 'HK.00700 ticker live']);
    rows.events.length = 0;
    client().trace.length = 0;

    client().answerKeepAlives = false;
    await time.advance(1000); // keep-alive 1 unanswered
    await time.advance(1000); // miss 1, keep-alive 2
    await time.advance(1000); // miss 2: dead
    expect(client().trace).toEqual(['cmd 1004', 'cmd 1004', 'socket.terminate']);
    client().closed(); // the terminated socket reports its close
    expect(rows.events).toEqual(['HK.00700 ticker reconnecting', 'status reconnecting keepalive']);
    expect(client().trace.slice(-1)).toEqual(['killReconnectTimer']);

    client().trace.length = 0;
    await time.advance(499);
    expect(client().trace).toEqual([]);
    await time.advance(1); // backoff base 500 ms, no jitter
    expect(client().trace).toEqual(['start h:1']);
    expect(clients).toHaveLength(1); // the same futu-api client re-initialises
    client().answerKeepAlives = true;
    client().onlogin!(true, {});
    client().onlogin!(true, {}); // a repeated callback restores nothing twice
    await time.advance(0);
    expect(client().trace.filter((t) => t.startsWith('sub'))).toEqual(['sub 1.00700/1']);
    expect(conn.stats).toMatchObject({ logins: 2, reconnects: 1, keepAliveDeaths: 1 });
    await conn.close();
    expect(owner.counts()).toEqual({});
    expect(time.pending).toBe(0);
  });

  it('a refused Sub fails with OpenD\'s words and is not restored', async () => {
    const { time, rows, conn, client } = setUp();
    conn.start();
    client().onlogin!(true, {});
    client().refuseSub = 'Insufficient subscription quota';
    conn.subscribe('US.AAPL', 'trades');
    await time.advance(0);
    expect(rows.events.at(-1)).toBe('US.AAPL trades failed: Insufficient subscription quota');
    client().closed();
    await time.advance(500);
    client().refuseSub = undefined;
    client().onlogin!(true, {});
    await time.advance(0);
    expect(client().trace.filter((t) => t.startsWith('sub'))).toEqual(['sub 11.AAPL/4']);
    expect(conn.subscriptionState('US.AAPL', 'trades')).toBe('failed');
    // Asked for again by the trader, it is tried again.
    conn.subscribe('US.AAPL', 'trades');
    await time.advance(0);
    expect(conn.subscriptionState('US.AAPL', 'trades')).toBe('live');
    await conn.close();
  });

  it('normalises pushes: change from the previous close, bid/ask from the book, Long volumes, trade sides, repeats and malformed entries skipped', async () => {
    const { time, rows, conn, client } = setUp();
    conn.start();
    client().onlogin!(true, {});
    for (const ch of ['ticker', 'trades', 'book'] as const) conn.subscribe('HK.00700', ch);
    await time.advance(0);
    rows.events.length = 0;
    const push = (cmd: number, s2c: unknown) => client().onPush!(cmd, { retType: 0, s2c });
    const level = (price: number, volume: number) => ({ price, volume: Long.fromNumber(volume), orederCount: 1 });
    push(3013, { security: HK, orderBookAskList: [level(400.2, 300), level(400.4, 100), level(400.6, 1)], orderBookBidList: [level(400, 200), level(399.8, 500)] });
    push(3005, { basicQotList: [{ security: HK, curPrice: 400.2, lastClosePrice: 400, volume: Long.fromNumber(12_300), turnover: 4_920_000, updateTimestamp: 1_700_000_000.5 }] });
    push(3005, { basicQotList: [{ security: HK, curPrice: 0, lastClosePrice: 400, volume: 1, turnover: 1 }, { security: { market: 11, code: 'MSFT' }, curPrice: 1, lastClosePrice: 1, volume: 1, turnover: 1 }] });
    push(3011, { security: HK, tickerList: [
      { sequence: Long.fromNumber(7), dir: 1, price: 400.2, volume: Long.fromNumber(100), timestamp: 1_700_000_000 },
      { sequence: Long.fromNumber(8), dir: 2, price: 400, volume: Long.fromNumber(200) },
      { sequence: Long.fromNumber(9), dir: 3, price: -1, volume: Long.fromNumber(200) },
    ] });
    push(3011, { security: HK, tickerList: [{ sequence: Long.fromNumber(8), dir: 2, price: 400, volume: Long.fromNumber(200) }, { sequence: Long.fromNumber(10), dir: 3, price: 400.1, volume: Long.fromNumber(5) }] });
    push(3005, { nothing: true });
    expect(rows.events).toEqual([
      'book HK.00700 [[400,200],[399.8,500]] [[400.2,300],[400.4,100]]',
      'ticker HK.00700 400/400.2 400.2 0.05% 12300 4920000 @1700000000500',
      'trade HK.00700 #7 400.2x100 1',
      'trade HK.00700 #8 400x200 -1',
      'trade HK.00700 #10 400.1x5 0',
    ]);
    expect(conn.stats.malformed).toBe(3);
    // Without the book, ticker rows carry no bid/ask rather than stale ones.
    rows.events.length = 0;
    conn.unsubscribe('HK.00700', 'book');
    push(3013, { security: HK, orderBookAskList: [level(500, 1)], orderBookBidList: [level(499, 1)] });
    push(3005, { basicQotList: [{ security: HK, curPrice: 400, lastClosePrice: 400, volume: 1, turnover: 1 }] });
    expect(rows.events).toEqual(['HK.00700 book unsubscribed', 'ticker HK.00700 NaN/NaN 400 0.00% 1 1 @NaN']);
    expect(conn.lastMalformed).toBe('basic quote push without basicQotList');
    await conn.close();
  });

  it('an unsubscribe within the minute waits for it, then is sent; rows stop at once', async () => {
    const { time, rows, conn, client } = setUp();
    conn.start();
    client().onlogin!(true, {});
    conn.subscribe('HK.00700', 'ticker');
    await time.advance(10_000);
    client().answerKeepAlives = true;
    conn.unsubscribe('HK.00700', 'ticker');
    client().onPush!(3005, { retType: 0, s2c: { basicQotList: [{ security: HK, curPrice: 1, lastClosePrice: 1, volume: 1, turnover: 1 }] } });
    expect(rows.events.filter((e) => e.startsWith('ticker'))).toEqual([]);
    await time.advance(49_999);
    expect(client().trace.filter((t) => t.startsWith('unsub'))).toEqual([]);
    await time.advance(1);
    expect(client().trace.filter((t) => t.startsWith('unsub'))).toEqual(['unsub 1.00700/1']);
    await conn.close();
  });
});
