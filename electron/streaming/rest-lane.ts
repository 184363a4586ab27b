// At most a few REST calls of one kind in ccxt's request queue at once. ccxt throttles
// every REST call of a connection through one first-come-first-served queue: after a
// reconnect, 200 tapes each reading what the outage missed put 200 requests in it, and
// the book's fresh snapshot, asked a moment later, waited behind all of them (measured
// with the simulator: the ladder resynced 5.6 s after the drop, against 1.5 s with one
// tape). Calls beyond the lane's slots wait here instead, in order, so whatever else
// the connection asks of REST passes them.

/**
 * A session's REST reads for its streams (tape catch-ups and holes, silence checks,
 * ticker seeds) in ccxt's request queue at once; the others wait in the session's
 * RestLane. A book's snapshot or a chart's repair asked meanwhile waits behind at most
 * these, not behind every stream of a reconnect.
 */
export const STREAM_REST_SLOTS = 2;

export class RestLane {
  private running = 0;
  /** Each waiting call's start. */
  private readonly waiting: Array<() => void> = [];

  constructor(readonly slots: number) {}

  /** Calls now, or when a slot is free (in order of asking). Aborted while waiting: rejects with the signal's reason, never calls. */
  async run<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.running >= this.slots) await this.slot(signal);
    else this.running++;
    try {
      return await call();
    } finally {
      this.release();
    }
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private slot(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(start), 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(start);
    });
  }

  /** The slot goes to the next waiting call (the count stays), or is freed. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
