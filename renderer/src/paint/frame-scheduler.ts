// Flow control between main's frames and the screen. Main sends a frame only after
// the previous one was acked; each frame is written into the row store at once and
// the next animation frame paints the dirty rows and acks. So at most one frame
// message is handled per painted frame, and the ack waits for nothing but the paint.
import type { TickerRow } from '../../../shared/contract/renderer-api';
import type { ApplyStats } from '../state/row-store';

export interface PaintedFrame {
  /** Seq of the frame acked by this paint (the latest applied since the last paint). */
  seq: number;
  /** rAF timestamp of the paint on the performance.now() timeline. */
  frameTime: number;
  /** clock() when painting finished (the rAF timestamp can lag the actual run). */
  doneTime: number;
  receivedAtMin: number;
  receivedAtMax: number;
  /** Rows applied from frame messages since the previous paint. */
  rows: number;
  /** Time spent applying those rows plus painting (ms). */
  scriptMs: number;
  /** When main sent the acked frame message (its sentAt; NaN: not given). */
  sentAt: number;
  /**
   * When the acked frame message had been applied (deps.clock, the performance.now()
   * timeline): frameTime minus this is how long before the animation frame began the
   * update was ready, negative when it came after the frame had begun (the send slot's
   * lead was too short for it).
   */
  appliedAt: number;
}

export interface FrameSchedulerDeps {
  /** requestAnimationFrame (or a stand-in): calls back once with the frame timestamp. */
  requestFrame(callback: (frameTime: number) => void): void;
  /** Monotonic clock (performance.now) for scriptMs. */
  clock(): number;
  /** Writes rows into the store. */
  apply(rows: readonly TickerRow[]): ApplyStats;
  /** Paints dirty rows, or every row when `all` (periodic age refresh). */
  paint(all: boolean): void;
  /** `frameTime`: the animation frame's timestamp (performance.now() based). */
  ack(seq: number, frameTime: number): void;
  onPainted?(frame: PaintedFrame): void;
}

export class FrameScheduler {
  private requested = false;
  private pendingSeq: number | null = null;
  private repaintAll = false;
  private rows = 0;
  private receivedAtMin = Infinity;
  private receivedAtMax = -Infinity;
  private applyMs = 0;
  private appliedAt = NaN;
  private sentAt = NaN;

  constructor(private readonly deps: FrameSchedulerDeps) {}

  /** A 'frame' message (sent by main at `sentAt`) arrived: store its rows now, paint and ack on the next frame. */
  onFrame(seq: number, rows: readonly TickerRow[], sentAt = NaN): void {
    const t0 = this.deps.clock();
    const stats = this.deps.apply(rows);
    this.appliedAt = this.deps.clock();
    this.sentAt = sentAt;
    this.applyMs += this.appliedAt - t0;
    this.rows += stats.rows;
    if (stats.receivedAtMin < this.receivedAtMin) this.receivedAtMin = stats.receivedAtMin;
    if (stats.receivedAtMax > this.receivedAtMax) this.receivedAtMax = stats.receivedAtMax;
    this.pendingSeq = seq;
    this.request();
  }

  /** Something other than a frame changed rows (status, age clock): paint on the next frame. */
  invalidate(all = false): void {
    if (all) this.repaintAll = true;
    this.request();
  }

  /** A new session (hello): forget any unacked frame of the previous connection. */
  reset(): void {
    this.pendingSeq = null;
    this.resetStats();
    this.invalidate(true);
  }

  private request(): void {
    if (this.requested) return;
    this.requested = true;
    this.deps.requestFrame((frameTime) => this.run(frameTime));
  }

  private run(frameTime: number): void {
    this.requested = false;
    const t0 = this.deps.clock();
    const all = this.repaintAll;
    this.repaintAll = false;
    try {
      this.deps.paint(all);
    } finally {
      // Ack even if painting threw: a lost ack would stall the stream for good.
      this.finish(frameTime, t0);
    }
  }

  private finish(frameTime: number, t0: number): void {
    const doneTime = this.deps.clock();
    const scriptMs = this.applyMs + (doneTime - t0);
    const seq = this.pendingSeq;
    if (seq === null) return;
    this.pendingSeq = null;
    this.deps.ack(seq, frameTime);
    this.deps.onPainted?.({
      seq,
      frameTime,
      doneTime,
      receivedAtMin: this.receivedAtMin,
      receivedAtMax: this.receivedAtMax,
      rows: this.rows,
      scriptMs,
      sentAt: this.sentAt,
      appliedAt: this.appliedAt,
    });
    this.resetStats();
  }

  private resetStats(): void {
    this.rows = 0;
    this.receivedAtMin = Infinity;
    this.receivedAtMax = -Infinity;
    this.applyMs = 0;
  }
}
