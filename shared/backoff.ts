// Exponential backoff: the delay before the n-th attempt, capped, with jitter so
// that many clients dropped at once do not all come back in the same millisecond.
// Pure, so the bounds can be tested exactly and every process can use it.

export interface BackoffSettings {
  baseMs: number;
  capMs: number;
  factor: number;
  /** Share of the nominal delay (0..1) that a random draw may take away. */
  jitter: number;
}

/**
 * Delay before attempt `attempt` (1-based). The nominal delay is
 * min(cap, base * factor^(attempt-1)); jitter j removes a random share of up to
 * j of it, so the result lies in [nominal * (1 - j), nominal].
 */
export function backoffDelay(b: BackoffSettings, attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  // Cap the exponent so huge attempt counts do not overflow to Infinity * 0 = NaN.
  const nominal = Math.min(b.capMs, b.baseMs * Math.pow(b.factor, Math.min(n - 1, 64)));
  const r = Math.min(1, Math.max(0, random()));
  return nominal - nominal * b.jitter * r;
}
