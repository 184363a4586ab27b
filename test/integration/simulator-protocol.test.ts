// The simulator's wire protocol with a raw WebSocket client and fetch: Binance's
// subscribe/ack/error frames, REST errors, server pings and pong timeouts, the
// control endpoint, the CLI, and a clean stop.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ExchangeSimulator, type SimulatorOptions } from '../../simulator/exchange-simulator';

let sim: ExchangeSimulator | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) if (ws.readyState === WebSocket.OPEN) ws.terminate();
  await sim?.stop();
  sim = undefined;
});

async function startSim(opts: SimulatorOptions = {}): Promise<ExchangeSimulator> {
  sim = new ExchangeSimulator({ ratePerSymbol: 10, ...opts });
  await sim.start();
  return sim;
}

const CLI = resolve(__dirname, '../../out/simulator/cli.cjs');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A raw client that queues every text frame it receives. */
class Client {
  readonly ws: WebSocket;
  readonly frames: unknown[] = [];
  private waiters: Array<() => void> = [];

  constructor(url: string, opts: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, opts);
    this.ws.on('error', () => {});
    sockets.push(this.ws);
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** Waits for (and removes) the first queued frame matching pred. */
  async next<T = Record<string, unknown>>(pred: (f: Record<string, unknown>) => boolean = () => true, ms = 3000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.frames.findIndex((f) => f !== null && typeof f === 'object' && pred(f as Record<string, unknown>));
      if (i >= 0) return this.frames.splice(i, 1)[0] as T;
      if (Date.now() > end) throw new Error('no matching frame');
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

async function connect(s: ExchangeSimulator, suffix = '/0', opts: WebSocket.ClientOptions = {}): Promise<Client> {
  const c = new Client(s.urls.ws + suffix, opts);
  await c.open();
  return c;
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* plain text */
  }
  return { status: res.status, body, type: res.headers.get('content-type') };
}

describe('WebSocket protocol', () => {
  it('SUBSCRIBE / LIST_SUBSCRIPTIONS / UNSUBSCRIBE echo ids the Binance way', async () => {
    const s = await startSim();
    const c = await connect(s);
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@ticker', 'btcusdt@bookTicker', 'ethusdt@aggTrade'], id: 7 });
    expect(await c.next((f) => 'result' in f)).toEqual({ result: null, id: 7 });
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 'abc' });
    expect(await c.next((f) => 'result' in f)).toEqual({ result: ['btcusdt@ticker', 'btcusdt@bookTicker', 'ethusdt@aggTrade'], id: 'abc' });
    const t = await c.next((f) => f.e === '24hrTicker');
    expect(t).toMatchObject({ s: 'BTCUSDT' });
    const bt = await c.next((f) => 'u' in f && !('e' in f));
    expect(Object.keys(bt).sort()).toEqual(['A', 'B', 'a', 'b', 's', 'u']);
    const agg = await c.next((f) => f.e === 'aggTrade');
    expect(agg).toMatchObject({ s: 'ETHUSDT', M: true });
    c.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@ticker'], id: 8 });
    expect(await c.next((f) => 'result' in f)).toEqual({ result: null, id: 8 });
    expect(s.view().streams).toEqual({ 'btcusdt@bookTicker': 1, 'ethusdt@aggTrade': 1 });
    expect(s.view().totals).toMatchObject({ subscribes: 3, unsubscribes: 1, connectionsOpened: 1 });
  });

  it('answers bad requests with Binance error frames and subscribes nothing', async () => {
    const s = await startSim();
    const c = await connect(s);
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@ticker', 'nopeusdt@ticker'], id: 1 });
    const e1 = await c.next<{ error: { code: number; msg: string }; id: number }>((f) => 'error' in f);
    expect(e1.id).toBe(1);
    expect(e1.error.code).toBe(2);
    expect(e1.error.msg).toMatch(/^Invalid request: .*NOPEUSDT/);
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@kline_3m'], id: 2 });
    expect(await c.next((f) => 'error' in f)).toMatchObject({ error: { code: 2 }, id: 2 });
    c.send({ method: 'SUBSCRIBE', params: 'btcusdt@ticker', id: 3 });
    expect(await c.next((f) => 'error' in f)).toMatchObject({ error: { code: 1 }, id: 3 });
    c.send({ method: 'EXPLODE', id: 4 });
    expect(await c.next((f) => 'error' in f)).toMatchObject({ error: { code: 2 }, id: 4 });
    c.ws.send('{not json');
    expect(await c.next((f) => 'error' in f)).toMatchObject({ error: { code: 3 }, id: null });
    expect(s.view().streams).toEqual({});
  });

