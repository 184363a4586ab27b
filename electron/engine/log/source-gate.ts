// Rate limits what outside sources (renderer clients, the streaming process) may
// put in the log, in characters per second, per source and for all sources of a
// kind together, so neither one noisy client nor many of them can flood the file.
// What is refused is counted: one line when limiting starts, one summary per
// window ("refused 2312 times in 10 s").
import type { Scheduler } from '../lifecycle/scheduler';
import { KeyedTokenBuckets, type TokenBucketLimits } from '../../../shared/log/token-buckets';
import { RepeatAggregator, repeatSummary } from '../../../shared/log/repeat-aggregator';
import type { Logger } from './logger';

export interface SourceGateOptions {
  /** What is limited, for the notices ("renderer log records"). */
  what: string;
  log: Logger;
  scheduler: Scheduler;
  perSource: TokenBucketLimits;
  /** All sources together. */
  total: TokenBucketLimits;
  windowMs?: number;
}

const ALL = 'all sources';
/** Every line costs its prefix (time, level, scope) too: empty records are not free. */
export const LINE_OVERHEAD = 64;

export class SourceGate {
  private readonly perSource: KeyedTokenBuckets;
  private readonly total: KeyedTokenBuckets;
  private readonly suppressed: RepeatAggregator<string>;
  private disposed = false;

  constructor(private readonly opts: SourceGateOptions) {
    const now = () => opts.scheduler.now();
    this.perSource = new KeyedTokenBuckets(opts.perSource, now);
    this.total = new KeyedTokenBuckets(opts.total, now, 1);
    this.suppressed = new RepeatAggregator<string>({
      windowMs: opts.windowMs ?? 10_000,
      maxKeys: 1000,
      timers: opts.scheduler,
      // The first refusal is in the window too: the summary counts it.
      onSummary: (source, repeats, windowMs) => opts.log.warn(`${opts.what} from ${source} refused ${repeatSummary(repeats + 1, windowMs)}`),
    });
  }

  /** Whether `source` may write a record of `chars` characters now; a refusal is counted. */
  admit(source: string, chars: number): boolean {
    const cost = chars + LINE_OVERHEAD;
    // Check both before taking from either, so a refused record costs nothing.
    const own = this.perSource.has(source, cost);
    if (own && this.total.has(ALL, cost)) {
      this.perSource.take(source, cost);
      this.total.take(ALL, cost);
      return true;
    }
    // Refusals for the shared budget are counted under one name: many clients must
    // not buy one notice line each.
    const counted = own ? ALL : source;
    if (!this.disposed && this.suppressed.offer(counted, counted)) {
      this.opts.log.warn(`${this.opts.what} from ${counted} are rate-limited; refusals are counted`);
    }
    return false;
  }

  /** Writes pending summaries and stops counting (refusals continue, silently). */
  dispose(): void {
    this.disposed = true;
    this.suppressed.dispose();
  }
}

/** What a record costs: the characters it can put in the file (fields as JSON). */
export function recordCost(message: string, fields?: Record<string, unknown>): number {
  if (!fields) return message.length;
  let json: string | undefined;
  try {
    json = JSON.stringify(fields);
  } catch {
    json = undefined;
  }
  return message.length + (json?.length ?? 64);
}

/**
 * Limits per source kind. A storm from every kind at once writes about 10 KB/s
 * (renderer records 4 + invalid notices 1 + streaming 4, plus line prefixes and
 * summaries): under 40 MB an hour, so 10 MB × 5 generations keep the start-up lines.
 */
export const SOURCE_LIMITS = {
  rendererRecords: { perSource: { capacity: 32_000, refillPerSec: 2_000 }, total: { capacity: 64_000, refillPerSec: 4_000 } },
  invalidMessages: { perSource: { capacity: 8_000, refillPerSec: 500 }, total: { capacity: 16_000, refillPerSec: 1_000 } },
  streamingRecords: { perSource: { capacity: 256_000, refillPerSec: 4_000 }, total: { capacity: 256_000, refillPerSec: 4_000 } },
} satisfies Record<string, Pick<SourceGateOptions, 'perSource' | 'total'>>;
