// The engine's side of every renderer connection (Electron windows, headless
// browser tabs). Tick rows are pushed with credit-based flow control: a client gets
// the next 'frame' only after it acked the previous one from its paint loop, so a
// renderer receives at most one update per painted frame, and an idle renderer gets
// a frame in the same event-loop turn the data arrived (no added wait).
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
}

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
    this.clients.set(client.id, { client, dirty: new Set(), seq: 0, awaiting: -1 });
    for (const m of this.opts.greet(client)) client.send(m);
  }

  detach(clientId: string): void {
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

  markAllDirty(keys: Iterable<string>): void {
    for (const k of keys) this.markDirty(k);
  }

  broadcast(message: ToRenderer): void {
    for (const st of this.clients.values()) st.client.send(message);
  }

  /** Stops scheduling frames (shutdown). */
  close(): void {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.flushScheduled = false;
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
    for (const st of this.clients.values()) {
      if (st.awaiting !== -1 || st.dirty.size === 0) continue;
      const rows: TickerRow[] = [];
      for (const key of st.dirty) {
        const row = this.opts.rows(key);
        if (row) rows.push(row);
      }
      st.dirty.clear();
      if (rows.length === 0) continue;
      const seq = ++st.seq;
      st.awaiting = seq;
      this.framesSent++;
      st.client.send({ type: 'frame', seq, sentAt: now(), rows });
    }
  }
}
