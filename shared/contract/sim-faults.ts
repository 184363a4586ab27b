// Faults the exchange simulator can inject. Shared because the renderer's developer
// menu asks for them and the simulator's control endpoint accepts them.
import { z } from 'zod';

const duration = z.number().int().positive().max(3_600_000).optional();
/** An exchange symbol ("BTCUSDT"); absent = every symbol. */
const target = z.string().regex(/^[A-Z0-9]+$/).optional();

export const SimFaultSchema = z.discriminatedUnion('kind', [
  /** Close every open socket with this close code (1006 = abrupt, no close frame). */
  z.object({ kind: z.literal('drop'), code: z.union([z.literal(1000), z.literal(1006)]) }).strict(),
  /** Refuse new WebSocket connections (HTTP 503 on upgrade). */
  z.object({ kind: z.literal('refuse'), durationMs: duration }).strict(),
  /** Keep sockets open but send no data. */
  z.object({ kind: z.literal('silence'), durationMs: duration }).strict(),
  /** Stop answering WebSocket pings with pongs. */
  z.object({ kind: z.literal('ignore-pings'), durationMs: duration }).strict(),
  /** Send this many malformed frames on every socket. */
  z.object({ kind: z.literal('malformed'), count: z.number().int().positive().max(10_000) }).strict(),
  /** Answer SUBSCRIBE for this exchange symbol (e.g. "BTCUSDT") with an error. */
  z.object({ kind: z.literal('reject-subscription'), symbol: z.string().regex(/^[A-Z0-9]+$/) }).strict(),
  /** Answer REST requests with this status. */
  z.object({ kind: z.literal('rest-error'), status: z.union([z.literal(429), z.literal(500), z.literal(503)]), durationMs: duration }).strict(),
  /** Raise the per-symbol message rate. */
  z.object({ kind: z.literal('burst'), ratePerSymbol: z.number().positive().max(100_000), durationMs: duration }).strict(),
  /** Send Binance's serverShutdown event on every socket. */
  z.object({ kind: z.literal('server-shutdown') }).strict(),
  /** Close connections older than this (Binance: 24 h). */
  z.object({ kind: z.literal('lifetime'), maxLifetimeMs: z.number().int().positive() }).strict(),
  /** Drop the next diff of the depth streams (of this symbol, or all): the diff after it skips update ids (U > previous u + 1). */
  z.object({ kind: z.literal('book-gap'), symbol: target }).strict(),
  /** The next depth diff adds a bid above the best ask (crossed book); the diff after it removes it again. */
  z.object({ kind: z.literal('book-crossed'), symbol: target }).strict(),
  /** The next REST depth snapshot is the book as it was now, while the streams move on (lastUpdateId behind the stream). */
  z.object({ kind: z.literal('book-stale-snapshot'), symbol: target }).strict(),
  /** Send no trades on the trade streams for this long; the trades still happen and stay in the REST history. */
  z.object({ kind: z.literal('trades-pause'), symbol: target, durationMs: z.number().int().positive().max(3_600_000) }).strict(),
  /** Remove every active fault. */
  z.object({ kind: z.literal('clear') }).strict(),
]);
export type SimFault = z.infer<typeof SimFaultSchema>;
