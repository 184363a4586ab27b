// The Futu adapter against the OpenD stand-in, through the streaming service, per
// fault, asserted from both sides: the service's events, statuses and outages, and
// the stand-in's own view (every subscription live exactly once, on one connection;
// nothing left after unsubscribe — the one-minute rule shortened by the stand-in's
// option, which the entry's minSubscriptionMs mirrors — and after shutdown).
import { afterEach, describe, expect, it } from 'vitest';
import { fastStreaming } from './streaming-harness';
import { FutuHarness, futuKey, openDName } from './futu-harness';
import { OPEND_MESSAGES } from '../../simulator/opend/opend-standin';
import { quietClientConsole } from '../support/futu-websocket';

const HK = 'HK.00700';
const US = 'US.AAPL';
const KEYS = [futuKey(HK, 'ticker'), futuKey(HK, 'trades'), futuKey(HK, 'book'), futuKey(US, 'ticker')];
const SERVED = KEYS.map(openDName);
const IDS = KEYS.map((k) => `futu|${k.symbol}|${k.channel}`).sort();
const HOLD_MS = 300;

let h: FutuHarness | undefined;

quietClientConsole();

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function live(quota = 100): Promise<FutuHarness> {
  h = await new FutuHarness({ minSubscriptionMs: HOLD_MS, quota }).start(fastStreaming());
  h.subscribe(KEYS);
  await h.until(() => h!.statuses().length === 4 && h!.statuses().every((s) => s.state === 'live'), 'every subscription live');
  await h.until(() => h!.servesExactly(SERVED), 'the stand-in serving each subscription once');
  return h;
}

/** After a fault: rows flow again for both instruments, all live, the stand-in serves each once on one connection and no more subscribes follow. */
async function recovered(h: FutuHarness, mark: number): Promise<void> {
  await h.until(() => h.rows(HK, mark) > 0 && h.rows(US, mark) > 0, 'rows after the fault', 15_000);
  await h.until(() => h.statuses().every((s) => s.state === 'live'), 'all live again', 15_000);
  await h.until(() => h.servesExactly(SERVED), 'the stand-in: each subscription exactly once, none left over');
  const subs = h.opend.view().counts.subs;
  await new Promise((r) => setTimeout(r, 300));
  expect(h.opend.view().counts.subs).toBe(subs); // no late duplicate subscribes
}

