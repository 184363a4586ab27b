// Paces requests to TWS. IBApi already caps its output at 40 messages/s; TWS's own
// limit can be lower (many clients on one TWS, or a Gateway under load) and it
// answers an excess with error 100. Each violation doubles the gap between our
// requests (up to MAX_GAP_MS); a run of requests without one halves it again.
import type { Owner, Registration } from '../../../../shared/lifecycle/owner';
import { ownedTimeout, type Scheduler } from '../../../../shared/lifecycle/timers';

export const FIRST_GAP_MS = 25;
export const MAX_GAP_MS = 1000;
/** Requests sent without a violation before the gap halves. */
export const RELAX_AFTER = 20;

export class RequestPacer {
  private gap = 0;
  private lastAt = -Infinity;
  private sinceViolation = 0;
  private readonly queue: (() => void)[] = [];
  private timer: Registration | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly owner: Owner,
  ) {}

  /** Milliseconds kept between two requests now (0: no pacing beyond IBApi's). */
  get gapMs(): number {
    return this.gap;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Sends at once when allowed, else in order after the gap. */
  send(request: () => void): void {
    this.queue.push(request);
    this.drain();
  }

  /** TWS said we were too fast. */
  violated(): void {
    this.gap = Math.min(MAX_GAP_MS, Math.max(FIRST_GAP_MS, this.gap * 2));
    this.sinceViolation = 0;
  }

  /** Drops what is queued (the connection went; its requests go with it). */
  clear(): void {
    this.queue.length = 0;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private drain(): void {
    if (this.timer) return;
    while (this.queue.length) {
      const wait = this.lastAt + this.gap - this.scheduler.now();
      if (wait > 0) {
        this.timer = ownedTimeout(this.scheduler, this.owner, () => {
          this.timer = undefined;
          this.drain();
        }, wait, 'pacer');
        return;
      }
      this.lastAt = this.scheduler.now();
      if (this.gap > 0 && ++this.sinceViolation >= RELAX_AFTER) {
        this.gap = this.gap / 2 < FIRST_GAP_MS ? 0 : this.gap / 2;
        this.sinceViolation = 0;
      }
      this.queue.shift()!();
    }
  }
}
