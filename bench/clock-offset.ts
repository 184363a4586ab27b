// How far another process's clock (shared/clock.ts) is from this one's, asked across
// the process boundary like NTP: the remote stamp lies between the local send and
// receive. That clock re-anchors on the wall clock when it was stepped; before it did,
// a page opened late was 14 s ahead of the benchmark process started 19 minutes before
// it (start-up measured 15,337 ms in a stage that took 4.9 s). The start-up figure
// subtracts stamps from two processes, so it measures the offset instead of trusting it.

/** One exchange: local clock before asking, the remote clock's answer, local clock after. */
export interface ClockSample {
  sentAt: number;
  remote: number;
  receivedAt: number;
}

/** Remote minus local, from the sample with the shortest round trip (its midpoint is the tightest bound). */
export function clockOffset(samples: readonly ClockSample[]): number {
  let best: ClockSample | undefined;
  for (const s of samples) if (!best || s.receivedAt - s.sentAt < best.receivedAt - best.sentAt) best = s;
  return best ? best.remote - (best.sentAt + best.receivedAt) / 2 : NaN;
}

/** Samples the remote clock `n` times (one at a time) and returns its offset. */
export async function measureClockOffset(remoteNow: () => Promise<number>, localNow: () => number, n = 5): Promise<number> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < n; i++) {
    const sentAt = localNow();
    const remote = await remoteNow();
    samples.push({ sentAt, remote, receivedAt: localNow() });
  }
  return clockOffset(samples);
}

/** A page that exposes the renderer's clock (?perf=1: window.__foxtrotPerf.now, shared/clock.ts). */
export interface PerfPage {
  evaluate<R>(fn: () => R): Promise<R>;
}

/** The page's clock minus `localNow`: how far the renderer's stamps are from this process's clock. */
export function pageClockOffset(page: PerfPage, localNow: () => number): Promise<number> {
  return measureClockOffset(() => page.evaluate(() => (globalThis as unknown as { __foxtrotPerf: { now(): number } }).__foxtrotPerf.now()), localNow);
}
