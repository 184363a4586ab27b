import { describe, expect, it } from 'vitest';
import type { SubscriptionStatus } from '../../shared/contract/status';
import type { RowStateInput } from '../../renderer/src/state/row-state';
import { deriveRowLook, pickRowSubscription, QUIET_WORD_LIMITS } from '../../renderer/src/state/row-state';

const base: RowStateInput = {
  hasData: true,
  dataSource: 'ws',
  subscription: { state: 'live', source: 'ws' },
  hostConnected: true,
  ageMs: 100,
  staleAfterMs: 5000,
  pollStaleAfterMs: 6000,
};

function sub(channel: SubscriptionStatus['channel'], state: SubscriptionStatus['state']): SubscriptionStatus {
  return { id: `sim|BTC/USDT|${channel}`, exchange: 'sim', symbol: 'BTC/USDT', channel, state, source: 'ws' };
}

describe('row look', () => {
  it('is live only while a live subscription vouches for fresh data', () => {
    expect(deriveRowLook(base)).toEqual({ state: 'live', source: 'ws', badge: 'live' });
    expect(deriveRowLook({ ...base, ageMs: 5001 }).state).toBe('stale');
  });

  it('old numbers stay live, marked quiet, while the exchange said lately that nothing newer exists', () => {
    expect(deriveRowLook({ ...base, ageMs: 60_000, quietAgeMs: 1000 })).toEqual({ state: 'live', source: 'ws', badge: 'live · quiet' });
    // the next word is asked for after one limit: the last one holds until it is due
    expect(deriveRowLook({ ...base, ageMs: 60_000, quietAgeMs: QUIET_WORD_LIMITS * 5000 }).badge).toBe('live · quiet');
    expect(deriveRowLook({ ...base, ageMs: 60_000, quietAgeMs: QUIET_WORD_LIMITS * 5000 + 1 }).state).toBe('stale'); // the word itself is too old
    expect(deriveRowLook({ ...base, ageMs: 60_000, quietAgeMs: null }).state).toBe('stale');
    expect(deriveRowLook({ ...base, ageMs: 100, quietAgeMs: 1000 }).badge).toBe('live'); // fresh data needs no word
    expect(deriveRowLook({ ...base, ageMs: 60_000, quietAgeMs: 1000, subscription: { state: 'live', source: 'ws', behind: true } }).state).toBe('behind');
    expect(deriveRowLook({ ...base, dataSource: 'rest', subscription: { state: 'polling', source: 'rest' }, ageMs: 60_000, quietAgeMs: 1000 }).state).toBe('stale');
    expect(deriveRowLook({ ...base, ageMs: 60_000, quietAgeMs: 1000, hostConnected: false }).state).toBe('stale');
  });

  it('maps subscription states to stale / reconnecting / polling', () => {
    expect(deriveRowLook({ ...base, subscription: { state: 'stale', source: 'ws' } }).state).toBe('stale');
    expect(deriveRowLook({ ...base, subscription: { state: 'reconnecting', source: 'ws' } }).state).toBe('reconnecting');
    expect(deriveRowLook({ ...base, subscription: { state: 'subscribing', source: 'ws' } }).state).toBe('reconnecting');
    const polling = deriveRowLook({ ...base, dataSource: 'rest', subscription: { state: 'polling', source: 'rest' }, ageMs: 5500 });
    expect(polling).toEqual({ state: 'polling', source: 'rest', badge: 'polling' });
    expect(deriveRowLook({ ...base, dataSource: 'rest', subscription: { state: 'polling', source: 'rest' }, ageMs: 6001 }).state).toBe('stale');
  });

  it('says "waiting" without data, naming the trouble, so an unreachable exchange never looks live', () => {
    const offline = deriveRowLook({ ...base, hasData: false, dataSource: undefined, ageMs: null, subscription: { state: 'reconnecting', source: 'ws' } });
    expect(offline).toEqual({ state: 'waiting', source: 'ws', badge: 'waiting · reconnecting' });
    expect(deriveRowLook({ ...base, hasData: false, dataSource: undefined, ageMs: null, subscription: undefined }).badge).toBe('waiting');
  });

  it('shows failed even without data, and stale for everything when the host is unreachable', () => {
    expect(deriveRowLook({ ...base, hasData: false, ageMs: null, subscription: { state: 'failed', source: 'ws' } }).state).toBe('failed');
    expect(deriveRowLook({ ...base, hostConnected: false }).state).toBe('stale');
  });

  it('names a down exchange when its rows have no subscription status', () => {
    const noSub = { ...base, subscription: undefined, exchangeMode: 'down' as const };
    expect(deriveRowLook({ ...noSub, hasData: false, dataSource: undefined, ageMs: null }).badge).toBe('waiting · exchange down');
    expect(deriveRowLook(noSub)).toEqual({ state: 'stale', source: 'ws', badge: 'stale · exchange down' });
  });

  it('falls back to the data source when no status has arrived yet', () => {
    expect(deriveRowLook({ ...base, subscription: undefined }).state).toBe('live');
    expect(deriveRowLook({ ...base, subscription: undefined, dataSource: 'rest' }).state).toBe('polling');
  });

  it('lets the ticker channel speak for a row, else its worst channel', () => {
    expect(pickRowSubscription([sub('trades', 'failed'), sub('ticker', 'live')])?.channel).toBe('ticker');
    expect(pickRowSubscription([sub('trades', 'live'), sub('book', 'reconnecting')])?.state).toBe('reconnecting');
    expect(pickRowSubscription([])).toBeUndefined();
  });

  it('says "behind" while its exchange is behind, and names the trades shed', () => {
    expect(deriveRowLook({ ...base, subscription: { state: 'live', source: 'ws', behind: true } })).toEqual({ state: 'behind', source: 'ws', badge: 'behind' });
    expect(deriveRowLook({ ...base, subscription: { state: 'live', source: 'ws', behind: true, tradesShed: 12 } })).toEqual({ state: 'behind', source: 'ws', badge: 'behind · 12 trades shed' });
    expect(deriveRowLook({ ...base, subscription: { state: 'live', source: 'ws', tradesShed: 3 } })).toEqual({ state: 'live', source: 'ws', badge: 'live · 3 trades shed' });
    // Old data is stale, behind or not.
    expect(deriveRowLook({ ...base, ageMs: 6000, subscription: { state: 'live', source: 'ws', behind: true } }).state).toBe('stale');
    expect(deriveRowLook({ ...base, subscription: { state: 'reconnecting', source: 'ws', behind: true } }).state).toBe('reconnecting');
  });

  it('carries the trades channel\'s shed count onto the ticker status that speaks for the row', () => {
    const trades = { ...sub('trades', 'live'), tradesShed: 7 };
    expect(pickRowSubscription([sub('ticker', 'live'), trades])).toEqual({ ...sub('ticker', 'live'), tradesShed: 7 });
    expect(pickRowSubscription([sub('ticker', 'live'), sub('trades', 'live')])).toEqual(sub('ticker', 'live'));
  });
});