  it('a kline stream subscribed while the market stands still reports its open candle at once, as REST has it', async () => {
    const s = await startSim({ ratePerSymbol: 50 });
    const warm = await connect(s);
    warm.send({ method: 'SUBSCRIBE', params: ['btcusdt@ticker'], id: 1 });
    await warm.next((f) => f.e === '24hrTicker');
    s.setRate(0); // the ticker's steps traded: the open 1m candle has trades no kline stream reported
    const c = await connect(s);
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: 2 });
    expect(await c.next((f) => 'result' in f)).toEqual({ result: null, id: 2 });
    const ev = await c.next<{ e: string; k: { t: number; o: string; h: string; l: string; c: string; v: string; x: boolean } }>((f) => f.e === 'kline');
    const rows = (await getJson(`${s.urls.rest}/klines?symbol=BTCUSDT&interval=1m&limit=1`)).body as string[][];
    const last = rows[rows.length - 1]!;
    expect([ev.k.t, ev.k.o, ev.k.h, ev.k.l, ev.k.c, ev.k.v, ev.k.x]).toEqual([Number(last[0]), last[1], last[2], last[3], last[4], last[5], false]);
  });

  it('a raw stream URL subscribes at once; unknown paths are refused', async () => {
    const s = await startSim();
    const c = await connect(s, '/btcusdt@trade');
    expect(await c.next((f) => f.e === 'trade')).toMatchObject({ s: 'BTCUSDT', M: true });
    expect(s.view().connections[0]).toMatchObject({ path: '/stream/ws/btcusdt@trade', streams: ['btcusdt@trade'] });
    const bad = new WebSocket(`ws://127.0.0.1:${s.port}/nope`);
    bad.on('error', () => {});
    const status = await new Promise<number>((r) => bad.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });

  it('depth updates chain from the REST snapshot (U-1 <= lastUpdateId <= u-1, then U = previous u + 1)', async () => {
    const s = await startSim({ ratePerSymbol: 50 });
    const c = await connect(s);
    c.send({ method: 'SUBSCRIBE', params: ['ethusdt@depth'], id: 1 });
    await c.next((f) => 'result' in f);
    const snap = (await getJson(`${s.urls.rest}/depth?symbol=ETHUSDT&limit=10`)).body as { lastUpdateId: number; bids: string[][]; asks: string[][] };
    expect(snap.bids).toHaveLength(10);
    expect(Number(snap.bids[0]![0])).toBeLessThan(Number(snap.asks[0]![0]));
    let prev: { U: number; u: number } | undefined;
    let applied = 0;
    while (applied < 10) {
      const d = await c.next<{ e: string; U: number; u: number; s: string }>((f) => f.e === 'depthUpdate');
      expect(d.s).toBe('ETHUSDT');
      if (prev) expect(d.U).toBe(prev.u + 1);
      prev = d;
      if (d.u <= snap.lastUpdateId) continue;
      if (applied === 0) {
        expect(d.U - 1).toBeLessThanOrEqual(snap.lastUpdateId);
        expect(d.u - 1).toBeGreaterThanOrEqual(snap.lastUpdateId);
      }
      applied++;
    }
  });

  it('pings every pingIntervalMs, closes a socket that never pongs, and pongs client pings unless told not to', async () => {
    const s = await startSim({ pingIntervalMs: 100, pongTimeoutMs: 350 });
    const polite = await connect(s, '/0');
    const rude = await connect(s, '/1', { autoPong: false });
    let pings = 0;
    polite.ws.on('ping', () => pings++);
    const rudeClosed = new Promise<number>((r) => rude.ws.on('close', (code) => r(code)));
    expect(await rudeClosed).toBe(1006); // terminated after ~350 ms without pongs
    expect(pings).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 100 && s.view().connections.length > 1; i++) await sleep(10);
    expect(s.view().connections.map((c) => c.path)).toEqual(['/stream/ws/0']);
    const pong = new Promise<string>((r) => polite.ws.once('pong', (d) => r(d.toString())));
    polite.ws.ping('hello');
    expect(await pong).toBe('hello');
    expect(s.view().totals.pingsReceived).toBe(1);
    s.fault({ kind: 'ignore-pings', durationMs: 10_000 });
    let ponged = false;
    polite.ws.once('pong', () => (ponged = true));
    polite.ws.ping('again');
    // A barrier instead of a sleep: the server answers frames in order and would pong
    // at once, so a pong would arrive before the reply to a request sent after the ping.
    polite.send({ method: 'LIST_SUBSCRIPTIONS', id: 77 });
    await polite.next((f) => f.id === 77);
    expect(ponged).toBe(false);
    expect(s.view().totals.pingsReceived).toBe(2);
  });

  it('drop 1000 sends a close frame; malformed frames are invalid JSON or wrong shapes', async () => {
    const s = await startSim();
    const raw = new WebSocket(`${s.urls.ws}/0`);
    sockets.push(raw);
    const texts: string[] = [];
    raw.on('message', (d) => texts.push(d.toString()));
    await new Promise((r) => raw.once('open', r));
    raw.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['solusdt@bookTicker'], id: 1 }));
    await sleep(50);
    texts.length = 0;
    s.fault({ kind: 'malformed', count: 10 });
    await sleep(100);
    const bad = texts.filter((t) => {
      try {
        const v = JSON.parse(t);
        return v === null || Array.isArray(v) || !('u' in v && 's' in v && typeof v.u === 'number');
      } catch {
        return true;
      }
    });
    expect(bad.length).toBe(10);
    expect(bad.some((t) => t.includes('SOLUSDT'))).toBe(true); // some name the socket's own symbol
    const closed = new Promise<[number, string]>((r) => raw.once('close', (code, reason) => r([code, reason.toString()])));
    s.fault({ kind: 'drop', code: 1000 });
    expect(await closed).toEqual([1000, 'simulated drop']);
  });
});

