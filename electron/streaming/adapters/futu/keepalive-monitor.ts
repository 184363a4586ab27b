// Keep-alives for one OpenD connection. futu-api sends none by itself, and a
// stalled OpenD (socket open, nothing answered) is invisible to it: requests just
// time out one by one. So Foxtrot sends KeepAlive (1004) every interval and calls
// the link dead after `maxMisses` consecutive intervals without any reply.
// Pure policy on an injected Scheduler; its timer belongs to the given Owner (one
// per connection, disposed when the connection ends).
import type { Owner, Registration } from '../../../../shared/lifecycle/owner';
import { ownedInterval, type Scheduler } from '../../../../shared/lifecycle/timers';

export interface KeepAliveSettings {
  intervalMs: number;
  /** Consecutive unanswered intervals that mean the link is dead (≥ 1). */
  maxMisses: number;
}

export class KeepAliveMonitor {
  private timer: Registration | undefined;
  private awaiting = false;
  private misses = 0;
  sent = 0;
  answered = 0;

  constructor(
    private readonly settings: KeepAliveSettings,
    private readonly scheduler: Scheduler,
    private readonly owner: Owner,
    /** Sends one keep-alive; resolves when OpenD answered it (a rejection is no answer). */
    private readonly send: () => Promise<unknown>,
    private readonly onDead: (misses: number) => void,
  ) {}

  start(): void {
    if (this.timer || this.owner.isDisposed) return;
    this.timer = ownedInterval(this.scheduler, this.owner, () => this.tick(), this.settings.intervalMs, 'keepalive');
  }

  stop(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }

  private tick(): void {
    if (this.awaiting) {
      this.misses++;
      if (this.misses >= this.settings.maxMisses) {
        this.stop();
        this.onDead(this.misses);
        return;
      }
    }
    this.awaiting = true;
    this.sent++;
    this.send().then(
      () => {
        // Any answer, even to an older keep-alive, proves the link carries data.
        this.awaiting = false;
        this.misses = 0;
        this.answered++;
      },
      () => undefined, // stays awaiting: the next tick counts the miss
    );
  }
}
