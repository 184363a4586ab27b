// Every message between the engine (main process) and the streaming process.
// Control messages are validated with zod where they are received; the tick batch,
// the one hot message, has its own O(1) validator (tick-batch.ts), and the candle
// messages it carries are validated one by one (parseCandleMessage).
import { z } from 'zod';
import { LOG_LEVELS } from '../log/levels';
import { CHANNELS } from '../market';
import { ExchangeSettingsSchema, StreamingTuningSchema } from '../settings';
import { ExchangeMarketsSchema } from './market-catalogue';
import { ConnectionEventSchema, ExchangeStatusSchema, OutageSchema, ProcessVitalsSchema, SubscriptionStatusSchema } from './status';
import { CandleDemandSchema, CandleMessageSchema, type CandleMessage } from './candles';
import { validateTickBatch, type TickBatch } from './tick-batch';
import { isTicksAck } from './hot-acks';

export const SubscriptionKeySchema = z
  .object({ exchange: z.string().min(1), symbol: z.string().min(1), channel: z.enum(CHANNELS) })
  .strict();

/** An exchange as the streaming process needs it: settings with endpoints resolved. */
export const StreamingExchangeSchema = ExchangeSettingsSchema;

// ---- engine → streaming process ----------------------------------------------

export const ToStreamingSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('configure'),
    exchanges: z.array(StreamingExchangeSchema),
    streaming: StreamingTuningSchema,
    /** pid of the parent; the streaming process exits when it disappears. */
    parentPid: z.number().int(),
    /** Heartbeat period (ms) the supervisor expects. */
    heartbeatMs: z.number().int().positive(),
    /**
     * The engine acknowledges tick batches (ticks-ack) and allows this many in flight;
     * absent: it does not acknowledge, and batches are sent without a window.
     */
    ackWindow: z.number().int().min(1).max(1024).optional(),
  }).strict(),
  /** Every tick batch up to `seq` has been applied (one per engine turn, not per batch). */
  z.object({ type: z.literal('ticks-ack'), seq: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('subscribe'), subs: z.array(SubscriptionKeySchema) }).strict(),
  z.object({ type: z.literal('unsubscribe'), subs: z.array(SubscriptionKeySchema) }).strict(),
  /** Stop accepting work, unsubscribe, close clients, report and exit within deadlineMs. */
  z.object({ type: z.literal('shutdown'), deadlineMs: z.number().int().positive() }).strict(),
  /** A chart opens or closes a candle series (reference-counted by consumer). */
  CandleDemandSchema,
]);
export type ToStreaming = z.infer<typeof ToStreamingSchema>;

// ---- streaming process → engine ----------------------------------------------

export const LogRecordSchema = z
  .object({
    level: z.enum(LOG_LEVELS),
    scope: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.unknown()).optional(),
    at: z.number(),
  })
  .strict();
export type LogRecord = z.infer<typeof LogRecordSchema>;

export const ShutdownReportSchema = z
  .object({
    clean: z.boolean(),
    durationMs: z.number(),
    /** Tasks still running when the report was made (should be zero). */
    leftoverTasks: z.record(z.string(), z.number().int()),
    steps: z.array(z.object({ name: z.string(), ok: z.boolean(), ms: z.number(), error: z.string().optional() }).strict()),
  })
  .strict();
export type ShutdownReport = z.infer<typeof ShutdownReportSchema>;

const ControlFromStreamingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }).strict(),
  z.object({
    type: z.literal('heartbeat'),
    vitals: ProcessVitalsSchema,
    /** Heartbeats this process instance has sent, this one included: its event loop's progress. */
    progress: z.number().int().positive(),
    /** How late this heartbeat's timer fired (ms): how far behind the event loop is right now. */
    lagMs: z.number().min(0),
  }).strict(),
  /** Sent on change, coalesced to at most a few per second. */
  z.object({
    type: z.literal('status'),
    exchanges: z.array(ExchangeStatusSchema),
    subscriptions: z.array(SubscriptionStatusSchema),
  }).strict(),
  /** One exchange's whole market catalogue: once after its markets load, again only if they change. */
  z.object({ type: z.literal('markets'), catalogue: ExchangeMarketsSchema }).strict(),
  z.object({ type: z.literal('connection-events'), events: z.array(ConnectionEventSchema) }).strict(),
  z.object({ type: z.literal('outage'), outage: OutageSchema }).strict(),
  z.object({ type: z.literal('log'), records: z.array(LogRecordSchema) }).strict(),
  z.object({ type: z.literal('shutdown-report'), report: ShutdownReportSchema }).strict(),
  // Candle messages are not here: they travel in the tick batch (TickBatch.candles).
]);
export type ControlFromStreaming = z.infer<typeof ControlFromStreamingSchema>;
export type FromStreaming = ControlFromStreaming | TickBatch;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates anything received from the streaming process. */
export function parseFromStreaming(m: unknown): Parsed<FromStreaming> {
  if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ticks') {
    const err = validateTickBatch(m);
    return err ? { ok: false, error: `ticks: ${err}` } : { ok: true, value: m as TickBatch };
  }
  const r = ControlFromStreamingSchema.safeParse(m);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

/** Validates one of a tick batch's candle messages (the batch checks only that it has an array of them). */
export function parseCandleMessage(m: unknown): Parsed<CandleMessage> {
  const r = CandleMessageSchema.safeParse(m);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

/** Validates anything received from the engine (its per-turn ticks-ack by hand, see hot-acks.ts). */
export function parseToStreaming(m: unknown): Parsed<ToStreaming> {
  if (isTicksAck(m)) return { ok: true, value: m };
  const r = ToStreamingSchema.safeParse(m);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}
