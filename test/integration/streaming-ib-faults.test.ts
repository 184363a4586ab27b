// The IB adapter against the TWS stand-in, per fault, asserted from both sides:
// the streaming service's events, statuses and outages, and the stand-in's own view
// (each subscription requested exactly once, on one connection; nothing left after
// unsubscribe and after shutdown).
import { afterEach, describe, expect, it } from 'vitest';
import { fastStreaming } from './streaming-harness';
import { ibKey, IbHarness, twsName } from './ib-harness';
import { TwsSimulator, type TwsSimulatorOptions } from '../../simulator/tws/tws-simulator';
import { IbAdapter } from '../../electron/streaming/adapters/ib/ib-adapter';
import type { BrokerLink } from '../../electron/streaming/adapters/adapter';
import { EventLog } from '../../electron/streaming/event-log';
import { Owner } from '../../shared/lifecycle/owner';

const AAPL = 'AAPL@SMART:STK:USD';
const ES = 'ES@CME:FUT:202612';
const KEYS = [ibKey(AAPL, 'ticker'), ibKey(AAPL, 'trades'), ibKey(ES, 'book')];
const SERVED = [twsName(KEYS[0]!, 'AAPL@SMART:STK:USD'), twsName(KEYS[1]!, 'AAPL@SMART:STK:USD'), twsName(KEYS[2]!, 'ES@CME:FUT:202612:USD')];
const IDS = KEYS.map((k) => `ib|${k.symbol}|${k.channel}`).sort();

let h: IbHarness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function live(opts: TwsSimulatorOptions = {}, clientId = 0): Promise<IbHarness> {
  h = await new IbHarness(opts).start(fastStreaming(), clientId);
  h.subscribe(KEYS);
  await h.until(() => h!.statuses().length === 3 && h!.statuses().every((s) => s.state === 'live'), 'every subscription live');
  await h.until(() => h!.twsServesExactly(SERVED), 'the stand-in serving each subscription once');
  return h;
}

/** After a fault: rows flow again for both instruments, all live, the stand-in serves each once and no more requests follow. */
async function recovered(h: IbHarness, mark: number): Promise<void> {
  await h.until(() => h.rows(AAPL, mark) > 0 && h.rows(ES, mark) > 0, 'rows after the fault', 15_000);
  await h.until(() => h.statuses().every((s) => s.state === 'live'), 'all live again', 15_000);
  await h.until(() => h.twsServesExactly(SERVED), 'the stand-in: each subscription exactly once, none left over');
  const requested = structuredClone(h.tws.view().totals.requests);
  await new Promise((r) => setTimeout(r, 300));
  expect(h.tws.view().totals.requests).toEqual(requested); // no late duplicate requests
}

