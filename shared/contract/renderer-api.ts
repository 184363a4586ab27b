// The renderer-facing API. The Electron preload exposes it through contextBridge;
// the headless bridge implements it over a WebSocket to the headless host (on
// 127.0.0.1 by default, wherever `--host` binds it). The renderer never learns which
// one it has. Messages from the renderer are untrusted and validated in main;
// messages to the renderer are validated by the bridge.
import { z } from 'zod';
import { COMPONENT_STATES, HOST_KINDS, SHUTDOWN_PHASES, STREAMING_STATES, type HostKind } from '../engine-states';
import { checkAnyNotation } from '../instrument-notation';
import { BOOK_STATES, CHANNELS } from '../market';
import { LINKS, PanelIdSchema, WorkspacesSchema } from '../workspace';
import { FocusSchema, LadderSettingsSchema, SettingsSchema, TapeSettingsSchema } from '../settings';
import { GAP_CAUSES } from './tick-batch';
import { ExchangeMarketsSchema } from './market-catalogue';
import { CandleDemandSchema, CandleHistorySchema, CandleMessageSchema, CandleStateMessageSchema, CandleUpdateSchema } from './candles';
import { SimFaultSchema } from './sim-faults';
import { BrokerFaultSchema } from './broker-faults';
import { DataSourceSchema, ExchangeStatusSchema, OutageSchema, ProcessVitalsSchema, SubscriptionStatusSchema, TerminalLoadSchema } from './status';
import { isFrameAck } from './hot-acks';

/** Levels per side a depth view may carry (the streaming process sends at most bookDepth ≤ 100). */
export const MAX_DEPTH_LEVELS = 100;
/** Trades and gaps per frame: the newest are kept (the tape shows fewer rows than this). */
export const MAX_TAPE_TRADES = 500;
export const MAX_TAPE_GAPS = 50;
/**
 * Candle messages a frame may carry (applied before its rows: the chart redraws in the
 * frame that paints the ticks). More waiting than this go as messages of their own.
 */
export const MAX_FRAME_CANDLES = 64;
/**
 * Focused instruments per renderer: one per link (four colour groups and "none"),
 * each painted by that link's ladder and tape.
 */
export const MAX_FOCUSED = LINKS.length;

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
    source: DataSourceSchema,
  })
  .strict();
export type TickerRow = z.infer<typeof TickerRowSchema>;

/** The focused instrument's book as the ladder draws it: the top levels, its sync state and update id. */
export const DepthViewSchema = z
  .object({
    key: z.string(),
    state: z.enum(BOOK_STATES),
    updateId: z.number().nullable(),
    /** Exchange event time of the book (null when the exchange gave none). */
    eventTime: z.number().nullable(),
    receivedAt: z.number(),
    source: z.enum(['ws', 'rest']),
    bids: z.array(z.tuple([z.number(), z.number()])).max(MAX_DEPTH_LEVELS),
    asks: z.array(z.tuple([z.number(), z.number()])).max(MAX_DEPTH_LEVELS),
  })
  .strict();
export type DepthView = z.infer<typeof DepthViewSchema>;

/** One trade on the tape: [price, amount, side (1 buy, -1 sell, 0 unknown), exchange time, from REST (1) or the socket (0)]. */
export const TapeTradeSchema = z.tuple([z.number(), z.number(), z.number().int().min(-1).max(1), z.number(), z.number().int().min(0).max(1)]);
export type TapeTrade = z.infer<typeof TapeTradeSchema>;

/** A hole in the tape: shown where it was, with how long and how much REST recovered. */
export const TapeGapViewSchema = z
  .object({
    fromId: z.string().max(64),
    toId: z.string().max(64),
    /** Trades missing by the ids; null when the exchange's ids do not say. */
    missing: z.number().int().positive().nullable(),
    recovered: z.number().int().min(0),
    startedAt: z.number(),
    endedAt: z.number(),
    cause: z.enum(GAP_CAUSES),
  })
  .strict();
export type TapeGapView = z.infer<typeof TapeGapViewSchema>;

/** The focused instrument's trades since the previous frame (oldest first), or its recent tape when `reset`. */
export const TapeViewSchema = z
  .object({
    key: z.string(),
    reset: z.boolean(),
    trades: z.array(TapeTradeSchema).max(MAX_TAPE_TRADES),
    ids: z.array(z.string().max(64)).max(MAX_TAPE_TRADES),
    gaps: z.array(TapeGapViewSchema).max(MAX_TAPE_GAPS),
  })
  .strict()
  .refine((t) => t.ids.length === t.trades.length, 'one id per trade');
