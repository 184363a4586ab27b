// Runs IdleTrimPolicy on the heartbeat (no timer of its own) against a probe of the
// process's memory. The first trim is logged with its figures, later ones only
// counted (the heartbeat's vitals carry the count): one may follow every storm of a
// long day. A probe that fails once turns trimming off, logged once.
import type { Owner } from '../../shared/lifecycle/owner';
import { IdleTrimPolicy } from './idle-trim-policy';
import type { LowMemoryCollection } from './v8-low-memory';

export interface MemoryProbe {
  youngBytes(): number;
  rssBytes(): number;
  collect(): LowMemoryCollection;
}

export type TrimLog = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;

export class IdleMemoryTrim {
  private trims = 0;
  private running = false;
  private off = false;

  constructor(
    private readonly probe: MemoryProbe,
    /** Holds a collection while it runs, so a shutdown ends its session. */
    private readonly owner: Owner,
    private readonly log: TrimLog,
    private readonly clock: () => number,
    private readonly policy = new IdleTrimPolicy(),
  ) {}

  /** Trims run so far. */
  get count(): number {
    return this.trims;
  }

  beat(at: number, ticksIn: number): void {
    if (this.running || this.off || this.owner.isDisposed) return;
    const young = this.probe.youngBytes();
    if (!this.policy.beat(at, ticksIn, young)) return;
    this.policy.trimmed(at);
    const before = { young, rss: this.probe.rssBytes(), at: this.clock() };
    let collection: LowMemoryCollection;
    try {
      collection = this.probe.collect();
    } catch (e) {
      this.stop(e);
      return;
    }
    this.running = true;
    const reg = this.owner.add('memory-trim', () => collection.close());
    collection.done.then(
      () => {
        this.trims++;
        if (this.trims === 1) {
          this.log('info', 'memory given back while quiet', {
            youngBeforeBytes: before.young,
            youngAfterBytes: this.probe.youngBytes(),
            rssBeforeBytes: before.rss,
            rssAfterBytes: this.probe.rssBytes(),
            ms: Math.round(this.clock() - before.at),
          });
        }
      },
      (e: unknown) => this.stop(e),
    ).finally(() => {
      this.running = false;
      reg.release();
    });
  }

  private stop(e: unknown): void {
    this.off = true;
    this.log('warn', 'memory trim unavailable: turned off', { error: e instanceof Error ? e.message : String(e) });
  }
}
