import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { Outage } from '../../shared/contract/status';
import { OutageTracker } from '../../electron/streaming/outage-tracker';
import { FakeTime } from './streaming-fake-time';

function setup() {
  const time = new FakeTime();
  const records: Outage[] = [];
  const tracker = new OutageTracker('sim', time, (o) => records.push(structuredClone(o)));
  return { time, records, tracker };
}

const dropped = new ccxt.NetworkError('connection closed by remote server, closing code 1006');

describe('OutageTracker', () => {
  it('one outage however many subscriptions report the loss; complete when all are restored', async () => {
    const { time, records, tracker } = setup();
    expect(tracker.begin('a', dropped)).toBe(true);
    expect(tracker.begin('b', dropped)).toBe(false);
    expect(tracker.begin('c', new ccxt.NetworkError('other'))).toBe(false);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ exchange: 'sim', reason: 'close', code: 1006, restored: [] });
    expect(records[0]!.downMs).toBeUndefined();
    await time.advance(250);
    tracker.restored('a');
    tracker.restored('x'); // never affected: ignored
    tracker.restored('c');
    expect(records).toHaveLength(1);
    tracker.restored('b');
    expect(tracker.isOpen).toBe(false);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ id: records[0]!.id, downMs: 250, restored: ['a', 'c', 'b'] });
  });

  it('a subscription that fails or leaves is no longer waited for', () => {
    const { records, tracker } = setup();
    tracker.begin('a', dropped);
    tracker.begin('b', dropped);
    tracker.restored('a');
    tracker.forget('b');
    expect(records.at(-1)).toMatchObject({ restored: ['a'] });
    expect(tracker.isOpen).toBe(false);
  });

  it('a suspected cause wins over what the loops report, once', () => {
    const { records, tracker } = setup();
    tracker.suspect({ reason: 'stale', message: 'no data for 1500 ms' });
    tracker.begin('a', dropped);
    expect(records[0]).toMatchObject({ reason: 'stale', message: 'no data for 1500 ms' });
    expect(records[0]!.code).toBeUndefined();
    tracker.suspect({ reason: 'stale', message: 'ignored while open' });
    tracker.forget('a');
    tracker.begin('a', dropped);
    expect(records.at(-1)).toMatchObject({ reason: 'close', code: 1006 });
  });

  it('clear forgets the open outage without recording it; each outage gets its own id', () => {
    const { records, tracker } = setup();
    tracker.begin('a', dropped);
    tracker.clear();
    tracker.restored('a');
    expect(records).toHaveLength(1);
    tracker.begin('a', dropped);
    expect(records[1]!.id).not.toBe(records[0]!.id);
  });
});
