import { describe, expect, it } from 'vitest';
import { RestLane } from '../../electron/streaming/rest-lane';
import { settle } from './streaming-fake-time';

/** A call that starts when the lane calls it and ends when the test says. */
function calls(trace: string[]) {
  const finish = new Map<string, () => void>();
  const call = (name: string) => () => {
    trace.push(`start ${name}`);
    return new Promise<string>((r) => finish.set(name, () => r(name)));
  };
  return { call, end: (name: string) => finish.get(name)!() };
}

describe('RestLane', () => {
  it('runs at most its slots at once; the others start in the order they asked, as slots free', async () => {
    const trace: string[] = [];
    const lane = new RestLane(2);
    const { call, end } = calls(trace);
    const never = new AbortController().signal;
    for (const name of ['a', 'b', 'c', 'd']) void lane.run(call(name), never).then((v) => trace.push(`done ${v}`));
    await settle();
    expect([trace, lane.queued]).toEqual([['start a', 'start b'], 2]);
    end('b');
    await settle();
    // the freed slot goes to the next call before the finished one's caller goes on
    expect(trace).toEqual(['start a', 'start b', 'start c', 'done b']);
    end('a');
    await settle();
    end('c');
    end('d');
    await settle();
    expect(trace).toEqual(['start a', 'start b', 'start c', 'done b', 'start d', 'done a', 'done c', 'done d']);
    expect(lane.queued).toBe(0);
    // every slot is free again: two calls start at once
    void lane.run(call('e'), never);
    void lane.run(call('f'), never);
    await settle();
    expect(trace.slice(-2)).toEqual(['start e', 'start f']);
  });

  it('a call aborted while waiting leaves the queue without being called; one aborted before asking is refused', async () => {
    const trace: string[] = [];
    const lane = new RestLane(1);
    const { call, end } = calls(trace);
    const never = new AbortController().signal;
    void lane.run(call('a'), never);
    const quit = new AbortController();
    const b = lane.run(call('b'), quit.signal);
    void lane.run(call('c'), never);
    await settle();
    quit.abort(new Error('unsubscribed'));
    await expect(b).rejects.toThrow('unsubscribed');
    expect(lane.queued).toBe(1);
    end('a');
    await settle();
    expect(trace).toEqual(['start a', 'start c']);
    await expect(lane.run(call('d'), quit.signal)).rejects.toThrow('unsubscribed');
    expect(trace).toEqual(['start a', 'start c']);
  });

  it('a call that fails frees its slot', async () => {
    const lane = new RestLane(1);
    const never = new AbortController().signal;
    await expect(lane.run(() => Promise.reject(new Error('down')), never)).rejects.toThrow('down');
    await expect(lane.run(async () => 'next', never)).resolves.toBe('next');
  });
});
