// One clock for every process on the machine: milliseconds since the Unix epoch
// with sub-millisecond resolution. performance.timeOrigin is taken from the
// wall clock when each process starts and performance.now() is monotonic from
// there, so stamps taken in the streaming process, main and the renderer are
// comparable to well under a millisecond on one machine, and never go backwards
// within a process.
export function now(): number {
  return performance.timeOrigin + performance.now();
}