describe('REST', () => {
  it('serves exchangeInfo, tickers, book tickers, prices, trades, time and ping', async () => {
    const s = await startSim({ symbols: ['BTC/USDT', 'ETH/USDT', 'FOO/BAR'] });
    const info = (await getJson(`${s.urls.rest}/exchangeInfo`)).body as { symbols: Array<{ symbol: string; filters: unknown[] }> };
    expect(info.symbols.map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'FOOBAR']);
    const one = (await getJson(`${s.urls.rest}/exchangeInfo?symbol=ETHUSDT`)).body as { symbols: unknown[] };
    expect(one.symbols).toHaveLength(1);
    const all = (await getJson(`${s.urls.rest}/ticker/24hr`)).body as unknown[];
    expect(all).toHaveLength(3);
    const two = (await getJson(`${s.urls.rest}/ticker/24hr?symbols=${encodeURIComponent('["BTCUSDT","FOOBAR"]')}`)).body as Array<{ symbol: string }>;
    expect(two.map((t) => t.symbol)).toEqual(['BTCUSDT', 'FOOBAR']);
    const t = (await getJson(`${s.urls.rest}/ticker/24hr?symbol=BTCUSDT`)).body as Record<string, string>;
    const bt = (await getJson(`${s.urls.rest}/ticker/bookTicker?symbol=BTCUSDT`)).body as Record<string, string>;
    expect(bt.bidPrice).toBe(t.bidPrice);
    expect(Number(bt.bidPrice)).toBeLessThan(Number(bt.askPrice));
    const price = (await getJson(`${s.urls.rest}/ticker/price?symbol=BTCUSDT`)).body as Record<string, string>;
    expect(price.price).toBe(t.lastPrice);
    const trades = (await getJson(`${s.urls.rest}/trades?symbol=BTCUSDT&limit=5`)).body as Array<{ id: number; price: string }>;
    expect(trades).toHaveLength(5);
    expect(trades[4]!.price).toBe(t.lastPrice);
    const agg = (await getJson(`${s.urls.rest}/aggTrades?symbol=BTCUSDT&limit=3`)).body as Array<{ a: number }>;
    expect(agg.map((x) => x.a)).toEqual(trades.slice(2).map((x) => x.id));
    expect((await getJson(`${s.urls.rest}/ping`)).body).toEqual({});
    const time = (await getJson(`${s.urls.rest}/time`)).body as { serverTime: number };
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(2000);
  });

  it('answers Binance errors: -1121 invalid symbol, -1102 missing symbol, -1100 bad limit, 404 unknown path', async () => {
    const s = await startSim();
    expect(await getJson(`${s.urls.rest}/depth?symbol=NOPEUSDT`)).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    expect(await getJson(`${s.urls.rest}/ticker/24hr?symbol=NOPEUSDT`)).toMatchObject({ status: 400, body: { code: -1121 } });
    expect(await getJson(`${s.urls.rest}/depth`)).toMatchObject({ status: 400, body: { code: -1102 } });
    expect(await getJson(`${s.urls.rest}/depth?symbol=BTCUSDT&limit=abc`)).toMatchObject({ status: 400, body: { code: -1100 } });
    expect((await getJson(`${s.urls.rest}/uiKlines?symbol=BTCUSDT`)).status).toBe(404);
    expect((await getJson(`http://127.0.0.1:${s.port}/fapi/v1/exchangeInfo`)).status).toBe(404);
    expect(s.view().totals.restRequests).toBe(6);
  });

  it('rest-error answers with Binance bodies: 429 -1003 + Retry-After, 500 -1001, 503 text', async () => {
    const s = await startSim();
    s.fault({ kind: 'rest-error', status: 429 });
    const r429 = await fetch(`${s.urls.rest}/ping`);
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('1');
    expect(((await r429.json()) as { code: number }).code).toBe(-1003);
    s.fault({ kind: 'rest-error', status: 500 });
    expect(await getJson(`${s.urls.rest}/ping`)).toMatchObject({ status: 500, body: { code: -1001 } });
    s.fault({ kind: 'rest-error', status: 503 });
    expect(await getJson(`${s.urls.rest}/ping`)).toMatchObject({ status: 503, body: 'Service Unavailable.' });
    expect(s.activeFaults()).toEqual([{ kind: 'rest-error', status: 503 }]);
  });
});

