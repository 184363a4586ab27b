// Benchmark instrumentation (only with ?perf=1): what was painted when, how long
// the script took, how often React committed and which long tasks happened.
// Exposed as window.__foxtrotPerf; arrays are bounded so a long run cannot grow them.
import { now } from '../../../shared/clock';

export interface PerfFrame {
  seq: number;
  /** Epoch ms of the paint: the rAF timestamp on shared/clock.ts's clock. */
  paintedAt: number;
  /**
   * Epoch ms when the paint finished. The rAF timestamp is the frame's start and
   * in headless Chromium was seen to lag the callback by 10+ ms, earlier than the
   * data's receipt; this one is taken from the clock right after painting.
   */
  paintDoneAt: number;
  receivedAtMin: number;
  receivedAtMax: number;
  rows: number;
  scriptMs: number;
  /** Streaming-process receipt time of the focused book painted in this frame; null: no new book. */
  depthReceivedAt: number | null;
  /** Exchange time of the oldest streamed trade painted on the tape in this frame; null: no new trade. */
  tradeTimeMin: number | null;
  /** Epoch ms when main sent the frame message this paint acked (main's clock; NaN: not said). */
  sentAt: number;
  /** Epoch ms when that message had been applied in the page (before paintedAt: ready before its frame began). */
  appliedAt: number;
}

export class PerfRecorder {
  /** The clock the stamps above are on, for a benchmark to compare with its own (bench/clock-offset.ts). */
  readonly now = now;
  readonly frames: PerfFrame[] = [];
  commits = 0;
  readonly longTasks: number[] = [];

  constructor(
    private readonly maxFrames = 20_000,
    private readonly maxLongTasks = 5_000,
  ) {}

  recordFrame(frame: PerfFrame): void {
    push(this.frames, frame, this.maxFrames);
  }

  recordCommit(): void {
    this.commits++;
  }

  recordLongTask(durationMs: number): void {
    push(this.longTasks, durationMs, this.maxLongTasks);
  }

  /** Clears in place, so references a benchmark already holds see the reset too. */
  reset(): void {
    this.frames.length = 0;
    this.longTasks.length = 0;
    this.commits = 0;
  }
}

function push<T>(list: T[], item: T, max: number): void {
  // Drop the oldest tenth at once rather than shifting on every push.
  if (list.length >= max) list.splice(0, Math.max(1, Math.floor(max / 10)));
  list.push(item);
}
