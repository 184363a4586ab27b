// Polls a condition until it holds (returning its value) or the time runs out.
// Tests wait on conditions, never on fixed sleeps.
export async function until<T>(fn: () => T | undefined | false, what: string, ms = 15_000, everyMs = 10): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
