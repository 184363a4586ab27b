// REST fallback while the circuit is open: one poll loop per symbol (never more than
// one REST request in flight for it), backing off while REST fails too, and a
// WebSocket probe at an interval whose first delivery ends the fallback.
// The host does the exchange calls; this class decides when they happen.
import { backoffDelay, type BackoffSettings } from '../../shared/backoff';
import type { Owner } from '../../shared/lifecycle/owner';
import { ownedInterval, sleep, type Scheduler } from '../../shared/lifecycle/timers';
import type { ErrorClass } from '../../shared/market';
import type { CircuitBreaker } from './circuit-breaker';

export type PollOutcome = { ok: true } | { ok: false; errorClass: ErrorClass | undefined };

export interface ProbeHit {
  /** False when the connection the probe used is no longer the session's. */
  current(): boolean;
  /** Hands the probe's data to its subscription (after the socket is resumed). */
  deliver(): void;
}

export interface FallbackHost {
  /** Polls every subscription of `symbol` once; undefined when nothing is left to poll or the signal aborted. */
  pollSymbol(symbol: string, signal: AbortSignal): Promise<PollOutcome | undefined>;
  /** One watch on the current connection; a hit when it delivered in time. */
  probe(): Promise<ProbeHit | undefined>;
  /** REST works again after failing. */
  restUp(): void;
  /** REST fails too: the exchange is down. */
  restDown(errorClass: ErrorClass | undefined): void;
  /** A probe delivered: back to the socket. */
  recovered(): void;
}

export interface FallbackSettings {
  pollIntervalMs: number;
  probeIntervalMs: number;
  backoff: BackoffSettings;
}

export class RestFallback {
  private polling: Owner | undefined;
  private readonly polled = new Set<string>();
  private probing = false;

  constructor(
    private readonly settings: FallbackSettings,
    private readonly circuit: CircuitBreaker,
    private readonly scheduler: Scheduler,
    private readonly host: FallbackHost,
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts polling `symbols` and probing, under `owner`. */
  start(owner: Owner, symbols: Iterable<string>): void {
    this.stop();
    this.polling = owner.child('polling');
    for (const symbol of symbols) this.poll(symbol);
    ownedInterval(this.scheduler, this.polling, () => void this.probe(), this.settings.probeIntervalMs, 'probe');
  }

  /** Polls `symbol` too (a subscription added while falling back); no-op when not running. */
  poll(symbol: string): void {
    const polling = this.polling;
    if (!polling || polling.isDisposed || this.polled.has(symbol)) return;
    this.polled.add(symbol);
    void polling.run('poller', async (signal) => {
      try {
        await this.pollLoop(symbol, signal);
      } finally {
        this.polled.delete(symbol);
      }
    });
  }

  stop(): void {
    this.polling?.dispose();
    this.polling = undefined;
  }

  private async pollLoop(symbol: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted && !this.circuit.isLive()) {
      const outcome = await this.host.pollSymbol(symbol, signal);
      if (!outcome || signal.aborted) return;
      if (outcome.ok) {
        failures = 0;
        if (this.circuit.restSucceeded() === 'rest-up') this.host.restUp();
        await sleep(this.scheduler, this.settings.pollIntervalMs, signal);
      } else {
        failures++;
        if (this.circuit.restFailed() === 'rest-down') this.host.restDown(outcome.errorClass);
        await sleep(this.scheduler, Math.max(this.settings.pollIntervalMs, backoffDelay(this.settings.backoff, failures, this.random)), signal);
      }
    }
  }

  /** One probe at a time; the first that delivers on the current connection recovers. */
  private async probe(): Promise<void> {
    if (this.probing || this.circuit.isLive()) return;
    this.probing = true;
    try {
      const hit = await this.host.probe();
      if (!hit || !hit.current() || this.circuit.probeSucceeded() !== 'recovered') return;
      this.stop();
      this.host.recovered();
      hit.deliver();
    } finally {
      this.probing = false;
    }
  }
}
