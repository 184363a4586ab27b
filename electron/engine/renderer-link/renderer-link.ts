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
// event-loop turn the data arrived.
import { FromRendererSchema, type FromRenderer, type TickerRow, type ToRenderer } from '../../../shared/contract/renderer-api';
import { now } from '../../../shared/clock';
import { z } from 'zod';

/** A connected renderer, as the host transport gives it to the engine. */
export interface RendererClient {
  readonly id: string;
  send(message: ToRenderer): void;
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
  /** Pending just-in-time send. */
  timer: ReturnType<typeof setTimeout> | undefined;
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

export interface RendererLinkOptions {
  rows: (key: string) => TickerRow | undefined;
  /** Everything a new renderer needs to draw its first screen. */
  greet: (client: RendererClient) => ToRenderer[];
  onRequest: (client: RendererClient, request: Exclude<FromRenderer, { type: 'frame-ack' }>) => void;
  onInvalid: (client: RendererClient, error: string) => void;
}

export class RendererLink {
  private readonly clients = new Map<string, ClientState>();
  private flushScheduled = false;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  framesSent = 0;
  /** When false (shutdown signal phase), requests other than quit are refused. */
  acceptingWork = true;

  constructor(private readonly opts: RendererLinkOptions) {}

  get clientCount(): number {
    return this.clients.size;
  }

  attach(client: RendererClient): void {
    this.clients.set(client.id, { client, dirty: new Set(), seq: 0, awaiting: -1, frameTime: undefined, periodMs: DEFAULT_PERIOD_MS, timer: undefined });
    for (const m of this.opts.greet(client)) client.send(m);
  }

  detach(clientId: string): void {
    const st = this.clients.get(clientId);
    if (st?.timer) clearTimeout(st.timer);
    this.clients.delete(clientId);
  }

  /** Validates and handles one message from a renderer. */
  receive(clientId: string, raw: unknown): void {
    const st = this.clients.get(clientId);
    if (!st) return;
    const parsed = FromRendererSchema.safeParse(raw);
    if (!parsed.success) {
      this.opts.onInvalid(st.client, z.prettifyError(parsed.error));
      return;
    }
    const m = parsed.data;
    if (m.type === 'frame-ack') {
      if (m.seq === st.awaiting) {
        st.awaiting = -1;
        if (m.frameTime !== undefined) noteFrame(st, m.frameTime);
        if (st.dirty.size) this.scheduleFlush();
      }
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

  broadcast(message: ToRenderer): void {
    for (const st of this.clients.values()) st.client.send(message);
  }

  /** Stops scheduling frames (shutdown). */
  close(): void {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.flushScheduled = false;
    for (const st of this.clients.values()) {
      if (st.timer) clearTimeout(st.timer);
      st.timer = undefined;
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every batch that
    // arrived in the same turn lands in one frame.
    this.immediate = setImmediate(() => {
      this.flushScheduled = false;
      this.immediate = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const t = now();
    for (const st of this.clients.values()) {
      if (st.awaiting !== -1 || st.dirty.size === 0 || st.timer) continue;
      const wait = sendDelay(st, t);
      if (wait > 1) {
        st.timer = setTimeout(() => {
          st.timer = undefined;
          if (this.clients.get(st.client.id) === st) this.send(st);
        }, wait);
        continue;
      }
      this.send(st);
    }
  }

  private send(st: ClientState): void {
    if (st.awaiting !== -1 || st.dirty.size === 0) return;
    const rows: TickerRow[] = [];
    for (const key of st.dirty) {
      const row = this.opts.rows(key);
      if (row) rows.push(row);
    }
    st.dirty.clear();
    if (rows.length === 0) return;
    const seq = ++st.seq;
    st.awaiting = seq;
    this.framesSent++;
    st.client.send({ type: 'frame', seq, sentAt: now(), rows });
  }
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
