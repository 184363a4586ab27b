// The figures one session reports in ExchangeStatus: offered messages per second
// (frames reaching its sockets) against processed ones (ticks its loops wrote into the
// sink), both over windows of at least RATE_WINDOW_MS so frequent status calls do not
// make them jumpy; tickers and books coalesced in the sink; errors by class with the
// latest one; latency percentiles. Plus the rule that names the connection state
// from what the session knows.
import type { ExchangeStatus } from '../../shared/contract/status';
import { ERROR_CLASSES, type ErrorClass, type ExchangeMode } from '../../shared/market';
import { LatencyRing } from './latency-ring';
import type { SinkTally } from './tick-sink';

const RATE_WINDOW_MS = 200;

export interface StatusBase {
  exchange: string;
  state: ExchangeStatus['state'];
  mode: ExchangeMode;
  reconnects: number;
  attempt: number;
  connections: number;
}

export class SessionStats {
  readonly exchangeLatency = new LatencyRing(1024);
  readonly processingLatency = new LatencyRing(1024);
  private messages = 0;
  private rate: { at: number; count: number; perSec: number; written: number; processedPerSec: number };
  private readonly errors = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<ErrorClass, number>;
  private lastError: ExchangeStatus['lastError'];

  /** `sink`: what the session wrote into the tick sink (keyed by its processing ring); absent in tests of the rest. */
  constructor(
    private readonly clock: { now(): number },
    private readonly sink?: { tally(ring: LatencyRing): SinkTally },
  ) {
    this.rate = { at: clock.now(), count: 0, perSec: 0, written: 0, processedPerSec: 0 };
  }

  message(): void {
    this.messages++;
  }

  error(cls: ErrorClass, message: string): void {
    this.errors[cls]++;
    this.lastError = { class: cls, message, at: this.clock.now() };
  }

  /** The rates of the last status (whole msg/s) and tickers coalesced so far: an episode's figures for the log. */
  loadRates(): { offeredPerSec: number; processedPerSec: number; tickersCoalesced: number } {
    return {
      offeredPerSec: Math.round(Math.max(0, this.rate.perSec)),
      processedPerSec: Math.round(Math.max(0, this.rate.processedPerSec)),
      tickersCoalesced: this.sink?.tally(this.processingLatency).coalesced ?? 0,
    };
  }

  status(base: StatusBase): ExchangeStatus {
    const t = this.clock.now();
    const dt = t - this.rate.at;
    const tally = this.sink?.tally(this.processingLatency);
    const written = tally?.written ?? 0;
    if (dt >= RATE_WINDOW_MS) {
      const r = this.rate;
      this.rate = { at: t, count: this.messages, perSec: ((this.messages - r.count) * 1000) / dt, written, processedPerSec: ((written - r.written) * 1000) / dt };
    }
    const s: ExchangeStatus = {
      ...base,
      messagesPerSec: Math.max(0, this.rate.perSec),
      processedPerSec: Math.max(0, this.rate.processedPerSec),
      tickersCoalesced: tally?.coalesced ?? 0,
      exchangeLatencyMs: this.exchangeLatency.percentiles(),
      processingLatencyMs: this.processingLatency.percentiles(),
      errors: { ...this.errors },
    };
    if (this.lastError) s.lastError = { ...this.lastError };
    return s;
  }
}

export interface ConnectionView {
  closing: boolean;
  /** The session has a ccxt instance (it has subscriptions). */
  active: boolean;
  mode: ExchangeMode;
  /** An outage is open or the reconnect gate is closed. */
  reconnecting: boolean;
  anyStale(): boolean;
  sockets: number;
}

export function connectionState(v: ConnectionView): ExchangeStatus['state'] {
  if (v.closing && !v.active) return 'closed';
  if (!v.active) return 'idle';
  if (v.mode !== 'live') return 'down';
  if (v.reconnecting) return 'reconnecting';
  if (v.anyStale()) return 'stale';
  return v.sockets > 0 ? 'connected' : 'connecting';
}
