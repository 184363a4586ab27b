// The OpenD stand-in against the real futu-api client: init, keep-alive, Qot_Sub
// and the three pushes, the quota and one-minute rules, and the stand-in's view.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import FtWebsocket from 'futu-api';
import { OpenDStandIn, OPEND_MESSAGES } from '../../simulator/opend/opend-standin';
import { provideWebSocketGlobal, quietClientConsole } from '../support/futu-websocket';
import { until } from '../support/until';

provideWebSocketGlobal();

const TENCENT = { market: 1, code: '00700' };
const APPLE = { market: 11, code: 'AAPL' };

function sub(client: FtWebsocket, securityList: unknown[], subTypeList: number[], isSubOrUnSub = true) {
  return client.Sub({ c2s: { securityList, subTypeList, isSubOrUnSub, isRegOrUnRegPush: true } });
}

quietClientConsole();

describe('OpenD stand-in with the real futu-api client', () => {
  let clock = 1_000_000;
  let opend: OpenDStandIn;
  let client: FtWebsocket;
  const pushes: { cmd: number; msg: Record<string, unknown> }[] = [];

  async function connect(key = 'secret'): Promise<FtWebsocket> {
    const c = new FtWebsocket();
    const login = new Promise<boolean>((resolve) => (c.onlogin = (ok) => resolve(ok)));
    c.onPush = (cmd, msg) => pushes.push({ cmd, msg: msg as Record<string, unknown> });
    c.start('127.0.0.1', opend.port, false, key);
    expect(await login).toBe(true);
    return c;
  }

  beforeEach(async () => {
    clock = 1_000_000;
    pushes.length = 0;
    opend = new OpenDStandIn({
      seed: 7,
      pushIntervalMs: 20,
      quota: 4,
      websocketKey: 'secret',
      scheduler: { now: () => clock, setTimeout: (fn, ms) => { const h = setTimeout(fn, ms); return () => clearTimeout(h); } },
    });
    await opend.start();
    client = await connect();
  });

  afterEach(async () => {
    client.websock?.close();
    await opend.close();
  });

  it('initialises with md5(key) and answers keep-alives', async () => {
    expect(Number(client.websock!.connID)).toBe(1);
    const r = await client._sendCmd(1004, { c2s: { time: 1 } }, 'KeepAlive');
    expect(r.retType).toBe(0);
    expect(opend.view().connections).toEqual([{ connId: 1, initialised: true, stalled: false, subscriptions: [], keepAlives: 1, pushes: 0 }]);
  });

  it('refuses a client with the wrong key at init', async () => {
    const c = new FtWebsocket();
    const login = new Promise<[boolean, unknown]>((resolve) => (c.onlogin = (ok, detail) => resolve([ok, detail])));
    c.start('127.0.0.1', opend.port, false, 'wrong');
    expect(await login).toEqual([false, -1]);
  });

  it('pushes basic quote, ticker and order book for what was subscribed, consistent with each other', async () => {
    await sub(client, [TENCENT], [1, 4, 2]);
    await until(() => new Set(pushes.map((p) => p.cmd)).size === 3, 'three push kinds');
    const quote = pushes.find((p) => p.cmd === 3005)!.msg.s2c as { basicQotList: { security: unknown; curPrice: number; lastClosePrice: number; highPrice: number; lowPrice: number }[] };
    expect(quote.basicQotList[0]!.security).toEqual(TENCENT);
    const q = quote.basicQotList[0]!;
    expect(q.highPrice).toBeGreaterThanOrEqual(q.curPrice);
    expect(q.lowPrice).toBeLessThanOrEqual(q.curPrice);
    const book = pushes.find((p) => p.cmd === 3013)!.msg.s2c as { orderBookAskList: { price: number }[]; orderBookBidList: { price: number }[] };
    expect(book.orderBookAskList).toHaveLength(10);
    expect(book.orderBookBidList[0]!.price).toBeLessThan(book.orderBookAskList[0]!.price);
    const ticker = pushes.find((p) => p.cmd === 3011)!.msg.s2c as { tickerList: { price: number; dir: number }[] };
    expect([1, 2]).toContain(ticker.tickerList[0]!.dir);
    expect(opend.view().connections[0]!.subscriptions).toEqual(['HK.00700:basic', 'HK.00700:orderBook', 'HK.00700:ticker']);
    expect(opend.view().quotaUsed).toBe(3);
    // each push the client decoded was counted on its connection (more may be in flight)
    expect(opend.view().connections[0]!.pushes).toBeGreaterThanOrEqual(pushes.length);
    expect(opend.view().connections[0]!.pushes).toBe(opend.view().counts.pushes);
  });

  it('refuses a Sub beyond the quota whole, with its words, and keeps what was held', async () => {
    await sub(client, [TENCENT], [1, 4, 2]);
    await expect(sub(client, [APPLE], [1, 4])).rejects.toMatchObject({ retType: -1, retMsg: OPEND_MESSAGES.quota(3, 2, 4) });
    expect(opend.view().quotaUsed).toBe(3);
    await sub(client, [APPLE], [1]);
    expect(opend.view().quotaUsed).toBe(4);
  });

  it('refuses an unsubscribe within the minute, accepts it after, and releases an early-closed connection\'s quota only when its minute is over', async () => {
    await sub(client, [TENCENT], [1]);
    clock += 59_000;
    await expect(sub(client, [TENCENT], [1], false)).rejects.toMatchObject({ retMsg: OPEND_MESSAGES.tooSoon('HK.00700', 'basic', 1) });
    clock += 1_000;
    await sub(client, [TENCENT], [1], false);
    expect(opend.view().connections[0]!.subscriptions).toEqual([]);
    expect(opend.view().quotaUsed).toBe(0);

    await sub(client, [APPLE], [4]);
    client.websock!.close();
    await until(() => opend.view().connections.length === 0, 'connection closed');
    expect(opend.view()).toMatchObject({ quotaUsed: 1, lingering: ['US.AAPL:ticker'] });
    clock += 60_000;
    expect(opend.view()).toMatchObject({ quotaUsed: 0, lingering: [] });
  });

  it('drop closes every connection (the client reconnects and re-initialises, without its subscriptions)', async () => {
    await sub(client, [TENCENT], [1]);
    opend.drop();
    await until(() => opend.view().connections.some((c) => c.connId === 2 && c.initialised), 'the client back on a new connection', 10_000);
    expect(opend.view().connections.map((c) => c.subscriptions)).toEqual([[]]);
  });

  it('stall silences the connections open now: no reply, no push', async () => {
    await sub(client, [TENCENT], [1]);
    opend.stall();
    const { pushes: before, ticks } = opend.view().counts;
    const answered = client._sendCmd(1004, { c2s: { time: 1 } }, 'KeepAlive').then(() => 'answered', () => 'failed');
    await until(() => opend.view().counts.swallowed === 1 && opend.view().counts.ticks >= ticks + 3, 'the keep-alive swallowed and three push intervals');
    expect(opend.view().counts.pushes).toBe(before);
    expect(opend.view().connections[0]!.stalled).toBe(true);
    opend.resume();
    // The request sent during the stall is never answered; futu-api times it out after 5 s.
    expect(await answered).toBe('failed');
    expect(opend.view().counts.keepAlives).toBe(0);
    await until(() => opend.view().counts.pushes > before, 'pushes again after resume');
  });
});
