// The hot path's single exit: every watch loop and poller writes into ONE
// TickBatchWriter, and the batch leaves once per event-loop turn. The first
// write after a flush schedules a nextTurn (setImmediate), so a tick never waits for a
// timer, and a burst of ticks handled in one turn goes out as one message; a turn
// that runs longer than MAX_HOLD_MS with at least MIN_EARLY_TICKS waiting sends what
// it has so far and goes on, while the parent keeps up (see sendEarly).
// A writer that merges several messages into one row (IB sends a quote as 5–7 field
// messages) asks atFlush() to be called when the batch leaves, and writes its row
// then: once per turn instead of once per message, with no wait added.
// The chart series' messages ride in the batch too (candle()), in the order they were
// made; the candle service flushes its series at the batch's flush (atFlush), so a live
// candle leaves with the ticks of its turn instead of waking both processes on its own.
// Receipt stamps are kept in a preallocated buffer so that each batch can feed
// the processing-latency rings (receipt → batch sent) without allocating.
//
// Bounded, with a defined shedding order (docs/architecture.md, "Queues"):
// - credit window: when the parent acknowledges batches (configure.ackWindow), at most
//   that many are unacknowledged; while the window is full nothing is posted and the
//   pending batch keeps absorbing writes, so IPC never piles up behind a busy engine;
// - in the pending batch tickers and books coalesce to the newest per instrument;
// - trades are capped per batch (maxTrades); beyond the cap a trade is refused and
//   the caller counts it as shed for its instrument (trade() returns false). Shed, not
//   carried over: a carried-over backlog would need its own bound, and in a storm every
//   later trade would wait behind it; a shed trade is counted on its row and in the log.
import { now } from '../../shared/clock';
import { TickBatchWriter, type BookTop, type TickBatch, type TradeGap } from '../../shared/contract/tick-batch';
import type { CandleMessage } from '../../shared/contract/candles';
import type { LatencyRing } from './latency-ring';
import { nextTurn } from '../../shared/lifecycle/timers';

const NOTHING = (): void => undefined;

/** Receipt samples kept per batch; beyond this the rest of a burst is not sampled. */
const MAX_SAMPLES = 4096;
/**
 * How long a pending batch waits for the rest of its turn: a turn that handles a burst
 * of socket reads (an exchange's whole step of messages) can run for several ms, and
 * what it wrote first leaves once the batch has been held this long instead of at the
 * turn's end. Measured on this process's clock from when the batch's flush was
 * scheduled, not from receipt stamps: a backlog received earlier must not leave one
 * tick at a time.
 */
export const MAX_HOLD_MS = 1;
/**
 * Ticks a held batch must have before it leaves early: an early batch costs a message
 * and wakes the parent once more, worth it for a burst, not for the few in-phase
 * streams of a quiet screen (nine streams due at once, six tickers and the focused
 * book, tape and candles, took over 1 ms to handle on a slow machine and doubled the
 * batches of the idle benchmark).
 */
export const MIN_EARLY_TICKS = 16;
/** Trades one batch carries at most: ~450 KB of columns, far above a calm turn's few hundred. */
export const MAX_TRADES_PER_BATCH = 8192;

/**
 * What one session (identified by its processing-latency ring, which every row
 * target of the session shares) wrote into the sink, cumulative.
 */
export interface SinkTally {
  /** Ticks written (tickers, trades, books), before coalescing. */
  written: number;
  /** Tickers and books replaced by a newer one of the same instrument before they left. */
  coalesced: number;
  /** Trades refused at the per-batch cap. */
  shed: number;
}

export interface TickSinkOptions {
  maxTrades?: number;
  /** The flush scheduler (tests: a manual turn queue). */
  schedule?: (fn: () => void) => void;
  clock?: () => number;
}

