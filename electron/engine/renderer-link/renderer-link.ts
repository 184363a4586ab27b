// The engine's side of every renderer connection (Electron windows, headless
// browser tabs). Tick rows are pushed with credit-based flow control: a client gets
// the next 'frame' only after it acked the previous one from its paint loop, so a
// renderer receives at most one update per painted frame.
//
// When to send: acks carry the time of the animation frame that painted, so the
// link knows the renderer's frame grid and sends just before its next paint (LEAD_MS
// ahead, for transit and parsing). Rows arriving up to that moment make the next
// paint: at most one frame plus the lead from socket to screen. Sending right after
// the ack instead would make rows arriving later in the frame wait almost two frames.
// Without a known grid (first frame, a renderer that does not say), it sends in the
// event-loop turn the data arrived. An idle screen keeps the wait too: sending a
// sparse stream's data at once saved the host a timer wake-up per frame, but the
// book diff arriving a few ms after the tickers then needed a frame of its own
// (bench idle: 4.2 -> 5.0-5.6 frames/s), and a renderer frame costs far more.
//
// Candle messages for the charts wait for the same send slot and go inside the frame
// (live updates of one series coalesced to the newest): sent at once, they reached
// the page between the tick frames and the chart redrew in a frame of its own (bench
// idle: 18 of the page's 64 frames in 5 s); sent as messages of their own just before
// the frame, the page still painted between the two tasks now and then (idle trace:
// 59 frames in 10 s for ~40 data frames; 43 inside it).
//
// A renderer that cannot apply a frame nacks it; one that never answers (lost
// message, wedged page) runs into the ack timeout. Either way the credit comes back
// and the renderer gets the full current state of every row, so its screen never
// keeps showing old data as live. Both are counted, and reported once per episode.
import { MAX_FRAME_CANDLES, parseFromRenderer, type DepthView, type FromRenderer, type TapeView, type TickerRow, type ToRenderer } from '../../../shared/contract/renderer-api';
import { candleKeyId, type CandleMessage } from '../../../shared/contract/candles';
import { systemScheduler, type Scheduler } from '../lifecycle/scheduler';
import { nextTurn } from '../../../shared/lifecycle/timers';

/** A connected renderer, as the host transport gives it to the engine. */
export interface RendererClient {
  readonly id: string;
  send(message: ToRenderer): void;
}

/** What a transport (Electron IPC, the headless WebSocket) tells the engine about its renderers. */
export interface RendererConnectionHandlers {
  attach(client: RendererClient): void;
  detach(clientId: string): void;
  receive(clientId: string, message: unknown): void;
}

interface ClientState {
  client: RendererClient;
  dirty: Set<string>;
  seq: number;
  /** Seq of the frame sent and not yet acked, or -1. */
  awaiting: number;
  /** Start of the renderer's last painting animation frame (ms since epoch), if known. */
  frameTime: number | undefined;
  /** Frame period (ms) the send slots are laid on. */
  periodMs: number;
  /** Cancels the pending just-in-time (or post-nack) send. */
  timer: (() => void) | undefined;
  /** Cancels the ack timeout of the frame in flight. */
  ackTimer: (() => void) | undefined;
  /** Nacks and timeouts in the current trouble episode (both 0: none running). */
  episodeNacks: number;
  episodeTimeouts: number;
  /** Candle messages for the next send slot, in order. */
  candles: CandleMessage[];
}

/** How long before the renderer's next frame its update is sent (transit + parse). */
export const LEAD_MS = 5;
/**
 * Slots are laid on a 60 Hz grid anchored at the last reported frame. Not estimated
 * from acks: acks come only for frames that painted an update, so their spacing is a
 * multiple of the period and an estimate would drift to 30 Hz and stay there. On a
 * faster display every slot still falls just before a frame.
 */
const DEFAULT_PERIOD_MS = 1000 / 60;

