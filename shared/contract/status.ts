// Health and diagnostics records produced by the streaming process and the engine,
// shown by the renderer. Schemas validate them where they cross a process boundary.
import { z } from 'zod';
import { BOOK_STATES, CHANNELS, CONNECTION_EVENT_KINDS, CONNECTION_STATES, DATA_SOURCES, DISCONNECT_REASONS, ERROR_CLASSES, EXCHANGE_MODES, RESYNC_CAUSES, SUBSCRIPTION_STATES } from '../market';

export const ErrorClassSchema = z.enum(ERROR_CLASSES);
export const DataSourceSchema = z.enum(DATA_SOURCES);
export const DisconnectReasonSchema = z.enum(DISCONNECT_REASONS);
export const ErrorCountsSchema = z.record(ErrorClassSchema, z.number().int().min(0));
export type ErrorCounts = z.infer<typeof ErrorCountsSchema>;

export const PercentilesSchema = z.object({ p50: z.number(), p99: z.number() }).strict();

export const ExchangeStatusSchema = z
  .object({
    exchange: z.string(),
    state: z.enum(CONNECTION_STATES),
    mode: z.enum(EXCHANGE_MODES),
    /** Reconnects since start. */
    reconnects: z.number().int().min(0),
    /** Consecutive failed attempts in the current outage (0 when healthy). */
    attempt: z.number().int().min(0),
    /** Open WebSocket connections this exchange's client holds. */
    connections: z.number().int().min(0),
    /** Offered: frames reaching this exchange's sockets per second (counted where ccxt receives them). */
    messagesPerSec: z.number().min(0),
    /** Processed: ticks its watch loops wrote into the tick sink per second (before coalescing). */
    processedPerSec: z.number().min(0).finite().optional(),
    /** Tickers and books replaced by a newer one of the same instrument before they left the process (cumulative). */
    tickersCoalesced: z.number().int().min(0).optional(),
    /** Exchange event time → local receipt (ms). */
    exchangeLatencyMs: PercentilesSchema,
    /** Socket receipt → leaving the streaming process (ms). */
    processingLatencyMs: PercentilesSchema,
    errors: ErrorCountsSchema,
    lastError: z.object({ class: ErrorClassSchema, message: z.string(), at: z.number() }).strict().optional(),
    /** More arrives than the process handles in time (BehindDetector: loop lag, processing p99, trades shed). */
    behind: z.boolean().optional(),
    /** Trades shed: evicted by ccxt's bounded caches or refused at the tick sink's per-batch cap (cumulative, counted per subscription). */
    tradesShed: z.number().int().min(0).optional(),
    /** The streaming process's event-loop lag at the last heartbeat (ms). */
    loopLagMs: z.number().min(0).optional(),
  })
  .strict();
export type ExchangeStatus = z.infer<typeof ExchangeStatusSchema>;

export const SubscriptionStatusSchema = z
  .object({
    id: z.string(),
    exchange: z.string(),
    symbol: z.string(),
    channel: z.enum(CHANNELS),
    state: z.enum(SUBSCRIPTION_STATES),
    source: DataSourceSchema,
    lastDataAt: z.number().optional(),
    /**
     * When the exchange last said over REST that it has nothing newer than the data
     * shown: a quiet market, its old data still current (present only when later than
     * lastDataAt; same clock).
     */
    quietAt: z.number().optional(),
    error: z.object({ class: ErrorClassSchema, message: z.string() }).strict().optional(),
    /** Book subscriptions: the sync state and its resyncs (per instrument, for diagnostics). */
    book: z
      .object({
        state: z.enum(BOOK_STATES),
        lastUpdateId: z.number().optional(),
        resyncs: z.record(z.enum(RESYNC_CAUSES), z.number().int().min(0)),
      })
      .strict()
      .optional(),
    /** Trade subscriptions: gaps in the tape since subscribing, and trades REST recovered. */
    tape: z.object({ gaps: z.number().int().min(0), recovered: z.number().int().min(0), unrecovered: z.number().int().min(0) }).strict().optional(),
    /** The broker serves this subscription delayed (no live data permission; IB market data type 3). */
    delayed: z.boolean().optional(),
    /** Its exchange is behind: the row's numbers may lag the market. */
    behind: z.boolean().optional(),
    /** Trades of this subscription shed under overload (cumulative; absent when none). */
    tradesShed: z.number().int().min(0).optional(),
  })
  .strict();
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

