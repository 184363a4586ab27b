// The send guard on ccxt's clients, without a socket: a transport that reports the
// socket closing makes the send reject as ws does, and nobody awaits it (as in
// ccxt's throttled SUBSCRIBE path). Then frames while shutting down, and REST through
// Node's own fetch against a local HTTP server.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ExchangeSettingsSchema, StreamingSettingsSchema } from '../../shared/settings';
import { createStreamExchange, type SocketHooks } from '../../electron/streaming/instrumented-exchange';
import { ccxt } from '../../electron/streaming/exchange-loader';

const closing = { send: (_m: unknown, _o: unknown, cb: (e?: Error) => void) => cb(new Error('WebSocket is not open: readyState 2 (CLOSING)')) };

function exchangeWithLog(logs: string[]) {
  const hooks: SocketHooks = { message: () => undefined, malformed: () => undefined, serverNotice: () => undefined, connected: () => undefined, closed: () => undefined, log: (_l, m) => logs.push(m) };
  const settings = ExchangeSettingsSchema.parse({ id: 'sim', ccxtId: 'binance', urls: { ws: 'wss://127.0.0.1:9/ws' } });
  return createStreamExchange(settings, StreamingSettingsSchema.parse({}), hooks);
}

describe('instrumented exchange: sends on a closing socket', () => {
  it('a send nobody awaits is handled (logged at debug), not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const logs: string[] = [];
      const client = exchangeWithLog(logs).client('wss://127.0.0.1:9/ws/btcusdt@ticker') as unknown as { connection: unknown; send(m: unknown): Promise<unknown> };
      client.connection = closing;
      void client.send({ method: 'SUBSCRIBE' });
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
      expect(logs).toEqual(['send on wss://127.0.0.1:9/ws/btcusdt@ticker failed: WebSocket is not open: readyState 2 (CLOSING)']);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a caller that awaits the send still sees the rejection; each client is guarded once', async () => {
    const logs: string[] = [];
    const ex = exchangeWithLog(logs);
    const url = 'wss://127.0.0.1:9/ws/ethusdt@ticker';
    const client = ex.client(url) as unknown as { connection: unknown; send(m: unknown): Promise<unknown> };
    expect(ex.client(url)).toBe(client);
    client.connection = closing;
    await expect(client.send('x')).rejects.toThrow('readyState 2 (CLOSING)');
    expect(logs).toHaveLength(1);
  });
});

describe('instrumented exchange: frames while shutting down', () => {
  it('drops frames unhandled while the session says it is dropping', () => {
    let dropping = false;
    const seen: number[] = [];
    const hooks: SocketHooks = { message: (_ex, rx) => void seen.push(rx), malformed: () => undefined, serverNotice: () => undefined, connected: () => undefined, closed: () => undefined, log: () => undefined, dropping: () => dropping };
    const settings = ExchangeSettingsSchema.parse({ id: 'sim', ccxtId: 'binance', urls: { ws: 'wss://127.0.0.1:9/ws' } });
    const ex = createStreamExchange(settings, StreamingSettingsSchema.parse({}), hooks);
    const client = ex.client('wss://127.0.0.1:9/ws/btcusdt@trade');
    const frame = () => ({ e: 'trade', E: 1, s: 'BTCUSDT', t: 1, p: '1', q: '1', T: 1, m: false });
    (ex as unknown as { handleMessage(c: unknown, m: unknown): void }).handleMessage(client, frame());
    expect(seen.length).toBe(1);
    dropping = true;
    (ex as unknown as { handleMessage(c: unknown, m: unknown): void }).handleMessage(client, frame());
    expect(seen.length).toBe(1);
    expect(ex.lastReceivedAt).toBe(seen[0]);
  });
});

describe('instrumented exchange: REST through Node\'s own fetch', () => {
  /** A local HTTP server answering every request with `answer`; returns its base URL. */
  async function serve(answer: (res: ServerResponse) => void) {
    const server = createServer((_req, res) => answer(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/api/v3`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  const hooks: SocketHooks = { message: () => undefined, malformed: () => undefined, serverNotice: () => undefined, connected: () => undefined, closed: () => undefined, log: () => undefined };
  const restExchange = (rest: string) => createStreamExchange(ExchangeSettingsSchema.parse({ id: 'sim', ccxtId: 'binance', urls: { rest } }), StreamingSettingsSchema.parse({}), hooks) as unknown as {
    publicGetTime(): Promise<unknown>;
    undiciModule: unknown;
    close(): Promise<void>;
  };

  it('a REST call is answered without ccxt importing the undici package', async () => {
    const server = await serve((res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"serverTime":1700000000000}'));
    const ex = restExchange(server.url);
    try {
      expect(await ex.publicGetTime()).toEqual({ serverTime: 1700000000000 });
      expect(ex.undiciModule).toBeUndefined();
    } finally {
      await ex.close();
      await server.close();
    }
  });

  it('a redirect is refused as a network error, not followed', async () => {
    let requests = 0;
    const server = await serve((res) => {
      requests++;
      res.writeHead(302, { Location: '/elsewhere' }).end();
    });
    const ex = restExchange(server.url);
    try {
      await expect(ex.publicGetTime()).rejects.toBeInstanceOf(ccxt.NetworkError);
      expect(requests).toBe(1);
    } finally {
      await ex.close();
      await server.close();
    }
  });
});

describe('instrumented exchange: confirmed subscriptions', () => {
  it('a confirmation of a SUBSCRIBE sent on the socket reports its streams once; a refusal or an unknown id reports nothing', async () => {
    const confirmed: string[] = [];
    const hooks: SocketHooks = {
      message: () => undefined, malformed: () => undefined, serverNotice: () => undefined, connected: () => undefined, closed: () => undefined, log: () => undefined,
      subscribed: (_ex, c, streams) => void confirmed.push(`${c.url}: ${streams.join(',')}`),
    };
    const settings = ExchangeSettingsSchema.parse({ id: 'sim', ccxtId: 'binance', urls: { ws: 'wss://127.0.0.1:9/ws' } });
    const ex = createStreamExchange(settings, StreamingSettingsSchema.parse({}), hooks);
    const url = 'wss://127.0.0.1:9/ws';
    const client = ex.client(url) as unknown as { connection: unknown; send(m: unknown): Promise<unknown> };
    client.connection = { send: (_m: unknown, _o: unknown, cb: (e?: Error) => void) => cb() };
    await client.send({ method: 'SUBSCRIBE', params: ['ethusdt@trade'], id: 5 });
    await client.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 6 });
    const handle = (m: unknown) => (ex as unknown as { handleMessage(c: unknown, m: unknown): void }).handleMessage(client, m);
    handle({ result: null, id: 5 });
    handle({ result: null, id: 5 }); // answered already
    handle({ error: { code: 2, msg: 'Invalid request' }, id: 6 });
    handle({ result: null, id: 6 }); // refused before: forgotten
    handle({ result: null, id: 99 });
    expect(confirmed).toEqual([`${url}: ethusdt@trade`]);
  });
});