/** How long a frame may go unanswered before the link takes its credit back. */
export const ACK_TIMEOUT_MS = 2000;
/**
 * After a nack the full state is resent no sooner than this: a renderer that keeps
 * refusing would otherwise ping-pong frames with main as fast as IPC allows.
 */
export const NACK_RESEND_DELAY_MS = 250;

/**
 * A run of unanswered or refused frames for one renderer: 'began' with the first
 * (its kind, and the renderer's reason for a nack), 'ended' at the next good ack
 * with what the episode counted.
 */
export type FrameTroubleEpisode =
  | { phase: 'began'; kind: 'nack' | 'timeout'; seq: number; reason?: string }
  | { phase: 'ended'; nacks: number; timeouts: number };

/** Renderer replies to frames: handled by the link itself, never passed on as requests. */
type FrameReply = Extract<FromRenderer, { type: 'frame-ack' | 'frame-nack' }>;
export type RendererRequest = Exclude<FromRenderer, FrameReply>;

export interface RendererLinkOptions {
  rows: (key: string) => TickerRow | undefined;
  /** Keys of every row: what a renderer gets again after a nack or an ack timeout. */
  allKeys: () => Iterable<string>;
  /** Everything a new renderer needs to draw its first screen. */
  greet: (client: RendererClient) => ToRenderer[];
  onRequest: (client: RendererClient, request: RendererRequest) => void;
  onInvalid: (client: RendererClient, error: string) => void;
  onFrameTrouble?: (client: RendererClient, episode: FrameTroubleEpisode) => void;
  /**
   * The focused instruments' depths and tapes for this client's next frame (called with
   * the keys the frame covers), and a reset of its positions after a frame it may have missed.
   */
  focus?: {
    frame: (clientId: string, dirty: ReadonlySet<string>) => { depths?: DepthView[] | undefined; tapes?: TapeView[] | undefined } | undefined;
    resend: (clientId: string) => void;
  };
  /** Time for the ack timeout and the just-in-time sends (tests inject a fake one). */
  scheduler?: Scheduler;
  ackTimeoutMs?: number;
  nackResendDelayMs?: number;
}

export class RendererLink {
  private readonly clients = new Map<string, ClientState>();
  private flushScheduled = false;
  private cancelFlush: (() => void) | undefined;
  private closed = false;
  private readonly scheduler: Scheduler;
  private readonly ackTimeoutMs: number;
  private readonly nackResendDelayMs: number;
  framesSent = 0;
  /** Frames renderers refused, and frames they left unanswered past the timeout (all renderers). */
  frameNacks = 0;
  ackTimeouts = 0;
  /** When false (shutdown signal phase), requests other than quit are refused. */
  acceptingWork = true;

