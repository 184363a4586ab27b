import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/backoff';
import { CircuitBreaker } from '../../electron/streaming/circuit-breaker';
import { classifyError, disconnectCause } from '../../electron/streaming/errors';
import { LatencyRing } from '../../electron/streaming/latency-ring';

const b = { baseMs: 100, capMs: 2000, factor: 2, jitter: 0.5, maxAttempts: 10 };

describe('backoffDelay', () => {
  it('grows exponentially and is capped, without jitter', () => {
    const none = { ...b, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(none, n))).toEqual([100, 200, 400, 800, 1600, 2000]);
    expect(backoffDelay(none, 1e6)).toBe(2000);
  });

  it('with jitter j stays within [nominal*(1-j), nominal] at both extremes of the random draw', () => {
    for (let n = 1; n <= 8; n++) {
      const nominal = Math.min(2000, 100 * 2 ** (n - 1));
      expect(backoffDelay(b, n, () => 0)).toBe(nominal);
      expect(backoffDelay(b, n, () => 1)).toBe(nominal * 0.5);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(b, n);
        expect(d).toBeGreaterThanOrEqual(nominal * 0.5);
        expect(d).toBeLessThanOrEqual(nominal);
      }
    }
  });

  it('full jitter can reach zero; base 0 always gives 0', () => {
    expect(backoffDelay({ ...b, jitter: 1 }, 3, () => 1)).toBe(0);
    expect(backoffDelay({ ...b, baseMs: 0 }, 7, () => 0.3)).toBe(0);
  });
});

describe('classifyError', () => {
  it('maps ccxt classes, most specific first', () => {
    expect(classifyError(new ccxt.BadSymbol('x'))).toBe('bad-symbol');
    expect(classifyError(new ccxt.RateLimitExceeded('x'))).toBe('rate-limit');
    expect(classifyError(new ccxt.DDoSProtection('x'))).toBe('rate-limit');
    expect(classifyError(new ccxt.RequestTimeout('x'))).toBe('timeout');
    expect(classifyError(new ccxt.ChecksumError('x'))).toBe('malformed');
    expect(classifyError(new ccxt.BadResponse('x'))).toBe('malformed');
    expect(classifyError(new SyntaxError('Unexpected token'))).toBe('malformed');
    expect(classifyError(new ccxt.NetworkError('x'))).toBe('network');
    expect(classifyError(new ccxt.ExchangeNotAvailable('x'))).toBe('network');
    expect(classifyError(new ccxt.BadRequest('x'))).toBe('exchange');
    expect(classifyError(new ccxt.ExchangeError('x'))).toBe('exchange');
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('network');
  });

  it('reads the disconnect reason from what ccxt rejected the watches with', () => {
    expect(disconnectCause(new ccxt.NetworkError('connection closed by remote server, closing code 1006'))).toMatchObject({ reason: 'close', code: 1006 });
    expect(disconnectCause(new ccxt.NetworkError('connection closed by remote server, closing code 1000'))).toMatchObject({ reason: 'close', code: 1000 });
    expect(disconnectCause(new ccxt.RequestTimeout('Connection to ws://x timed out due to a ping-pong keepalive missing on time')).reason).toBe('keepalive');
    expect(disconnectCause(new ccxt.NetworkError('Unexpected server response: 503')).reason).toBe('refused');
    expect(disconnectCause(new ccxt.NetworkError('something else')).reason).toBe('error');
  });
});

describe('CircuitBreaker', () => {
  it('opens after failureThreshold consecutive failures; a success resets the streak', () => {
    const c = new CircuitBreaker(3);
    expect(c.connectFailed()).toBeUndefined();
    expect(c.connectFailed()).toBeUndefined();
    c.connectSucceeded();
    expect(c.failures).toBe(0);
    expect(c.connectFailed()).toBeUndefined();
    expect(c.connectFailed()).toBeUndefined();
    expect(c.mode).toBe('live');
    expect(c.connectFailed()).toBe('opened');
    expect(c.mode).toBe('polling');
    expect(c.connectFailed()).toBeUndefined(); // already open
  });

  it('maxAttempts opens it too when lower than the threshold', () => {
    const c = new CircuitBreaker(10, 2);
    c.connectFailed();
    expect(c.connectFailed()).toBe('opened');
  });

  it('polling → down on REST failure, back to polling on REST success, live on a good probe', () => {
    const c = new CircuitBreaker(1);
    expect(c.restFailed()).toBeUndefined(); // ignored while live
    c.connectFailed();
    expect(c.restSucceeded()).toBeUndefined();
    expect(c.restFailed()).toBe('rest-down');
    expect(c.mode).toBe('down');
    expect(c.restFailed()).toBeUndefined();
    expect(c.restFailures).toBe(2);
    expect(c.restSucceeded()).toBe('rest-up');
    expect(c.mode).toBe('polling');
    expect(c.probeSucceeded()).toBe('recovered');
    expect(c.mode).toBe('live');
    expect(c.failures).toBe(0);
    expect(c.probeSucceeded()).toBeUndefined();
  });
});

describe('CircuitBreaker.reset and isLive', () => {
  it('reset returns to live with no failures from any mode', () => {
    const c = new CircuitBreaker(2);
    c.connectFailed();
    c.connectFailed();
    c.restFailed();
    expect(c.mode).toBe('down');
    expect(c.isLive()).toBe(false);
    c.reset();
    expect(c.isLive()).toBe(true);
    expect([c.failures, c.restFailures]).toEqual([0, 0]);
    expect(c.connectFailed()).toBeUndefined(); // the streak starts over
  });
});

describe('LatencyRing', () => {
  it('reports nearest-rank p50/p99 over the window', () => {
    const r = new LatencyRing(1000);
    expect(r.percentiles()).toEqual({ p50: 0, p99: 0 });
    for (let i = 1000; i >= 1; i--) r.push(i); // unsorted input
    expect(r.percentiles()).toEqual({ p50: 500, p99: 990 });
  });

  it('keeps only the most recent `capacity` samples and ignores non-finite ones', () => {
    const r = new LatencyRing(4);
    for (const v of [1000, 1000, 1000, 1, 2, 3, 4]) r.push(v);
    r.push(NaN);
    r.push(Infinity);
    expect(r.size).toBe(4);
    expect(r.percentiles()).toEqual({ p50: 2, p99: 4 });
  });
});