export class TickSink {
  private readonly writer = new TickBatchWriter();
  private scheduled = false;
  private closed = false;
  private readonly rx = new Float64Array(MAX_SAMPLES);
  private readonly rings: (LatencyRing | undefined)[] = new Array(MAX_SAMPLES);
  private samples = 0;
  /** Weak: a session that goes away takes its tally with it. */
  private readonly tallies = new WeakMap<LatencyRing, SinkTally>();
  /** The last ring asked for and its tally: consecutive writes of one session skip the WeakMap. */
  private lastRing: LatencyRing | undefined;
  private lastTally: SinkTally | undefined;
  /** When the pending batch's flush was scheduled (this.clock), for MAX_HOLD_MS. */
  private heldSince = 0;
  /** One-shot writers for the batch about to leave (atFlush); the array is reused. */
  private readonly atFlushWriters: Array<() => void> = [];
  private flushing = false;
  private readonly maxTrades: number;
  private readonly schedule: (fn: () => void) => void;
  private readonly clock: () => number;
  /** Unacknowledged batches allowed in flight; 0: the parent does not acknowledge (no window). */
  private window = 0;
  private lastSentSeq = -1;
  private lastAckedSeq = -1;
  ticksIn = 0;
  /** Ticks that left in batches: ticksIn less what was coalesced, shed or is still pending. */
  ticksOut = 0;
  batchesOut = 0;
  /** Ticks in the batch not yet sent (after coalescing): a turn's, or what waits for the window. */
  get ticksPending(): number {
    return this.writer.pendingRows;
  }
  /** Flushes put off because the window was full (cumulative). */
  windowWaits = 0;
  /** Longest receipt → sent wait since takeMaxDelayMs() last read it. */
  private maxDelayMs = 0;

  constructor(
    private readonly post: (batch: TickBatch) => void,
    opts: TickSinkOptions = {},
  ) {
    this.maxTrades = opts.maxTrades ?? MAX_TRADES_PER_BATCH;
    this.schedule = opts.schedule ?? nextTurn;
    this.clock = opts.clock ?? now;
  }

  /**
   * The parent acknowledges batches (ticks-ack): at most `window` may be in flight.
   * Batches already sent count as acknowledged (a new configuration starts afresh).
   */
  useAckWindow(window: number): void {
    this.window = window;
    this.lastAckedSeq = this.lastSentSeq;
  }

  /** Batches sent and not yet acknowledged. */
  get inFlight(): number {
    return this.lastSentSeq - this.lastAckedSeq;
  }

  /**
   * The parent has applied every batch up to `seq`. Returns false for a seq never
   * sent (the ack is ignored). Sends what waited for the window at once.
   */
  ack(seq: number): boolean {
    if (seq > this.lastSentSeq) return false;
    if (seq <= this.lastAckedSeq) return true;
    this.lastAckedSeq = seq;
    if (!this.scheduled && !this.closed && !this.writer.isEmpty) this.flushNow();
    return true;
  }

  /** Cumulative figures of the session whose rows use `ring`. */
  tally(ring: LatencyRing): SinkTally {
    return this.tallyOf(ring);
  }

  ticker(key: string, bid: number, ask: number, last: number, changePct: number, baseVol: number, quoteVol: number, eventTime: number, receivedAt: number, source: number, ring: LatencyRing): void {
    const fresh = this.writer.ticker(key, bid, ask, last, changePct, baseVol, quoteVol, eventTime, receivedAt, source);
    if (!fresh) this.tallyOf(ring).coalesced++;
    this.wrote(receivedAt, ring);
  }

  /** Returns false when the trade was shed at the per-batch cap: the caller counts it for its instrument. */
  trade(key: string, id: string, price: number, amount: number, side: number, eventTime: number, receivedAt: number, source: number, ring: LatencyRing): boolean {
    if (this.writer.pendingTrades >= this.maxTrades) {
      const t = this.tallyOf(ring);
      t.written++;
      t.shed++;
      this.ticksIn++;
      return false;
    }
    this.writer.trade(key, id, price, amount, side, eventTime, receivedAt, source);
    this.wrote(receivedAt, ring);
    return true;
  }

  book(top: BookTop, ring: LatencyRing): void {
    if (!this.writer.book(top)) this.tallyOf(ring).coalesced++;
    this.wrote(top.receivedAt, ring);
  }

  /** A tape gap marker; it travels in the same batch as the trades recovered for it. */
  gap(g: TradeGap): void {
    this.writer.gap(g);
    this.scheduleFlush();
  }

  /** A chart series' message: it leaves with this turn's batch, after the candle messages written before it. */
  candle(m: CandleMessage): void {
    this.writer.candle(m);
    this.scheduleFlush();
  }