export type TapeView = z.infer<typeof TapeViewSchema>;

export const ComponentProgressSchema = z
  .object({
    name: z.string(),
    state: z.enum(COMPONENT_STATES),
    /** ms spent in the current/last stop, when stopping has begun. */
    elapsedMs: z.number().optional(),
    error: z.string().optional(),
  })
  .strict();
export type ComponentProgress = z.infer<typeof ComponentProgressSchema>;

export const ShutdownProgressSchema = z
  .object({
    phase: z.enum(SHUTDOWN_PHASES),
    trigger: z.string(),
    startedAt: z.number(),
    deadlineMs: z.number(),
    components: z.array(ComponentProgressSchema),
    escalations: z.array(z.string()),
  })
  .strict();
export type ShutdownProgress = z.infer<typeof ShutdownProgressSchema>;

/**
 * Input the engine refused at its boundaries since start. Each refusal is also
 * logged once per episode; these totals let the trader see it without the log.
 */
export const RefusedInputSchema = z
  .object({
    /** Malformed market-data entries (bad prices, sizes, times, book levels) from the streaming process. */
    marketEntries: z.number().int().min(0),
    /** Messages from the streaming process that failed the contract. */
    streamingMessages: z.number().int().min(0),
    /** Requests from renderers that failed the contract. */
    rendererMessages: z.number().int().min(0),
    /** Frames a renderer refused (nack) or left unanswered past the ack timeout; each made the engine resend every row. */
    frameNacks: z.number().int().min(0),
    ackTimeouts: z.number().int().min(0),
  })
  .strict();
export type RefusedInput = z.infer<typeof RefusedInputSchema>;

export const EngineDiagnosticsSchema = z
  .object({
    at: z.number(),
    streaming: z
      .object({
        vitals: ProcessVitalsSchema.optional(),
        restarts: z.number().int().min(0),
        state: z.enum(STREAMING_STATES),
        lastRestartReason: z.string().optional(),
      })
      .strict(),
    /** Event bus handlers per event type in main. */
    handlers: z.record(z.string(), z.number().int().min(0)),
    components: z.array(ComponentProgressSchema),
    ipc: z.object({ batchesInPerSec: z.number(), framesOutPerSec: z.number(), ticksInPerSec: z.number() }).strict(),
    /** The terminal under load (offered vs processed, coalesced, shed, behind, process lags). */
    load: TerminalLoadSchema.optional(),
    refused: RefusedInputSchema.optional(),
  })
  .strict();
export type EngineDiagnostics = z.infer<typeof EngineDiagnosticsSchema>;

// ---- main → renderer ------------------------------------------------------------

function distinctKeys(views: readonly { key: string }[]): boolean {
  return new Set(views.map((v) => v.key)).size === views.length;
}

