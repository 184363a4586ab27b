// Per-exchange mode machine: live (WebSocket) → polling (REST fallback after too
// many consecutive failed reconnects) → down (REST failing too) and back.
// Pure state; the session performs the side effects a transition asks for.
import type { ExchangeMode } from '../../shared/market';

export type CircuitTransition = 'opened' | 'rest-down' | 'rest-up' | 'recovered' | undefined;

export class CircuitBreaker {
  private _mode: ExchangeMode = 'live';
  private _failures = 0;
  private _restFailures = 0;

  /** failureThreshold from circuit settings; maxAttempts from backoff settings: whichever comes first opens. */
  constructor(private readonly failureThreshold: number, private readonly maxAttempts: number = Number.POSITIVE_INFINITY) {}

  get mode(): ExchangeMode {
    return this._mode;
  }

  /**
   * A method, not a property, on purpose: the mode changes while a caller awaits, and
   * TypeScript would otherwise keep a check of `mode` made before the await narrowed.
   */
  isLive(): boolean {
    return this._mode === 'live';
  }

  /** Back to live with no failures (the session starts over). */
  reset(): void {
    this._mode = 'live';
    this._failures = 0;
    this._restFailures = 0;
  }

  /** Consecutive failed connection attempts while live. */
  get failures(): number {
    return this._failures;
  }

  /** Consecutive REST failures while the circuit is open. */
  get restFailures(): number {
    return this._restFailures;
  }

  /** A reconnect attempt failed. Returns 'opened' when this failure opens the circuit. */
  connectFailed(): CircuitTransition {
    if (this._mode !== 'live') return undefined;
    this._failures++;
    if (this._failures >= Math.min(this.failureThreshold, this.maxAttempts)) {
      this._mode = 'polling';
      this._restFailures = 0;
      return 'opened';
    }
    return undefined;
  }

  /** Data arrived over the socket while live: the failure streak ends. */
  connectSucceeded(): void {
    if (this._mode === 'live') this._failures = 0;
  }

  /** A WebSocket probe delivered data while the circuit was open. */
  probeSucceeded(): CircuitTransition {
    if (this._mode === 'live') return undefined;
    this._mode = 'live';
    this._failures = 0;
    this._restFailures = 0;
    return 'recovered';
  }

  restFailed(): CircuitTransition {
    if (this._mode === 'live') return undefined;
    this._restFailures++;
    if (this._mode === 'polling') {
      this._mode = 'down';
      return 'rest-down';
    }
    return undefined;
  }

  restSucceeded(): CircuitTransition {
    if (this._mode === 'live') return undefined;
    this._restFailures = 0;
    if (this._mode === 'down') {
      this._mode = 'polling';
      return 'rest-up';
    }
    return undefined;
  }
}
