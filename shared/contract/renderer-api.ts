// The renderer-facing API. The Electron preload exposes it through contextBridge;
// the headless bridge implements it over a WebSocket on 127.0.0.1. The renderer
// never learns which one it has. Messages from the renderer are untrusted and
// validated in main; messages to the renderer are validated by the bridge.
import { z } from 'zod';
import { CHANNELS } from '../market';
import { SettingsSchema } from '../settings';
import { CandleDemandSchema, CandleHistorySchema, CandleStateMessageSchema, CandleUpdateSchema } from './candles';
import { SimFaultSchema } from './sim-faults';
import { ExchangeStatusSchema, OutageSchema, ProcessVitalsSchema, SubscriptionStatusSchema } from './status';

/** One watchlist row as the renderer shows it (numbers may be null when unknown). */
export const TickerRowSchema = z
  .object({
    key: z.string(),
    exchange: z.string(),
    symbol: z.string(),
    bid: z.number().nullable(),
    ask: z.number().nullable(),
    last: z.number().nullable(),
    changePct: z.number().nullable(),
    volume: z.number().nullable(),
    /** Exchange event time (ms since epoch), or null. */
    eventTime: z.number().nullable(),
    /** now() in the streaming process when the socket delivered it. */
    receivedAt: z.number(),
    source: z.enum(['ws', 'rest']),
  })
  .strict();
export type TickerRow = z.infer<typeof TickerRowSchema>;

export const ComponentProgressSchema = z
  .object({
    name: z.string(),
    state: z.enum(['created', 'starting', 'running', 'stopping', 'stopped', 'failed', 'forced']),
    /** ms spent in the current/last stop, when stopping has begun. */
    elapsedMs: z.number().optional(),
    error: z.string().optional(),
  })
  .strict();
export type ComponentProgress = z.infer<typeof ComponentProgressSchema>;

export const ShutdownProgressSchema = z
  .object({
    phase: z.enum(['signal', 'graceful', 'force', 'kill', 'done']),
    trigger: z.string(),
    startedAt: z.number(),
    deadlineMs: z.number(),
    components: z.array(ComponentProgressSchema),
    escalations: z.array(z.string()),
  })
  .strict();
export type ShutdownProgress = z.infer<typeof ShutdownProgressSchema>;

export const EngineDiagnosticsSchema = z
  .object({
    at: z.number(),
    streaming: z
      .object({
        vitals: ProcessVitalsSchema.optional(),
        restarts: z.number().int().min(0),
        state: z.enum(['starting', 'running', 'restarting', 'stopped', 'failed']),
        lastRestartReason: z.string().optional(),
      })
      .strict(),
    /** Event bus handlers per event type in main. */
    handlers: z.record(z.string(), z.number().int().min(0)),
    components: z.array(ComponentProgressSchema),
    ipc: z.object({ batchesInPerSec: z.number(), framesOutPerSec: z.number(), ticksInPerSec: z.number() }).strict(),
  })
  .strict();
export type EngineDiagnostics = z.infer<typeof EngineDiagnosticsSchema>;

// ---- main → renderer ------------------------------------------------------------

export const ToRendererSchema = z.discriminatedUnion('type', [
  /** First message: everything needed to draw the screen. */
  z.object({
    type: z.literal('hello'),
    host: z.enum(['electron', 'headless']),
    settings: SettingsSchema,
    rows: z.array(TickerRowSchema),
  }).strict(),
  /** Coalesced ticker changes; at most one in flight until the renderer acks or nacks it (or main's ack timeout passes). */
  z.object({ type: z.literal('frame'), seq: z.number().int(), sentAt: z.number(), rows: z.array(TickerRowSchema) }).strict(),
  z.object({ type: z.literal('status'), exchanges: z.array(ExchangeStatusSchema), subscriptions: z.array(SubscriptionStatusSchema) }).strict(),
  z.object({ type: z.literal('diagnostics'), diagnostics: EngineDiagnosticsSchema }).strict(),
  z.object({ type: z.literal('timeline'), outages: z.array(OutageSchema) }).strict(),
  z.object({ type: z.literal('settings'), settings: SettingsSchema }).strict(),
  z.object({ type: z.literal('shutdown'), progress: ShutdownProgressSchema }).strict(),
  /** A request was refused (bad input, unknown symbol...): shown to the trader. */
  z.object({ type: z.literal('notice'), level: z.enum(['info', 'warn', 'error']), message: z.string() }).strict(),
  /** Candle series a chart opened: history (and repairs), the live last candle (≤ 1 per series per frame), state. */
  CandleHistorySchema,
  CandleUpdateSchema,
  CandleStateMessageSchema,
]);
export type ToRenderer = z.infer<typeof ToRendererSchema>;

// ---- renderer → main ------------------------------------------------------------

/** A nack's reason is cut to this length by the renderer (and refused beyond it by main). */
export const MAX_NACK_REASON_CHARS = 500;

const symbol = z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, 'a unified symbol such as "BTC/USDT"');

export const FromRendererSchema = z.discriminatedUnion('type', [
  /** The renderer painted frame `seq`; main may send the next one. */
  /**
   * `frameTime`: when the animation frame that painted it began (ms since epoch). Its
   * grid lets main send the next frame just before the renderer's next paint.
   */
  z.object({ type: z.literal('frame-ack'), seq: z.number().int(), frameTime: z.number().finite().optional() }).strict(),
  /**
   * The renderer received frame `seq` but could not apply it (invalid, or applying
   * threw). Main takes the credit back and resends the full state of every row.
   */
  z.object({ type: z.literal('frame-nack'), seq: z.number().int(), reason: z.string().max(MAX_NACK_REASON_CHARS) }).strict(),
  z.object({ type: z.literal('watch'), exchange: z.string().min(1).max(32), symbol, channels: z.array(z.enum(CHANNELS)).min(1).max(3) }).strict(),
  z.object({ type: z.literal('unwatch'), exchange: z.string().min(1).max(32), symbol }).strict(),
  z.object({ type: z.literal('set-ui'), showDiagnostics: z.boolean() }).strict(),
  /** Quit; `force` skips to the force phase ("Quit now"). */
  z.object({ type: z.literal('quit'), force: z.boolean() }).strict(),
  /** Developer menu: inject a simulator fault (ignored unless ui.devMenu is on). */
  z.object({ type: z.literal('sim-fault'), fault: SimFaultSchema }).strict(),
  z.object({ type: z.literal('log'), level: z.enum(['error', 'warn', 'info']), message: z.string().max(4000) }).strict(),
  /** A chart opens or closes a candle series; `consumer` names the chart within this renderer. */
  CandleDemandSchema,
]);
export type FromRenderer = z.infer<typeof FromRendererSchema>;

/** What the renderer sees, from the preload or the headless bridge. */
export interface FoxtrotApi {
  readonly host: 'electron' | 'headless';
  /** Subscribe to messages from main; returns the unsubscribe function. */
  onMessage(listener: (message: ToRenderer) => void): () => void;
  send(message: FromRenderer): void;
}

export const RENDERER_CHANNEL = 'foxtrot:message';