describe('Futu adapter against the OpenD stand-in', () => {
  it('quote, ticker and book rows flow; unsubscribe leaves nothing at OpenD after its minute; shutdown is clean', async () => {
    await live();
    expect(h!.service.exchangeStatuses()[0]).toMatchObject({ exchange: 'futu', state: 'connected', connections: 1, reconnects: 0 });
    // Live is decided on receipt; the rows reach the engine with the next tick batch.
    const lastBook = await h!.until(() => h!.of('ticks').flatMap((b) => b.books).filter((b) => b.key === `futu|${HK}`).at(-1), 'a book row sent');
    await h!.until(() => h!.rows(US) > 0, 'a US row sent');
    expect(lastBook.bids.length).toBe(5); // fastStreaming's bookDepth
    expect(lastBook.bids[0]![0]).toBeGreaterThan(lastBook.bids[1]![0]);
    expect(lastBook.asks[0]![0]).toBeGreaterThan(lastBook.bids[0]![0]);
    expect(h!.opend.view().counts.subs).toBe(4);

    h!.unsubscribe([KEYS[1]!]);
    await h!.until(() => h!.statuses().length === 3, 'trades gone from the service');
    await h!.until(() => h!.servesExactly([SERVED[0]!, SERVED[2]!, SERVED[3]!]), 'trades unsubscribed at OpenD once its minute passed');
    expect(h!.opend.view().counts.refused).toBe(0); // never asked within the minute
    h!.unsubscribe([KEYS[0]!, KEYS[2]!, KEYS[3]!]);
    await h!.until(() => h!.opend.view().connections.length === 0, 'hung up when nothing is subscribed');
    expect(h!.service.workTasks()).toEqual({});

    h!.subscribe(KEYS);
    await h!.until(() => h!.servesExactly(SERVED), 'subscribed again');
    const report = await h!.service.shutdown(2000);
    expect(report.clean).toBe(true);
    expect(report.leftoverTasks).toEqual({});
    await h!.until(() => h!.opend.view().connections.length === 0, 'no connection left after shutdown');
    expect(h!.invalid).toEqual([]);
  });

  it('drop: one outage, one backoff, every subscription made again exactly once', async () => {
    await live();
    const before = h!.opend.view().counts;
    const mark = h!.mark();
    h!.opend.drop();
    await recovered(h!, mark);
    const after = h!.opend.view().counts;
    expect(after.subs - before.subs).toBe(4);
    expect(after.inits - before.inits).toBe(1);
    const outage = await h!.until(() => h!.outages().find((o) => o.downMs !== undefined), 'completed outage');
    expect([...outage.restored].sort()).toEqual(IDS);
    expect(h!.events('RECONNECTING')).toHaveLength(1);
    expect(h!.service.exchangeStatuses()[0]).toMatchObject({ state: 'connected', reconnects: 1 });
  });

  it('stall: unanswered keep-alives end the connection; a fresh one restores every subscription once', async () => {
    await live();
    const before = h!.opend.view().counts;
    const mark = h!.mark();
    h!.opend.stall();
    await h!.until(() => h!.statuses().every((s) => s.state === 'reconnecting' || s.state === 'stale'), 'reconnecting after the stall', 15_000);
    await recovered(h!, mark);
    const after = h!.opend.view().counts;
    expect(after.subs - before.subs).toBe(4);
    expect(after.inits - before.inits).toBe(1);
    expect(h!.opend.view().connections.every((c) => !c.stalled)).toBe(true); // the stalled socket was cut
    const outage = await h!.until(() => h!.outages().find((o) => o.downMs !== undefined), 'completed outage');
    expect([...outage.restored].sort()).toEqual(IDS);
    expect(h!.service.exchangeStatuses()[0]).toMatchObject({ state: 'connected', reconnects: 1 });
  });

  it('quota exceeded: the refused subscription fails with OpenD\'s words, the others stay live and nothing is retried', async () => {
    await live(5);
    const extra = [futuKey(US, 'trades'), futuKey(US, 'book')]; // one unit fits, the second is refused
    h!.subscribe(extra);
    const failed = await h!.until(() => h!.statuses().find((s) => s.state === 'failed'), 'one subscription failed');
    expect(failed.error).toEqual({ class: 'exchange', message: OPEND_MESSAGES.quota(5, 1, 5) });
    await h!.until(() => h!.events('FAILED').length > 0, 'the failure in the connection log');
    expect(h!.events('FAILED').map((e) => e.message)).toEqual([OPEND_MESSAGES.quota(5, 1, 5)]);
    await h!.until(() => h!.statuses().filter((s) => s.state === 'live').length === 5, 'the others live');
    expect(h!.opend.view().quotaUsed).toBe(5);
    const refused = h!.opend.view().counts.refused;
    await new Promise((r) => setTimeout(r, 300));
    expect(h!.opend.view().counts.refused).toBe(refused); // a refusal is final, not retried
    expect(h!.service.exchangeStatuses()[0]).toMatchObject({ state: 'connected', reconnects: 0 });
  });

  it('a wrong key: OpenD refuses the connection, the outage says so, and the session keeps retrying with backoff', async () => {
    h = new FutuHarness({ minSubscriptionMs: HOLD_MS, websocketKey: 'the right one' });
    await h.start();
    h.subscribe([futuKey(HK)]);
    await h.until(() => h!.events('RECONNECTING').length >= 2, 'retrying');
    expect(h.statuses()[0]?.state).toBe('reconnecting');
    expect(h.service.exchangeStatuses()[0]).toMatchObject({ state: 'reconnecting', connections: 0 });
    await h.until(() => h!.outages().length > 0, 'the outage sent');
    expect(h.outages()[0]?.message).toMatch(/OpenD at 127\.0\.0\.1:\d+: OpenD did not initialise the connection/);
    expect(h.opend.view().counts.subs).toBe(0);
    expect(h.opend.view().connections.every((c) => !c.initialised)).toBe(true);
  });

  it('invalid notation fails that subscription with what was expected; nothing reaches OpenD for it', async () => {
    await live();
    h!.subscribe([futuKey('HK.700')]);
    const failed = await h!.until(() => h!.statuses().find((s) => s.state === 'failed'), 'the bad one failed');
    expect(failed.error?.class).toBe('bad-symbol');
    expect(failed.error?.message).toMatch(/expected MARKET\.CODE/);
    expect(h!.servesExactly(SERVED)).toBe(true);
  });
});