  /**
   * `write` runs once, when the pending batch is about to leave, and what it writes
   * leaves with it. Schedules that flush like a write does (no wait added). Returns a
   * function that cancels it if it has not run yet.
   */
  atFlush(write: () => void): () => void {
    if (this.closed) return NOTHING;
    const writers = this.atFlushWriters;
    const at = writers.length;
    writers.push(write);
    this.scheduleFlush();
    // Replaced, not spliced out: a pass over the writers may be under way.
    return () => {
      if (writers[at] === write) writers[at] = NOTHING;
    };
  }

  private runAtFlushWriters(): void {
    const writers = this.atFlushWriters;
    this.flushing = true; // what they write leaves in this batch: no flush of its own
    // by index: a writer may register another, which runs in this same pass
    for (let i = 0; i < writers.length; i++) writers[i]!();
    writers.length = 0;
    this.flushing = false;
  }

  private tallyOf(ring: LatencyRing): SinkTally {
    if (ring === this.lastRing) return this.lastTally!;
    let t = this.tallies.get(ring);
    if (!t) {
      t = { written: 0, coalesced: 0, shed: 0 };
      this.tallies.set(ring, t);
    }
    this.lastRing = ring;
    this.lastTally = t;
    return t;
  }

  private wrote(receivedAt: number, ring: LatencyRing): void {
    this.ticksIn++;
    this.tallyOf(ring).written++;
    if (this.samples < MAX_SAMPLES) {
      this.rx[this.samples] = receivedAt;
      this.rings[this.samples++] = ring;
    }
    if (this.scheduled && !this.flushing && this.writer.pendingTicks >= MIN_EARLY_TICKS && this.clock() - this.heldSince > MAX_HOLD_MS) {
      this.sendEarly();
      this.heldSince = this.clock();
    } else this.scheduleFlush();
  }

  /**
   * Mid-turn: what is pending leaves now, while the parent keeps up (less than half the
   * window unacknowledged); the flush already scheduled takes what follows. A parent
   * further behind would only queue the early batch, and in a storm every turn outlasts
   * the hold: early batches there cost throughput and bring nothing forward.
   */
  private sendEarly(): void {
    if (this.window > 0 && this.inFlight >= this.window / 2) return;
    if (this.atFlushWriters.length) this.runAtFlushWriters();
    this.send();
  }

  private scheduleFlush(): void {
    if (!this.scheduled && !this.closed && !this.flushing) {
      this.scheduled = true;
      this.heldSince = this.clock();
      this.schedule(this.flushNow);
    }
  }

  /** Sends whatever is pending, unless the window is full (an ack sends it then). */
  readonly flushNow = (): void => {
    this.scheduled = false;
    if (this.atFlushWriters.length) this.runAtFlushWriters();
    if (this.writer.isEmpty) return;
    if (this.window > 0 && this.inFlight >= this.window) {
      this.windowWaits++;
      return;
    }
    this.send();
  };

  private send(): void {
    const sentAt = this.clock();
    this.ticksOut += this.writer.pendingRows;
    const batch = this.writer.flush(sentAt);
    this.lastSentSeq = batch.seq;
    this.post(batch);
    this.batchesOut++;
    for (let i = 0; i < this.samples; i++) {
      const waited = sentAt - this.rx[i]!;
      if (waited > this.maxDelayMs) this.maxDelayMs = waited;
      this.rings[i]!.push(waited);
      this.rings[i] = undefined;
    }
    this.samples = 0;
  }

  /**
   * The longest a tick waited between receipt and leaving since the last call (then
   * resets), counting the oldest tick still waiting (a closed window shows at once).
   */
  takeMaxDelayMs(): number {
    let d = this.maxDelayMs;
    if (this.samples > 0) d = Math.max(d, this.clock() - this.rx[0]!);
    this.maxDelayMs = 0;
    return d;
  }

  /** Sends what is pending whatever the window (shutdown: the parent reads it or exits), then refuses to schedule. */
  close(): void {
    this.scheduled = false;
    if (this.atFlushWriters.length) this.runAtFlushWriters();
    if (!this.writer.isEmpty) this.send();
    this.closed = true;
  }
}
