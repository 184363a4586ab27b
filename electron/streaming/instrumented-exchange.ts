// Creates a ccxt.pro exchange instrumented at the socket: every frame is stamped
// with now() on receipt (that stamp becomes receivedAt), counted per exchange,
// and screened so a malformed frame or a rejected subscription affects only its
// own stream instead of rejecting every watch on the socket. Any ccxt.pro id works;
// endpoint overrides follow Binance's layout (urls.api.public / urls.api.ws.spot).
import type { Exchange } from 'ccxt';
import { ccxt, exchangeLoader } from './exchange-loader';
import { now } from '../../shared/clock';
import { errorMessage } from '../../shared/error-message';
import { SubscribeRequests } from './subscribe-requests';
import type { ExchangeSettings, StreamingSettings } from '../../shared/settings';

/** The subset of ccxt's WsClient this process touches. */
export interface WsClientLike {
  url: string;
  isConnected: boolean;
  /** Resolves when the socket opens (ccxt's connection future; a new client per connection). */
  connected?: Promise<unknown>;
  connectionEstablished?: number;
  /** Receipt stamp of the newest frame on this socket (set by the instrumented handleMessage). */
  lastFrameAt?: number;
  error?: unknown;
  futures: Record<string, unknown>;
  subscriptions: Record<string, unknown>;
  reject(error: unknown, messageHash?: string): void;
  onError(error: unknown): void;
  close(): Promise<unknown> | undefined;
  /** ccxt's ws WebSocket; its _socket is the TCP socket whose reads can pause. */
  connection?: { _socket?: { pause(): unknown; resume(): unknown } };
}

/** The TCP socket under a ccxt client, when it has one yet. */
export function rawSocketOf(client: WsClientLike): { pause(): unknown; resume(): unknown } | undefined {
  return client.connection?._socket ?? undefined;
}

export interface SocketHooks {
  /** A frame arrived (already JSON-decoded by ccxt). */
  message(ex: StreamExchange, receivedAt: number): void;
  malformed(ex: StreamExchange, client: WsClientLike, error: Error): void;
  /** The exchange announced it will close the socket (Binance serverShutdown). */
  serverNotice(ex: StreamExchange, client: WsClientLike): void;
  connected(ex: StreamExchange, client: WsClientLike): void;
  closed(ex: StreamExchange, client: WsClientLike, code: number | undefined): void;
  log(level: 'debug' | 'warn', message: string): void;
  /** True while shutting down: frames are dropped unhandled, a backlog is not worked off. */
  dropping?(): boolean;
  /** The exchange confirmed a SUBSCRIBE sent on `client`; `streams`: the streams it asked for. */
  subscribed?(ex: StreamExchange, client: WsClientLike, streams: readonly string[]): void;
}

export interface StreamExchange extends Omit<Exchange, 'clients'> {
  /** Receipt stamp of the latest frame on any socket of this instance. */
  lastReceivedAt: number;
  /** URL of the socket the most recent watch*() call went to (set synchronously by the call). */
  lastWatchUrl: string | undefined;
  /** When this instance was created; rotation replaces instances that got old. */
  readonly createdAt: number;
  readonly generation: number;
  clients: Record<string, WsClientLike>;
}


/** Bounds of ccxt's per-symbol caches (options.tradesLimit / OHLCVLimit). */
export const CACHE_LIMITS = { trades: 200, ohlcv: 100 } as const;
let generations = 0;

/** Loads the exchange's class (and only it) on first use: see exchange-loader.ts. */
export function isSupportedExchange(ccxtId: string): boolean {
  return exchangeLoader.exchangeClass(ccxtId) !== undefined;
}

/** The ccxt id of a ccxt entry (settings require it for kind "ccxt"). */
export function ccxtIdOf(settings: ExchangeSettings): string {
  if (settings.ccxtId === undefined) throw new ccxt.NotSupported(`${settings.id} is a ${settings.kind} entry, not a ccxt exchange`);
  return settings.ccxtId;
}

