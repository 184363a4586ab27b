// Is the session keeping up? Each heartbeat's sample (event-loop lag, the longest
// receipt-to-send wait, trades shed) feeds the BehindDetector; each episode is logged
// once when it starts and once when it ends. Trades shed count those of removed
// subscriptions too (the live ones keep their own count).
import { BehindDetector } from './behind-detector';
import type { SessionReport } from './session-report';

export interface LoadRates {
  offeredPerSec: number;
  processedPerSec: number;
  tickersCoalesced: number;
}

export class SessionLoad {
  private readonly detector = new BehindDetector();
  /** Trades shed by subscriptions that are gone (theirs stay counted). */
  private shedByRemoved = 0;
  /** The event-loop lag of the latest sample. */
  loopLagMs = 0;

  constructor(
    private readonly report: SessionReport,
    private readonly clock: { now(): number },
  ) {}

  get behind(): boolean {
    return this.detector.behind;
  }

  /** A subscription with `tradesShed` shed trades went away. */
  removed(tradesShed: number): void {
    this.shedByRemoved += tradesShed;
  }

  /** Trades shed so far: those of the removed subscriptions and of `live`. */
  tradesShed(live: Iterable<{ target: { tradesShed: number } }>): number {
    let n = this.shedByRemoved;
    for (const s of live) n += s.target.tradesShed;
    return n;
  }

  /** `rates`: the session's offered and processed msg/s and tickers coalesced, logged with the episode's two lines. */
  sample(loopLagMs: number, maxDelayMs: number, tradesShed: number, rates?: LoadRates): void {
    this.loopLagMs = loopLagMs;
    const change = this.detector.sample({ at: this.clock.now(), loopLagMs, processingMaxMs: maxDelayMs, tradesShed });
    if (!change) return;
    const fields = rates ? { ...change, ...rates } : change;
    if (change.kind === 'behind') this.report.record('warn', 'load', 'exchange behind: more arrives than is handled in time', fields);
    else this.report.record('info', 'load', 'exchange caught up', fields);
    this.report.changed();
  }
}
