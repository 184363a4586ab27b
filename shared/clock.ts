// One clock for every process on the machine: milliseconds since the Unix epoch
// with sub-millisecond resolution, so that a stamp taken in the streaming process
// (receivedAt), main and the renderer can be subtracted from each other.
//
// It runs on performance.now() (monotonic, sub-millisecond) from an anchor on the
// wall clock. performance.timeOrigin alone is such an anchor, taken once when the
// process starts, and then processes disagree by however far the wall clock was
// stepped between their starts: the monotonic clock does not count a suspended
// laptop or a paused VM, and the wall clock is set right after one. A process
// started before a one-hour sleep would stamp an hour behind one started after it
// (a delay column an hour negative, ages an hour off; a benchmark run here saw
// 14 s). So each reading is checked against Date.now(), and once the two are more
// than STEP_MS apart the clock re-anchors on the wall clock: every process then
// agrees with the wall clock, and with each other, within STEP_MS. Between steps it
// never goes backwards; across a step backwards of the wall clock it follows it.

/** Further than this from the wall clock, the wall clock was stepped: re-anchor on it. */
export const STEP_MS = 100;

/** A clock anchored on `wall` (epoch ms) that runs on `mono` (ms, monotonic) between re-anchors. */
export function anchoredClock(wall: () => number, mono: () => number, origin = wall() - mono()): () => number {
  let anchor = origin;
  return () => {
    const m = mono();
    const t = anchor + m;
    const w = wall();
    if (t - w <= STEP_MS && w - t <= STEP_MS) return t;
    anchor = w - m;
    return w;
  };
}

/** This process's clock: anchored on performance.timeOrigin first. */
export const now: () => number = anchoredClock(
  () => Date.now(),
  () => performance.now(),
  performance.timeOrigin,
);

/** A performance.now()-based time (a requestAnimationFrame timestamp, say) on this clock. */
export function fromPerformance(ms: number): number {
  return now() - (performance.now() - ms);
}