describe('IB adapter against the TWS stand-in', () => {
  it('ticker, trades and book rows flow; unsubscribe leaves nothing at TWS; shutdown is clean', async () => {
    await live();
    const status = h!.service.exchangeStatuses()[0]!;
    expect(status).toMatchObject({ exchange: 'ib', state: 'connected', connections: 1, reconnects: 0 });
    const books = h!.of('ticks').flatMap((b) => b.books).filter((b) => b.key === `ib|${ES}`);
    const lastBook = books.at(-1)!;
    expect(lastBook.bids.length).toBe(5); // fastStreaming's bookDepth
    expect(lastBook.bids[0]![0]).toBeGreaterThan(lastBook.bids[1]![0]); // rows by position became price levels, best first
    expect(lastBook.asks[0]![0]).toBeGreaterThan(lastBook.bids[0]![0]);
    const ticker = h!.of('ticks').find((b) => b.keys.includes(`ib|${AAPL}`) && b.tickers.length > 0)!;
    expect(Number.isFinite(ticker.tickers[1]) && Number.isFinite(ticker.tickers[2])).toBe(true); // bid and ask
    expect(h!.events('NOTICE').map((e) => e.code)).toEqual([2104, 2106, 2158]); // data farms in the timeline

    h!.unsubscribe([KEYS[1]!]);
    await h!.until(() => h!.twsServesExactly([SERVED[0]!, SERVED[2]!]), 'trades cancelled at TWS');
    h!.unsubscribe([KEYS[0]!, KEYS[2]!]);
    await h!.until(() => h!.tws.view().connections.length === 0, 'hung up when nothing is subscribed');
    expect(h!.tws.view().totals.cancels).toBe(1); // the last ones went with the connection
    expect(h!.service.workTasks()).toEqual({});

    h!.subscribe(KEYS);
    await h!.until(() => h!.twsServesExactly(SERVED), 'subscribed again');
    const report = await h!.service.shutdown(2000);
    expect(report.clean).toBe(true);
    expect(report.leftoverTasks).toEqual({});
    await h!.until(() => h!.tws.view().connections.length === 0, 'no connection left after shutdown');
    expect(h!.invalid).toEqual([]);
  });

  it('drop: one outage, one backoff, every subscription requested again exactly once', async () => {
    await live();
    const before = h!.tws.view().totals.requests;
    const mark = h!.mark();
    h!.tws.fault({ kind: 'drop' });
    await recovered(h!, mark);
    const after = h!.tws.view().totals.requests;
    expect([after.mktData - before.mktData, after.tickByTick - before.tickByTick, after.depth - before.depth]).toEqual([1, 1, 1]);
    const outage = await h!.until(() => h!.outages().find((o) => o.downMs !== undefined), 'completed outage');
    expect([...outage.restored].sort()).toEqual(IDS);
    expect(h!.events('RECONNECTING')).toHaveLength(1);
    expect(h!.service.exchangeStatuses()[0]).toMatchObject({ state: 'connected', reconnects: 1 });
  });

  it('1101 (data lost) requests each subscription again once on the same connection; 1102 (data kept) requests nothing', async () => {
    await live();
    const opened = h!.tws.view().totals.connectionsOpened;
    let before = h!.tws.view().totals.requests;
    h!.tws.fault({ kind: 'connectivity-lost' });
    await h!.until(() => h!.statuses().every((s) => s.state === 'reconnecting'), 'reconnecting on 1100');
    expect(h!.service.exchangeStatuses()[0]?.state).toBe('reconnecting');
    let mark = h!.mark();
    h!.tws.fault({ kind: 'connectivity-restored', dataLost: true });
    await recovered(h!, mark);
    let after = h!.tws.view().totals.requests;
    expect([after.mktData - before.mktData, after.tickByTick - before.tickByTick, after.depth - before.depth]).toEqual([1, 1, 1]);

    before = after;
    h!.tws.fault({ kind: 'connectivity-lost' });
    await h!.until(() => h!.statuses().every((s) => s.state === 'reconnecting'), 'reconnecting on 1100 again');
    mark = h!.mark();
    h!.tws.fault({ kind: 'connectivity-restored', dataLost: false });
    await recovered(h!, mark);
    after = h!.tws.view().totals.requests;
    expect(after).toEqual(before);
    expect(h!.tws.view().totals.connectionsOpened).toBe(opened); // TWS kept our socket throughout: no redial
    expect(h!.outages().filter((o) => o.downMs !== undefined).map((o) => o.code)).toEqual([1100, 1100]);
  });

  it('326: a client id in use makes the adapter try the next one', async () => {
    h = new IbHarness();
    h.tws.fault({ kind: 'client-id-in-use', clientId: 3 });
    h.tws.fault({ kind: 'client-id-in-use', clientId: 4 });
    await h.start(fastStreaming(), 3);
    h.subscribe(KEYS);
    await h.until(() => h!.twsServesExactly(SERVED), 'served after the clash');
    expect(h.tws.view().connections[0]?.clientId).toBe(5);
    expect(h.tws.view().totals.sessions).toBe(1);
    expect(h.events('RECONNECTING')).toHaveLength(0); // a clash is not an outage
  });

  it('pacing violations (100) slow requests down and every refused request is made again', async () => {
    h = new IbHarness();
    h.tws.fault({ kind: 'pacing', perSecond: 1 });
    await h.start();
    h.subscribe(KEYS);
    await h.until(() => h!.twsServesExactly(SERVED), 'all served despite pacing', 15_000);
    expect(h.tws.view().totals.pacingViolations).toBeGreaterThan(0);
    await h.until(() => h!.statuses().every((s) => s.state === 'live'), 'all live');
    expect(h.statuses().filter((s) => s.state === 'failed')).toEqual([]);
  });

  it('no live permission: delayed data, and every row of it says delayed', async () => {
    h = new IbHarness({ livePermission: false });
    await h.start();
    h.subscribe([ibKey(AAPL, 'ticker')]);
    await h.until(() => h!.statuses()[0]?.state === 'live', 'live on delayed data');
    expect(h.statuses()[0]?.delayed).toBe(true);
    await h.until(() => h!.of('status').at(-1)?.subscriptions[0]?.delayed === true, 'the status sent to the engine says delayed');
    expect(h.tws.view().connections[0]?.marketDataType).toBe(3);
    expect(h.twsServesExactly([SERVED[0]!])).toBe(true);
  });

  it('unknown contract (200): that subscription fails with the broker words, the others stay live', async () => {
    h = await new IbHarness().start();
    h.subscribe([ibKey(AAPL), ibKey('ZZZZ@SMART:STK:USD')]);
    await h.until(() => h!.statuses().some((s) => s.state === 'failed') && h!.statuses().some((s) => s.state === 'live'), 'one failed, one live');
    const failed = h.statuses().find((s) => s.state === 'failed')!;
    expect(failed).toMatchObject({ symbol: 'ZZZZ@SMART:STK:USD', error: { class: 'bad-symbol', message: 'No security definition has been found for the request' } });
    expect(h.twsServesExactly([SERVED[0]!])).toBe(true);
    expect(h.outages()).toEqual([]);
  });

  it('refuse: refused dials back off, then every subscription is requested once', async () => {
    h = new IbHarness();
    h.tws.fault({ kind: 'refuse', ms: 400 });
    await h.start();
    h.subscribe(KEYS);
    await h.until(() => h!.twsServesExactly(SERVED), 'served once accepted', 15_000);
    expect(h.tws.view().totals.connectionsRefused).toBeGreaterThan(0);
    expect(h.events('RECONNECTING').length).toBeGreaterThan(0);
    await recovered(h, 0);
  });

  it('shutdown while TWS has not answered the handshake is clean and leaves no connection', async () => {
    h = new IbHarness();
    h.tws.fault({ kind: 'stall', ms: 10_000 });
    await h.start();
    h.subscribe(KEYS);
    await h.until(() => h!.tws.view().connections.length === 1, 'dialled');
    const report = await h.service.shutdown(2000);
    expect(report.clean).toBe(true);
    expect(report.leftoverTasks).toEqual({});
    await h.until(() => h!.tws.view().connections.length === 0, 'hung up');
  });

  it('hanging up while connect() is still loading the client library dials nothing', async () => {
    const tws = new TwsSimulator({ ratePerRequest: 0 });
    await tws.start();
    try {
      const owner = new Owner('ib');
      const adapter = new IbAdapter('ib', { host: tws.host, port: tws.port, clientId: 0 }, fastStreaming(), new EventLog(() => undefined), owner);
      const connecting = adapter.connect({} as BrokerLink);
      await adapter.disconnect();
      await expect(connecting).rejects.toThrow('hung up before connecting');
      await new Promise((r) => setTimeout(r, 200));
      expect(tws.view().totals.connectionsOpened).toBe(0);
      expect(owner.counts()).toEqual({});
    } finally {
      await tws.stop();
    }
  });

  it('a quiet market is not an outage: keep-alive answers vouch for the connection', async () => {
    h = await new IbHarness({ ratePerRequest: 0 }).start(); // the initial snapshot only, then nothing
    h.subscribe([ibKey(AAPL)]);
    await h.until(() => h!.statuses()[0]?.state === 'live', 'live on the snapshot');
    await new Promise((r) => setTimeout(r, 2500)); // beyond the 1.5 s stale window
    expect(h.statuses()[0]?.state).toBe('live');
    expect(h.events('STALE')).toEqual([]);
    expect(h.tws.view().totals.connectionsOpened).toBe(1);
  });

  it('stall: silent subscriptions are declared stale and the connection replaced; all restored once', async () => {
    await live();
    const mark = h!.mark();
    h!.tws.fault({ kind: 'stall', ms: 2500 });
    await h!.until(() => h!.events('STALE').length > 0, 'stale declared');
    await new Promise((r) => setTimeout(r, 2600));
    await recovered(h!, mark);
    const outage = await h!.until(() => h!.outages().find((o) => o.downMs !== undefined), 'completed outage', 15_000);
    expect(outage.reason).toBe('stale');
  }, 40_000);
});