describe('control endpoint', () => {
  it('POST /fault validates with SimFaultSchema; GET /view shows the view and active faults', async () => {
    const s = await startSim();
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${s.controlToken}` };
    const post = (body: string): Promise<{ status: number; body: unknown }> => getJson(`${s.urls.control}/fault`, { method: 'POST', body, headers: auth });
    const ok = await post(JSON.stringify({ kind: 'silence', durationMs: 60_000 }));
    expect(ok).toMatchObject({ status: 200, body: { ok: true, faults: [{ kind: 'silence', durationMs: 60_000 }] } });
    const invalid = await post(JSON.stringify({ kind: 'drop', code: 4000 }));
    expect(invalid.status).toBe(400);
    expect((invalid.body as { error: string }).error).toMatch(/^invalid fault: code/);
    const unknown = await post(JSON.stringify({ kind: 'meteor' }));
    expect(unknown.status).toBe(400);
    expect((unknown.body as { error: string }).error).toMatch(/kind/);
    const notJson = await post('{kind:');
    expect(notJson.status).toBe(400);
    expect((notJson.body as { error: string }).error).toMatch(/not valid JSON/);
    const c = await connect(s);
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@ticker'], id: 1 });
    await c.next((f) => 'result' in f);
    const view = (await getJson(`${s.urls.control}/view`)).body as Record<string, unknown>;
    expect(view).toMatchObject({
      streams: { 'btcusdt@ticker': 1 },
      faults: [{ kind: 'silence', durationMs: 60_000 }],
      totals: { connectionsOpened: 1, subscribes: 1 },
      connections: [{ id: 1, path: '/stream/ws/0', streams: ['btcusdt@ticker'] }],
    });
    expect((await post(JSON.stringify({ kind: 'clear' }))).body).toEqual({ ok: true, faults: [] });
    const rate = await getJson(`${s.urls.control}/rate`, { method: 'POST', body: JSON.stringify({ ratePerSymbol: 0.5 }), headers: auth });
    expect(rate).toMatchObject({ status: 200, body: { ok: true, ratePerSymbol: 0.5 } });
    expect((await getJson(`${s.urls.control}/rate`, { method: 'POST', body: '{"ratePerSymbol":-1}', headers: auth })).status).toBe(400);
    expect((await getJson(`${s.urls.control}/nothing`)).status).toBe(404);
    expect(s.view().totals.restRequests).toBe(0); // control requests are not exchange REST
  });

  it('refuses what a web page can send: text/plain without preflight, any Origin, no or a wrong token; nothing is injected', async () => {
    const s = await startSim();
    const fault = JSON.stringify({ kind: 'burst', ratePerSymbol: 100_000, durationMs: 60_000 });
    const auth = `Bearer ${s.controlToken}`;
    const attempts: Array<[number, Record<string, string>]> = [
      [415, { 'content-type': 'text/plain' }], // the no-preflight POST of the finding
      [415, { 'content-type': 'text/plain', authorization: auth }],
      [415, { 'content-type': 'application/x-www-form-urlencoded', authorization: auth }],
      [403, { 'content-type': 'application/json', authorization: auth, origin: 'https://evil.example' }],
      [403, { 'content-type': 'application/json', authorization: auth, origin: `http://127.0.0.1:${s.port}` }],
      [401, { 'content-type': 'application/json' }],
      [401, { 'content-type': 'application/json', authorization: 'Bearer not-the-token' }],
    ];
    for (const [status, headers] of attempts) {
      const r = await getJson(`${s.urls.control}/fault`, { method: 'POST', body: fault, headers });
      expect(r.status, JSON.stringify(headers)).toBe(status);
      const rate = await getJson(`${s.urls.control}/rate`, { method: 'POST', body: '{"ratePerSymbol":1000}', headers });
      expect(rate.status, JSON.stringify(headers)).toBe(status);
    }
    expect(s.activeFaults()).toEqual([]);
    expect((await getJson(`${s.urls.control}/view`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect(((await getJson(`${s.urls.control}/view`)).body as { ratePerSymbol: number }).ratePerSymbol).toBe(10);
    // another run, another token
    const other = new ExchangeSimulator();
    expect(other.controlToken).not.toBe(s.controlToken);
  });

  it('control: false serves no control endpoint at all (404), while the exchange API works', async () => {
    const s = await startSim({ control: false });
    expect(s.controlToken).toBeUndefined();
    const headers = { 'content-type': 'application/json', authorization: 'Bearer anything' };
    expect((await getJson(`${s.urls.control}/fault`, { method: 'POST', body: '{"kind":"clear"}', headers })).status).toBe(404);
    expect((await getJson(`${s.urls.control}/view`)).status).toBe(404);
    expect((await getJson(`${s.urls.rest}/ping`)).status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('defaults: 127.0.0.1, a free port, 20 realistic symbols, URLs as documented', async () => {
    const s = await startSim();
    expect(s.port).toBeGreaterThan(0);
    expect(s.urls).toEqual({
      rest: `http://127.0.0.1:${s.port}/api/v3`,
      ws: `ws://127.0.0.1:${s.port}/stream/ws`,
      control: `http://127.0.0.1:${s.port}/__sim`,
    });
    expect(s.symbols).toHaveLength(20);
    expect(s.symbols.slice(0, 3)).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
    expect(new ExchangeSimulator({ symbols: 250 }).symbols[249]).toBe('SYM250/USDT');
  });

  it('historyMinutes: REST klines serve that much history from the start; a bad value is refused by name', async () => {
    const s = await startSim({ historyMinutes: 300 });
    const { status, body } = await getJson(`${s.urls.rest}/klines?symbol=BTCUSDT&interval=1m&limit=1000`);
    expect(status).toBe(200);
    const rows = body as Array<[number, ...unknown[]]>;
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(rows[rows.length - 1]![0] - rows[0]![0]).toBeGreaterThanOrEqual(299 * 60_000);
    await s.stop();
    const fresh = await startSim();
    expect(((await getJson(`${fresh.urls.rest}/klines?symbol=BTCUSDT&interval=1m&limit=1000`)).body as unknown[]).length).toBeLessThanOrEqual(2);
    for (const bad of [-1, 1.5, 7 * 24 * 60 + 1]) expect(() => new ExchangeSimulator({ historyMinutes: bad })).toThrow(/historyMinutes/);
  });

  it('the same seed serves the same market; another seed another', async () => {
    const depth = async (seed: number): Promise<string> => {
      const s = new ExchangeSimulator({ seed });
      await s.start();
      const text = await (await fetch(`${s.urls.rest}/depth?symbol=ETHUSDT&limit=20`)).text();
      await s.stop();
      return text;
    };
    const a = await depth(7);
    expect(await depth(7)).toBe(a);
    expect(await depth(8)).not.toBe(a);
  });

  it('stop() closes sockets, server and timers, is idempotent, and leaves no handles', async () => {
    await sleep(200); // let earlier tests' sockets finish closing
    const count = (): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
      return out;
    };
    const before = count();
    const s = new ExchangeSimulator({ pingIntervalMs: 50 });
    await s.start();
    const c = new Client(`${s.urls.ws}/0`);
    await c.open();
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@ticker'], id: 1 });
    await c.next((f) => f.e === '24hrTicker');
    s.fault({ kind: 'silence', durationMs: 60_000 });
    await fetch(`${s.urls.rest}/ping`); // leaves a keep-alive connection behind
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    await Promise.all([s.stop(), s.stop()]);
    expect(await closed).toBe(1001);
    await s.stop();
    await sleep(50);
    const after = count();
    for (const [kind, n] of Object.entries(after)) expect(n, `${kind} handles`).toBeLessThanOrEqual(before[kind] ?? 0);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`cli: prints its URLs and token, takes faults with the token, and exits 0 on ${signal} with clients connected`, async () => {
      const child = spawn(process.execPath, [CLI, '--port', '0', '--symbols', '3', '--rate', '2', '--seed', '9'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, sig) => r({ code, signal: sig })));
      const end = Date.now() + 10_000;
      while (!out.includes('\n') && Date.now() < end) await sleep(20);
      const line = out.split('\n')[0]!;
      const m = /rest (http:\/\/127\.0\.0\.1:\d+\/api\/v3) ws (\S+) control (\S+) token (\S+)/.exec(line);
      expect(m, line).not.toBeNull();
      const [, rest, ws, control, token] = m!;
      const info = (await getJson(`${rest}/exchangeInfo`)).body as { symbols: Array<{ symbol: string }> };
      expect(info.symbols.map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
      const post = (auth: string): Promise<{ status: number }> =>
        getJson(`${control}/fault`, { method: 'POST', body: '{"kind":"silence","durationMs":60000}', headers: { 'content-type': 'application/json', authorization: auth } });
      expect((await post('Bearer wrong')).status).toBe(401);
      expect((await post(`Bearer ${token}`)).status).toBe(200);
      // a client that stays connected must not keep the process alive
      const c = new Client(`${ws}/btcusdt@trade`);
      await c.open();
      child.kill(signal);
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(out).toMatch(new RegExp(`stopped on ${signal}`));
    });
  }

  it('cli: --help prints usage on stdout and exits 0; a bad option exits 2 naming it', async () => {
    const run = (args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((r) => {
        const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => r({ code, out, err }));
      });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: node out\/simulator\/cli\.cjs/);
    expect(help.out).toMatch(/Authorization: Bearer <token>/);
    const bad = await run(['--prot', '9000']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--prot/);
    // a value only the simulator can check (its range) is a usage error too
    const long = await run(['--history-minutes', '20000']);
    expect(long.code).toBe(2);
    expect(long.err).toMatch(/historyMinutes must be an integer from 0 to 10080, got 20000/);
  });
});
