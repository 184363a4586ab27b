// The hot path's single exit: every watch loop and poller writes into ONE
// TickBatchWriter, and the batch leaves once per event-loop turn. The first
// write after a flush schedules a nextTurn (setImmediate), so a tick never waits for a
// timer, and a burst of ticks handled in one turn goes out as one message.
// Receipt stamps are kept in a preallocated buffer so that each batch can feed
// the processing-latency rings (receipt → batch sent) without allocating.
import { now } from '../../shared/clock';
import { TickBatchWriter, type BookTop, type TickBatch, type TradeGap } from '../../shared/contract/tick-batch';
import type { LatencyRing } from './latency-ring';
import { nextTurn } from '../../shared/lifecycle/timers';

/** Receipt samples kept per batch; beyond this the rest of a burst is not sampled. */
const MAX_SAMPLES = 4096;

export class TickSink {
  private readonly writer = new TickBatchWriter();
  private scheduled = false;
  private closed = false;
  private readonly rx = new Float64Array(MAX_SAMPLES);
  private readonly rings: (LatencyRing | undefined)[] = new Array(MAX_SAMPLES);
  private samples = 0;
  ticksIn = 0;
  batchesOut = 0;
  /** Longest receipt → sent wait since takeMaxDelayMs() last read it. */
  private maxDelayMs = 0;

  constructor(private readonly post: (batch: TickBatch) => void) {}

  ticker(key: string, bid: number, ask: number, last: number, changePct: number, baseVol: number, quoteVol: number, eventTime: number, receivedAt: number, source: number, ring: LatencyRing): void {
    this.writer.ticker(key, bid, ask, last, changePct, baseVol, quoteVol, eventTime, receivedAt, source);
    this.wrote(receivedAt, ring);
  }

  trade(key: string, id: string, price: number, amount: number, side: number, eventTime: number, receivedAt: number, source: number, ring: LatencyRing): void {
    this.writer.trade(key, id, price, amount, side, eventTime, receivedAt, source);
    this.wrote(receivedAt, ring);
  }

  book(top: BookTop, ring: LatencyRing): void {
    this.writer.book(top);
    this.wrote(top.receivedAt, ring);
  }

  /** A tape gap marker; it travels in the same batch as the trades recovered for it. */
  gap(g: TradeGap): void {
    this.writer.gap(g);
    if (!this.scheduled && !this.closed) {
      this.scheduled = true;
      nextTurn(this.flushNow);
    }
  }

  private wrote(receivedAt: number, ring: LatencyRing): void {
    this.ticksIn++;
    if (this.samples < MAX_SAMPLES) {
      this.rx[this.samples] = receivedAt;
      this.rings[this.samples++] = ring;
    }
    if (!this.scheduled && !this.closed) {
      this.scheduled = true;
      nextTurn(this.flushNow);
    }
  }

  /** Sends whatever is pending (also called directly at shutdown). */
  readonly flushNow = (): void => {
    this.scheduled = false;
    if (this.writer.isEmpty) return;
    const sentAt = now();
    const batch = this.writer.flush(sentAt);
    this.post(batch);
    this.batchesOut++;
    for (let i = 0; i < this.samples; i++) {
      const waited = sentAt - this.rx[i]!;
      if (waited > this.maxDelayMs) this.maxDelayMs = waited;
      this.rings[i]!.push(waited);
      this.rings[i] = undefined;
    }
    this.samples = 0;
  };

  /** The longest a tick waited between receipt and leaving since the last call (then resets). */
  takeMaxDelayMs(): number {
    const d = this.maxDelayMs;
    this.maxDelayMs = 0;
    return d;
  }

  close(): void {
    this.flushNow();
    this.closed = true;
  }
}