export function createStreamExchange(settings: ExchangeSettings, streaming: StreamingSettings, hooks: SocketHooks): StreamExchange {
  const ccxtId = ccxtIdOf(settings);
  const Base = exchangeLoader.exchangeClass(ccxtId);
  if (!Base) throw new ccxt.NotSupported(`${ccxtId} has no WebSocket support in ccxt.pro`);
  const generation = ++generations;

  class Instrumented extends (Base as unknown as typeof Exchange) {
    lastReceivedAt = 0;
    lastWatchUrl: string | undefined = undefined;
    readonly createdAt = now();
    readonly generation = generation;

    override handleMessage(client: WsClientLike, message: unknown): void {
      if (hooks.dropping?.()) return;
      const rx = now();
      this.lastReceivedAt = rx;
      client.lastFrameAt = rx;
      if (typeof message !== 'object' || message === null) {
        // ccxt hands undecodable frames through as strings; Binance's handler would
        // throw and ccxt would then reject every watch on this socket.
        hooks.malformed(this as unknown as StreamExchange, client, new ccxt.BadResponse(`undecodable frame: ${String(message).slice(0, 80)}`));
        return;
      }
      hooks.message(this as unknown as StreamExchange, rx);
      const m = message as Record<string, unknown>;
      if (!Array.isArray(message)) {
        // The raw message becomes ticker.info / trade.info: carry the receipt stamp along.
        m._rx = rx;
        if (m.e === 'serverShutdown') {
          hooks.serverNotice(this as unknown as StreamExchange, client);
          return;
        }
      }
      try {
        super.handleMessage(client, message);
      } catch (e) {
        hooks.malformed(this as unknown as StreamExchange, client, e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (m.id !== undefined && (m.error !== undefined || m.result === null)) {
        const streams = (client as unknown as TrackedClient)[REQUESTS]?.answered(m.id);
        if (m.error !== undefined) rejectSubscription(client, m);
        else if (streams) hooks.subscribed?.(this as unknown as StreamExchange, client, streams);
      }
    }

    override watch(url: string, messageHash: string, message?: unknown, subscribeHash?: unknown, subscription?: unknown): ReturnType<Exchange['watch']> {
      this.lastWatchUrl = url;
      return super.watch(url, messageHash, message, subscribeHash, subscription);
    }

    override watchMultiple(url: string, messageHashes: string[], message?: unknown, subscribeHashes?: string[], subscription?: unknown): ReturnType<Exchange['watchMultiple']> {
      this.lastWatchUrl = url;
      return super.watchMultiple(url, messageHashes, message, subscribeHashes, subscription);
    }

    override client(url: string): ReturnType<Exchange['client']> {
      const client = super.client(url);
      guardSend(client as unknown as SendingClient, hooks);
      trackSubscribeRequests(client as unknown as SendingClient & TrackedClient);
      return client;
    }

    override onConnected(client: WsClientLike, message?: unknown): void {
      super.onConnected(client, message);
      hooks.connected(this as unknown as StreamExchange, client);
    }

    override onClose(client: WsClientLike, event: unknown): void {
      super.onClose(client, event);
      const code = (event as { code?: unknown } | undefined)?.code;
      hooks.closed(this as unknown as StreamExchange, client, typeof code === 'number' ? code : undefined);
    }

    override log(...args: unknown[]): void {
      // ccxt logs undecodable JSON with console.log; route it to our log instead.
      hooks.log('debug', args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    }
  }

  const binanceLike = ccxtId.startsWith('binance');
  const ex = new Instrumented({
    enableRateLimit: true,
    fetchImplementation: nodeFetch,
    options: {
      ...(binanceLike ? { fetchMarkets: { types: ['spot'] } } : {}),
      // ccxt keeps 1000 trades and candles per symbol by default: 400 symbols grew the
      // process by 180 MB. A cache only has to hold what arrives between two watches of
      // one symbol; what it evicts before a watch takes it is counted as shed (takeShed).
      tradesLimit: CACHE_LIMITS.trades,
      OHLCVLimit: CACHE_LIMITS.ohlcv,
      // Reconnect pacing is ours (one backoff per outage); ccxt's own per-URL backoff would stack on top.
      ws: { backoff: { base: 0, max: 0 } },
    },
    streaming: { keepAlive: streaming.keepAliveMs },
  }) as unknown as StreamExchange;
  if (settings.urls.rest || settings.urls.ws) pointAt(ex as unknown as Exchange, settings.urls);
  return ex;
}

/**
 * REST through Node's own fetch instead of the undici package ccxt would import at the
 * first request: that import cost 100-140 ms on the path from launch to the first tick
 * (Node's fetch is part of Node: its first call cost ~40 ms). REST here is markets at
 * start, book snapshots and trade catch-ups, not a hot path, so ccxt's faster
 * undici.request buys nothing. Redirects are refused, as on ccxt's own fetch paths: an
 * exchange API does not redirect legitimately (a TypeError: ccxt's NetworkError).
 */
function nodeFetch(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, redirect: 'error' });
}

/** Binance's layout: REST under urls.api.public, spot streams under urls.api.ws.spot. */
function pointAt(ex: Exchange, urls: { rest?: string; ws?: string }): void {
  const api = ex.urls['api'] as Record<string, unknown>;
  if (urls.rest) api['public'] = urls.rest;
  if (urls.ws) {
    const ws = api['ws'];
    if (ws && typeof ws === 'object') (ws as Record<string, unknown>)['spot'] = urls.ws;
    else api['ws'] = urls.ws;
  }
}

interface SendingClient {
  url: string;
  send(message: unknown): Promise<unknown>;
  [GUARDED]?: true;
}
const GUARDED = Symbol('send guarded');

/**
 * ccxt sends a throttled SUBSCRIBE as `throttle().then(() => client.send(m))` and drops
 * the send's promise: when the socket began closing meanwhile, ws rejects it ("WebSocket
 * is not open: readyState 2 (CLOSING)") with nobody listening, dozens of times a second
 * in a storm. Every send gets a listener here; callers that listen still see the
 * rejection. Nothing else is needed: the close that follows rejects the watches.
 */
function guardSend(client: SendingClient, hooks: SocketHooks): void {
  if (client[GUARDED]) return;
  client[GUARDED] = true;
  const send = client.send.bind(client);
  client.send = (message: unknown) => {
    const sent = send(message);
    sent.catch((e: unknown) => hooks.log('debug', `send on ${client.url} failed: ${errorMessage(e)}`));
    return sent;
  };
}

interface TrackedClient {
  [REQUESTS]?: SubscribeRequests;
}
const REQUESTS = Symbol('subscribe requests');

/** Keeps the client's SUBSCRIBE requests until answered (handleMessage reads the answers). */
function trackSubscribeRequests(client: SendingClient & TrackedClient): void {
  if (client[REQUESTS]) return;
  const requests = (client[REQUESTS] = new SubscribeRequests());
  const send = client.send.bind(client);
  client.send = (message: unknown) => {
    requests.sent(message);
    return send(message);
  };
}

/** Plain ws:// endpoints need ccxt's proxy agent loaded first under Node. */
export async function prepareExchange(ex: StreamExchange, settings: ExchangeSettings): Promise<void> {
  if (settings.urls.ws?.startsWith('ws://')) await ex.loadHttpProxyAgent();
}

/**
 * An error reply to SUBSCRIBE ({error, id}) that ccxt could not map leaves the
 * watch pending forever. Reject only the watches subscribed with that id, and
 * forget the subscription so a later watch subscribes again.
 */
function rejectSubscription(client: WsClientLike, m: Record<string, unknown>): void {
  const id = String(m.id);
  const err = m.error as { code?: unknown; msg?: unknown } | undefined;
  const text = `subscription rejected: ${String(err?.msg ?? 'error')} (code ${String(err?.code ?? '?')})`;
  for (const [hash, sub] of Object.entries(client.subscriptions)) {
    if (typeof sub !== 'object' || sub === null || String((sub as { id?: unknown }).id) !== id) continue;
    delete client.subscriptions[hash];
    if (hash in client.futures) client.reject(new ccxt.BadRequest(text), hash);
  }
}