/** One line of the structured connection log. */
export const ConnectionEventSchema = z
  .object({
    at: z.number(),
    kind: z.enum(CONNECTION_EVENT_KINDS),
    exchange: z.string(),
    symbol: z.string().optional(),
    channel: z.enum(CHANNELS).optional(),
    url: z.string().optional(),
    attempt: z.number().int().optional(),
    delayMs: z.number().optional(),
    errorClass: ErrorClassSchema.optional(),
    reason: DisconnectReasonSchema.optional(),
    code: z.number().int().optional(),
    message: z.string().optional(),
    /** BOOK_RESYNC: why the book is fetched again. */
    cause: z.enum(RESYNC_CAUSES).optional(),
  })
  .strict();
export type ConnectionEvent = z.infer<typeof ConnectionEventSchema>;

/** One disconnect in the connection timeline, completed when data came back. */
export const OutageSchema = z
  .object({
    id: z.string(),
    exchange: z.string(),
    startedAt: z.number(),
    reason: DisconnectReasonSchema,
    code: z.number().int().optional(),
    message: z.string().optional(),
    /** How long data was down (ms); absent while the outage lasts. */
    downMs: z.number().optional(),
    /** Subscription ids that came back after the outage. */
    restored: z.array(z.string()),
  })
  .strict();
export type Outage = z.infer<typeof OutageSchema>;

/** Vital signs of the streaming process; doubles as its heartbeat. */
export const ProcessVitalsSchema = z
  .object({
    pid: z.number().int(),
    at: z.number(),
    uptimeMs: z.number(),
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
    eventLoopDelayMs: PercentilesSchema,
    /** Running owned tasks by category (watch loops, timers, sockets, pollers...). */
    tasks: z.record(z.string(), z.number().int().min(0)),
    /** Registered event handlers in the process. */
    handlers: z.number().int().min(0),
    /** Ticks received from sockets / REST since start. */
    ticksIn: z.number().int().min(0),
    /** Ticks sent to the engine in batches since start (ticksIn less those coalesced, shed or not yet sent). */
    ticksOut: z.number().int().min(0),
    /** Ticks waiting in the batch not yet sent (after coalescing). */
    ticksPending: z.number().int().min(0),
    batchesOut: z.number().int().min(0),
    /**
     * Garbage-collection pauses: count and total ms since start, the longest since the
     * previous beat (ms). Every pause stops every tick of the process. With them, the
     * heap outside the young generation just after the last full collection (bytes;
     * absent before the first): what the process really holds.
     */
    gc: z
      .object({
        count: z.number().int().min(0),
        pauseMs: z.number().min(0).finite(),
        maxPauseMs: z.number().min(0).finite(),
        heldAfterMajorBytes: z.number().min(0).finite().optional(),
      })
      .strict()
      .optional(),
    /** Times the process gave memory back to the system while quiet (IdleMemoryTrim). */
    memoryTrims: z.number().int().min(0).optional(),
  })
  .strict();
export type ProcessVitals = z.infer<typeof ProcessVitalsSchema>;

/**
 * The terminal as a whole under load: offered vs processed messages/s and what was
 * coalesced and shed, summed over exchanges; the exchanges behind; the event-loop lag
 * of the streaming and host processes (the renderer measures its own).
 */
export const TerminalLoadSchema = z
  .object({
    offeredPerSec: z.number().min(0).finite(),
    processedPerSec: z.number().min(0).finite(),
    tickersCoalesced: z.number().int().min(0),
    tradesShed: z.number().int().min(0),
    /** Exchanges behind now (empty: keeping up). */
    behind: z.array(z.string()),
    /** The streaming process's lag at its last heartbeat (ms); absent before the first. */
    streamingLoopLagMs: z.number().min(0).finite().optional(),
    /** The host (main) process's lag: how late its diagnostics timer fired, the worst since the last report (ms). */
    hostLoopLagMs: z.number().min(0).finite().optional(),
  })
  .strict();
export type TerminalLoad = z.infer<typeof TerminalLoadSchema>;

/** Sums the exchanges' load figures (the engine adds the process lags). */
export function terminalLoad(exchanges: readonly ExchangeStatus[]): TerminalLoad {
  const load: TerminalLoad = { offeredPerSec: 0, processedPerSec: 0, tickersCoalesced: 0, tradesShed: 0, behind: [] };
  for (const e of exchanges) {
    load.offeredPerSec += e.messagesPerSec;
    load.processedPerSec += e.processedPerSec ?? 0;
    load.tickersCoalesced += e.tickersCoalesced ?? 0;
    load.tradesShed += e.tradesShed ?? 0;
    if (e.behind) load.behind.push(e.exchange);
  }
  return load;
}
