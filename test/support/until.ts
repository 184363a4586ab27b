// Polls a condition until it holds (returning its value) or the time runs out.
// Tests wait on conditions, never on fixed sleeps. The one `until` of tests and the
// benchmark: condition first, then what is awaited (for the error), then the limit.
type Polled<T> = T | undefined | false;

export async function until<T>(fn: () => Polled<T> | Promise<Polled<T>>, what: string, ms = 15_000, everyMs = 10): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