  constructor(private readonly opts: RendererLinkOptions) {
    this.scheduler = opts.scheduler ?? systemScheduler;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.nackResendDelayMs = opts.nackResendDelayMs ?? NACK_RESEND_DELAY_MS;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Rows waiting to be sent (all renderers) and renderers with a frame unanswered: backlog figures. */
  queueDepths(): { dirty: number; awaiting: number } {
    let dirty = 0;
    let awaiting = 0;
    for (const st of this.clients.values()) {
      dirty += st.dirty.size;
      if (st.awaiting !== -1) awaiting++;
    }
    return { dirty, awaiting };
  }

  attach(client: RendererClient): void {
    this.clients.set(client.id, {
      client, dirty: new Set(), seq: 0, awaiting: -1, frameTime: undefined, periodMs: DEFAULT_PERIOD_MS,
      timer: undefined, ackTimer: undefined, episodeNacks: 0, episodeTimeouts: 0, candles: [],
    });
    for (const m of this.opts.greet(client)) client.send(m);
  }

  detach(clientId: string): void {
    const st = this.clients.get(clientId);
    if (st) cancelTimers(st);
    this.clients.delete(clientId);
  }

  /** Validates and handles one message from a renderer. */
  receive(clientId: string, raw: unknown): void {
    const st = this.clients.get(clientId);
    if (!st) return;
    const parsed = parseFromRenderer(raw);
    if (!parsed.ok) {
      this.opts.onInvalid(st.client, parsed.error);
      return;
    }
    const m = parsed.value;
    if (m.type === 'frame-ack') {
      // A stale ack (a frame already timed out and resent) does not release the credit.
      if (m.seq !== st.awaiting) return;
      this.answered(st);
      if (st.episodeNacks + st.episodeTimeouts > 0) {
        this.opts.onFrameTrouble?.(st.client, { phase: 'ended', nacks: st.episodeNacks, timeouts: st.episodeTimeouts });
        st.episodeNacks = 0;
        st.episodeTimeouts = 0;
      }
      if (m.frameTime !== undefined) noteFrame(st, m.frameTime);
      if (hasWaiting(st)) this.scheduleFlush();
      return;
    }
    if (m.type === 'frame-nack') {
      if (m.seq !== st.awaiting) return;
      this.answered(st);
      this.frameNacks++;
      if (st.episodeNacks++ + st.episodeTimeouts === 0) this.opts.onFrameTrouble?.(st.client, { phase: 'began', kind: 'nack', seq: m.seq, reason: m.reason });
      this.resync(st);
      if (this.closed || st.timer) return;
      st.timer = this.scheduler.setTimeout(() => {
        st.timer = undefined;
        if (this.clients.get(st.client.id) === st) this.send(st);
      }, this.nackResendDelayMs);
      return;
    }
    if (!this.acceptingWork && m.type !== 'quit' && m.type !== 'log') {
      st.client.send({ type: 'notice', level: 'warn', message: 'Shutting down: request ignored.' });
      return;
    }
    this.opts.onRequest(st.client, m);
  }

  markDirty(key: string): void {
    for (const st of this.clients.values()) st.dirty.add(key);
    this.scheduleFlush();
  }

  /** One client's next frame covers `key` (its focus changed). */
  markDirtyFor(clientId: string, key: string): void {
    const st = this.clients.get(clientId);
    if (!st) return;
    st.dirty.add(key);
    this.scheduleFlush();
  }

  broadcast(message: ToRenderer): void {
    for (const st of this.clients.values()) st.client.send(message);
  }

  /** A candle message for every renderer, sent with its next frame (at its send slot, after its credit is back). */
  sendWithFrame(message: CandleMessage): void {
    for (const st of this.clients.values()) queueCandle(st.candles, message);
    this.scheduleFlush();
  }

  /** Stops scheduling frames and cancels every timer (shutdown). */
  close(): void {
    this.closed = true;
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.flushScheduled = false;
    for (const st of this.clients.values()) cancelTimers(st);
  }

  /** The frame in flight was acked or nacked: the credit is back. */
  private answered(st: ClientState): void {
    st.awaiting = -1;
    st.ackTimer?.();
    st.ackTimer = undefined;
  }

  private ackTimedOut(st: ClientState, seq: number): void {
    st.ackTimer = undefined;
    if (st.awaiting !== seq || this.clients.get(st.client.id) !== st) return;
    st.awaiting = -1;
    this.ackTimeouts++;
    if (st.episodeNacks + st.episodeTimeouts++ === 0) this.opts.onFrameTrouble?.(st.client, { phase: 'began', kind: 'timeout', seq });
    this.resync(st);
    // Already on a timer turn, not in the middle of a burst of batches: no need to wait for one.
    this.flushClient(st, this.scheduler.now());
  }

  /** The renderer may have missed any earlier frame: its next one carries every row. */
  private resync(st: ClientState): void {
    for (const key of this.opts.allKeys()) st.dirty.add(key);
    this.opts.focus?.resend(st.client.id);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    // nextTurn (setImmediate) runs after the I/O callbacks of this turn: every
    // batch that arrived in the same turn lands in one frame.
    this.cancelFlush = nextTurn(() => {
      this.flushScheduled = false;
      this.cancelFlush = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const t = this.scheduler.now();
    for (const st of this.clients.values()) this.flushClient(st, t);
  }

  /** Sends now, or arms the just-in-time send for the slot before the renderer's next paint. */
  private flushClient(st: ClientState, t: number): void {
    if (st.awaiting !== -1 || !hasWaiting(st) || st.timer || this.closed) return;
    const wait = sendDelay(st, t);
    if (wait > 1) {
      st.timer = this.scheduler.setTimeout(() => {
        st.timer = undefined;
        if (this.clients.get(st.client.id) === st) this.send(st);
      }, wait);
      return;
    }
    this.send(st);
  }

  private send(st: ClientState): void {
    if (st.awaiting !== -1 || this.closed) return;
    const rows: TickerRow[] = [];
    for (const key of st.dirty) {
      const row = this.opts.rows(key);
      if (row) rows.push(row);
    }
    const focus = st.dirty.size > 0 ? this.opts.focus?.frame(st.client.id, st.dirty) : undefined;
    st.dirty.clear();
    const hasFrame = rows.length > 0 || Boolean(focus?.depths) || Boolean(focus?.tapes);
    // The candles ride in the frame (the page applies them before it paints its rows);
    // with no frame to send, or more than a frame carries, they go on their own, first.
    const candles = st.candles.splice(0);
    const candlesInFrame = hasFrame && candles.length > 0 && candles.length <= MAX_FRAME_CANDLES;
    if (!candlesInFrame) for (const m of candles) st.client.send(m);
    if (!hasFrame) return;
    const seq = ++st.seq;
    st.awaiting = seq;
    this.framesSent++;
    st.ackTimer = this.scheduler.setTimeout(() => this.ackTimedOut(st, seq), this.ackTimeoutMs);
    const frame: Extract<ToRenderer, { type: 'frame' }> = { type: 'frame', seq, sentAt: this.scheduler.now(), rows };
    if (focus?.depths) frame.depths = focus.depths;
    if (focus?.tapes) frame.tapes = focus.tapes;
    if (candlesInFrame) frame.candles = candles;
    st.client.send(frame);
  }
}

/**
 * Appends `m`. A live update replaces the waiting update of the same candle (its
 * series' last message): a candle that closed meanwhile keeps its final state, and
 * nothing moves across a history or state message of the series.
 */
export function queueCandle(queue: CandleMessage[], m: CandleMessage): void {
  if (m.type === 'candle-update') {
    const id = candleKeyId(m.key);
    for (let i = queue.length - 1; i >= 0; i--) {
      const q = queue[i]!;
      if (candleKeyId(q.key) !== id) continue;
      if (q.type === 'candle-update' && q.candle.t === m.candle.t) {
        queue[i] = m;
        return;
      }
      break;
    }
  }
  queue.push(m);
}

/** Rows or candle messages wait for the client's next send. */
function hasWaiting(st: ClientState): boolean {
  return st.dirty.size > 0 || st.candles.length > 0;
}

function cancelTimers(st: ClientState): void {
  st.timer?.();
  st.timer = undefined;
  st.ackTimer?.();
  st.ackTimer = undefined;
}

/** Anchors the send slots at the frame the renderer last painted in. */
function noteFrame(st: ClientState, frameTime: number): void {
  st.frameTime = frameTime;
}

/** ms to wait so the update arrives LEAD_MS before the renderer's next frame; 0 = now. */
export function sendDelay(st: Pick<ClientState, 'frameTime' | 'periodMs'>, t: number): number {
  if (st.frameTime === undefined) return 0;
  const p = st.periodMs;
  const next = st.frameTime + p * Math.ceil((t + LEAD_MS - st.frameTime) / p);
  return Math.max(0, next - LEAD_MS - t);
}
