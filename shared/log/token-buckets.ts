// Token buckets by key (a client, a process, "all renderers"): a source may write
// `capacity` units at once and `refillPerSec` units per second after that. Units
// are whatever the caller charges (bytes of log text). Pure, on an injected clock.

export interface TokenBucketLimits {
  capacity: number;
  refillPerSec: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: TokenBucketLimits,
    private readonly now: () => number,
    /** Keys remembered at most; the least recently used is forgotten first. */
    private readonly maxKeys = 1000,
  ) {}

  /** Takes `cost` tokens (at most the capacity, so one large record can pass a full bucket). */
  take(key: string, cost = 1): boolean {
    const b = this.refill(key);
    const charge = Math.min(Math.max(cost, 0), this.limits.capacity);
    if (b.tokens < charge) return false;
    b.tokens -= charge;
    return true;
  }

  /** Whether `cost` tokens are there, without taking them. */
  has(key: string, cost = 1): boolean {
    return this.refill(key).tokens >= Math.min(Math.max(cost, 0), this.limits.capacity);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string): Bucket {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
      b.tokens = Math.min(this.limits.capacity, b.tokens + ((t - b.at) / 1000) * this.limits.refillPerSec);
      b.at = t;
    } else {
      b = { tokens: this.limits.capacity, at: t };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, b);
    return b;
  }
}