export const ToRendererSchema = z.discriminatedUnion('type', [
  /** First message: everything needed to draw the screen. */
  z.object({
    type: z.literal('hello'),
    host: z.enum(HOST_KINDS),
    settings: SettingsSchema,
    rows: z.array(TickerRowSchema),
  }).strict(),
  /** Coalesced ticker changes; at most one in flight until the renderer acks or nacks it (or main's ack timeout passes). */
  z.object({
    type: z.literal('frame'),
    seq: z.number().int(),
    sentAt: z.number(),
    rows: z.array(TickerRowSchema),
    /** The books of this renderer's focused instruments that changed since the previous frame, one per instrument. */
    depths: z.array(DepthViewSchema).min(1).max(MAX_FOCUSED).refine(distinctKeys, 'one depth per instrument').optional(),
    /** Their new trades and gap markers since the previous frame, one tape per instrument. */
    tapes: z.array(TapeViewSchema).min(1).max(MAX_FOCUSED).refine(distinctKeys, 'one tape per instrument').optional(),
    /**
     * The charts' candle messages that waited for this frame, in order. In the frame, not
     * beside it: two messages are two tasks, and the browser may paint between them (the
     * chart's redraw in a frame of its own, the rows in the next).
     */
    candles: z.array(CandleMessageSchema).min(1).max(MAX_FRAME_CANDLES).optional(),
  }).strict(),
  z.object({ type: z.literal('status'), exchanges: z.array(ExchangeStatusSchema), subscriptions: z.array(SubscriptionStatusSchema) }).strict(),
  z.object({ type: z.literal('diagnostics'), diagnostics: EngineDiagnosticsSchema }).strict(),
  z.object({ type: z.literal('timeline'), outages: z.array(OutageSchema) }).strict(),
  z.object({ type: z.literal('settings'), settings: SettingsSchema }).strict(),
  z.object({ type: z.literal('shutdown'), progress: ShutdownProgressSchema }).strict(),
  /** Answer to a `markets` request: the catalogue of every enabled exchange whose markets have loaded. */
  z.object({ type: z.literal('markets'), catalogues: z.array(ExchangeMarketsSchema).max(32) }).strict(),
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

// The exchange's own notation (ccxt, IB, Futu) is checked against its kind by addToWatchlist.
const symbol = z
  .string()
  .max(64, 'at most 64 characters')
  .superRefine((v, ctx) => {
    const error = checkAnyNotation(v);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  });

export const FromRendererSchema = z.discriminatedUnion('type', [
  /**
   * The renderer painted frame `seq`; main may send the next one. `frameTime`: when
   * the animation frame that painted it began (ms since epoch). Its grid lets main
   * send the next frame just before the renderer's next paint.
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
  /**
   * The ladder and tape of link `group` ("none": the unlinked ones) follow this
   * instrument (a watchlist row); main subscribes its book and trades for this
   * renderer and group, and its next frame carries the whole book and recent tape.
   */
  z.object({ type: z.literal('focus'), group: z.enum(LINKS), focus: FocusSchema }).strict(),
  /** No ladder or tape of this renderer is in `group` any more: its book and trades are released. */
  z.object({ type: z.literal('unfocus'), group: z.enum(LINKS) }).strict(),
  /** The workspaces (layouts, panels, link groups), saved in settings.ui.workspaces; a refused one keeps the saved ones. */
  z.object({ type: z.literal('set-workspaces'), workspaces: WorkspacesSchema }).strict(),
  /** Desktop app: open this panel of the active workspace in a window of its own (following the same link group). */
  z.object({ type: z.literal('popout'), panel: PanelIdSchema }).strict(),
  /** Panel options, remembered in settings. */
  z.object({ type: z.literal('set-panels'), ladder: LadderSettingsSchema.optional(), tape: TapeSettingsSchema.optional() }).strict(),
  /**
   * This renderer shows (or stopped showing) the diagnostics panel: main sends full
   * diagnostics only while at least one renderer does.
   */
  z.object({ type: z.literal('diagnostics-visible'), visible: z.boolean() }).strict(),
  /** The symbol search opened: send the market catalogue (never part of the hello: it is large). */
  z.object({ type: z.literal('markets') }).strict(),
  /** Quit; `force` skips to the force phase ("Quit now"). */
  z.object({ type: z.literal('quit'), force: z.boolean() }).strict(),
  /** Developer menu: inject a simulator fault (ignored unless ui.devMenu is on). */
  z.object({ type: z.literal('sim-fault'), fault: SimFaultSchema }).strict(),
  /** Developer menu: inject a fault into the TWS or OpenD stand-in (ignored unless ui.devMenu is on). */
  z.object({ type: z.literal('broker-fault'), fault: BrokerFaultSchema }).strict(),
  z.object({ type: z.literal('log'), level: z.enum(['error', 'warn', 'info']), message: z.string().max(4000) }).strict(),
  /** A chart opens or closes a candle series; `consumer` names the chart within this renderer. */
  CandleDemandSchema,
]);
export type FromRenderer = z.infer<typeof FromRendererSchema>;

/** Validates anything received from a renderer (its per-frame frame-ack by hand, see hot-acks.ts). */
export function parseFromRenderer(m: unknown): { ok: true; value: FromRenderer } | { ok: false; error: string } {
  if (isFrameAck(m)) return { ok: true, value: m };
  const r = FromRendererSchema.safeParse(m);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

/** What the renderer sees, from the preload or the headless bridge. */
export interface FoxtrotApi {
  readonly host: HostKind;
  /** Subscribe to messages from main; returns the unsubscribe function. */
  onMessage(listener: (message: ToRenderer) => void): () => void;
  send(message: FromRenderer): void;
}

export const RENDERER_CHANNEL = 'foxtrot:message';
