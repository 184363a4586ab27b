import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { CircuitBreaker } from '../../electron/streaming/circuit-breaker';
import { RestFallback, type FallbackHost, type PollOutcome, type ProbeHit } from '../../electron/streaming/rest-fallback';
import { FakeTime, settle } from './streaming-fake-time';

const settings = { pollIntervalMs: 100, probeIntervalMs: 1000, backoff: { baseMs: 200, capMs: 800, factor: 2, jitter: 0.5 } };

/** A host whose REST and probe answers the test sets; every call lands in the trace with its time. */
function setup() {
  const time = new FakeTime();
  const owner = new Owner('active');
  const circuit = new CircuitBreaker(1);
  circuit.connectFailed(); // open: polling
  const trace: string[] = [];
  const at = () => time.now() - 1_000_000;
  const rest = { ok: true, left: new Set(['BTC/USDT', 'ETH/USDT']) };
  let probeAnswer: (() => Promise<ProbeHit | undefined>) | undefined;
  const host: FallbackHost = {
    pollSymbol: async (symbol): Promise<PollOutcome | undefined> => {
      if (!rest.left.has(symbol)) return undefined;
      trace.push(`poll ${symbol} @${at()}`);
      return rest.ok ? { ok: true } : { ok: false, errorClass: 'network' };
    },
    probe: () => {
      trace.push(`probe @${at()}`);
      return probeAnswer ? probeAnswer() : Promise.resolve(undefined);
    },
    restUp: () => trace.push(`rest-up @${at()}`),
    restDown: (cls) => trace.push(`rest-down ${cls} @${at()}`),
    recovered: () => trace.push(`recovered @${at()}`),
  };
  const fallback = new RestFallback(settings, circuit, time, host, () => 0);
  return { time, owner, circuit, trace, rest, fallback, setProbe: (p: typeof probeAnswer) => (probeAnswer = p) };
}

describe('RestFallback', () => {
  it('polls each symbol once per interval, one loop per symbol, and probes at its own interval', async () => {
    const { time, owner, trace, fallback } = setup();
    fallback.start(owner, ['BTC/USDT', 'ETH/USDT', 'BTC/USDT']);
    fallback.poll('BTC/USDT'); // already polled: no second loop
    await time.advance(200);
    expect(trace).toEqual(['poll BTC/USDT @0', 'poll ETH/USDT @0', 'poll BTC/USDT @100', 'poll ETH/USDT @100', 'poll BTC/USDT @200', 'poll ETH/USDT @200']);
    trace.length = 0;
    await time.advance(800);
    expect(trace.filter((t) => t.startsWith('probe'))).toEqual(['probe @1000']);
    expect(owner.counts()).toMatchObject({ poller: 2, probe: 1 });
  });

  it('when REST fails: backs off per symbol, reports down once, and up again when it works', async () => {
    const { time, owner, circuit, trace, rest, fallback } = setup();
    rest.left = new Set(['BTC/USDT']);
    rest.ok = false;
    fallback.start(owner, ['BTC/USDT']);
    await time.advance(700);
    // failures 1, 2, 3 wait 200, 400, 800 ms (never less than the poll interval)
    expect(trace).toEqual(['poll BTC/USDT @0', 'rest-down network @0', 'poll BTC/USDT @200', 'poll BTC/USDT @600']);
    expect(circuit.mode).toBe('down');
    rest.ok = true;
    await time.advance(800);
    expect(trace.slice(4)).toEqual(['probe @1000', 'poll BTC/USDT @1400', 'rest-up @1400', 'poll BTC/USDT @1500']);
    expect(circuit.mode).toBe('polling');
  });

  it('a loop ends when nothing is left to poll', async () => {
    const { time, owner, trace, rest, fallback } = setup();
    fallback.start(owner, ['BTC/USDT']);
    await time.advance(0);
    rest.left.clear();
    await time.advance(100);
    expect(owner.counts().poller ?? 0).toBe(0);
    expect(trace).toEqual(['poll BTC/USDT @0']);
  });

  it('a probe hit on the current connection recovers: polling stops, then the data is delivered', async () => {
    const { time, owner, circuit, trace, fallback, setProbe } = setup();
    setProbe(async () => ({ current: () => true, deliver: () => trace.push(`deliver @${time.now() - 1_000_000}`) }));
    fallback.start(owner, ['BTC/USDT']);
    await time.advance(1000);
    expect(trace.slice(-3)).toEqual(['probe @1000', 'recovered @1000', 'deliver @1000']);
    expect(circuit.isLive()).toBe(true);
    expect(owner.size()).toBe(0);
    trace.length = 0;
    await time.advance(5000);
    expect(trace).toEqual([]);
  });

  it('a probe hit on a replaced connection does not recover; probes never overlap', async () => {
    const { time, owner, circuit, trace, fallback, setProbe } = setup();
    let release: (hit: ProbeHit) => void = () => undefined;
    setProbe(() => new Promise((r) => (release = r)));
    fallback.start(owner, []);
    await time.advance(3000); // probes due at 1000, 2000, 3000: the first still runs
    expect(trace).toEqual(['probe @1000']);
    release({ current: () => false, deliver: () => trace.push('deliver') });
    await settle();
    expect(circuit.isLive()).toBe(false);
    await time.advance(1000);
    expect(trace).toEqual(['probe @1000', 'probe @4000']);
  });

  it('stop ends polling and probing', async () => {
    const { time, owner, trace, fallback } = setup();
    fallback.start(owner, ['BTC/USDT']);
    await time.advance(0);
    fallback.stop();
    await time.advance(5000);
    expect(trace).toEqual(['poll BTC/USDT @0']);
    expect(owner.size()).toBe(0);
    fallback.poll('ETH/USDT'); // not running: ignored
    await time.advance(100);
    expect(trace).toEqual(['poll BTC/USDT @0']);
  });
});
