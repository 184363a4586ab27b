import { describe, expect, it } from 'vitest';
import { EventBus, type HandlerFailure } from '../../electron/engine/bus/event-bus';
import { Owner } from '../../shared/lifecycle/owner';

interface Events extends Record<string, unknown> {
  price: { symbol: string; last: number };
  status: string;
}

describe('EventBus', () => {
  it('delivers typed payloads to every handler in registration order', () => {
    const bus = new EventBus<Events>();
    const owner = new Owner('test');
    const seen: string[] = [];
    bus.on('price', (p) => seen.push(`1:${p.symbol}@${p.last}`), owner);
    bus.on('price', (p) => seen.push(`2:${p.symbol}@${p.last}`), owner);
    bus.on('status', (s) => seen.push(`status:${s}`), owner);
    bus.emit('price', { symbol: 'BTC/USDT', last: 64000 });
    bus.emit('status', 'live');
    expect(seen).toEqual(['1:BTC/USDT@64000', '2:BTC/USDT@64000', 'status:live']);
  });

  it('removes all handlers of an owner when it is disposed: counts return to the baseline', () => {
    const bus = new EventBus<Events>();
    const app = new Owner('app');
    bus.on('status', () => undefined, app);
    const baseline = bus.handlerCounts();
    expect(baseline).toEqual({ status: 1 });

    const window = app.child('window');
    const calls: string[] = [];
    const handler = (s: string): void => void calls.push(s);
    bus.on('status', handler, window);
    bus.on('status', handler, window); // the same function twice is two handlers
    bus.on('price', () => calls.push('price'), window);
    expect(bus.handlerCounts()).toEqual({ status: 3, price: 1 });
    expect(window.counts()).toEqual({ 'bus:status': 2, 'bus:price': 1 });

    window.dispose();
    expect(bus.handlerCounts()).toEqual(baseline);
    bus.emit('status', 'after');
    bus.emit('price', { symbol: 'ETH/USDT', last: 1 });
    expect(calls).toEqual([]);
    expect(() => bus.on('status', handler, window)).toThrow(/disposed/);
    expect(bus.handlerCounts()).toEqual(baseline);
  });

  it('removes a single handler when its registration is disposed', () => {
    const bus = new EventBus<Events>();
    const owner = new Owner('o');
    const calls: string[] = [];
    const reg = bus.on('status', (s) => calls.push(`a:${s}`), owner);
    bus.on('status', (s) => calls.push(`b:${s}`), owner);
    reg.dispose();
    bus.emit('status', 'x');
    expect(calls).toEqual(['b:x']);
    expect(owner.counts()).toEqual({ 'bus:status': 1 });
  });

  it('isolates a throwing handler: it is reported and the others still run', async () => {
    const failures: HandlerFailure[] = [];
    const bus = new EventBus<Events>({ onHandlerError: (f) => failures.push(f) });
    const owner = new Owner('o');
    const calls: string[] = [];
    bus.on('status', () => calls.push('first'), owner);
    bus.on('status', () => {
      throw new Error('boom');
    }, owner);
    bus.on('status', async () => {
      throw new Error('async boom');
    }, owner);
    bus.on('status', () => calls.push('last'), owner);
    expect(() => bus.emit('status', 'x')).not.toThrow();
    expect(calls).toEqual(['first', 'last']);
    await Promise.resolve();
    expect(failures.map((f) => `${f.type}: ${(f.error as Error).message}`)).toEqual(['status: boom', 'status: async boom']);
  });

  it('does not call a handler removed by an earlier handler in the same emit', () => {
    const bus = new EventBus<Events>();
    const owner = new Owner('o');
    const late = new Owner('late');
    const calls: string[] = [];
    bus.on('status', () => late.dispose(), owner);
    bus.on('status', () => calls.push('late'), late);
    bus.emit('status', 'x');
    expect(calls).toEqual([]);
    expect(bus.handlerCounts()).toEqual({ status: 1 });
  });
});
