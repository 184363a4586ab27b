// An enabled Futu entry's markets reach the symbol search's catalogue: the streaming
// service asks OpenD (the stand-in, through futu-api) at configure on a short
// connection of its own, and sends what it lists, validated by the protocol schema.
import { afterEach, describe, expect, it } from 'vitest';
import { OPEND_LISTING } from '../../simulator/opend/listing';
import { FUTU, FutuHarness } from './futu-harness';
import { quietClientConsole } from '../support/futu-websocket';

let h: FutuHarness | undefined;

quietClientConsole();

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('Futu market catalogue', () => {
  it('lists what OpenD lists, with type, currency and the active flag; the connection is closed after', async () => {
    h = await new FutuHarness().start();
    const [msg, ...more] = h.of('markets');
    expect(more).toEqual([]);
    expect(h.invalid).toEqual([]);
    expect(msg!.catalogue.exchange).toBe(FUTU);
    const bySymbol = new Map(msg!.catalogue.markets.map((m) => [m.symbol, m]));
    expect(bySymbol.get('HK.00700')).toEqual({ symbol: 'HK.00700', base: '00700', quote: 'HKD', type: 'stock', active: true });
    expect(bySymbol.get('US.SPY')).toEqual({ symbol: 'US.SPY', base: 'SPY', quote: 'USD', type: 'stock', active: true });
    expect(bySymbol.get('HK.HSImain')).toMatchObject({ type: 'future', quote: 'HKD', active: true });
    expect(bySymbol.get('HK.00013')).toMatchObject({ type: 'stock', active: false });
    expect(bySymbol.get('SH.600519')).toMatchObject({ quote: 'CNY', type: 'stock' });
    expect([...bySymbol.keys()].sort()).toEqual(OPEND_LISTING.map((l) => `${['HK', 'US', 'SH', 'SZ'][[1, 11, 21, 22].indexOf(l.market)]}.${l.code}`).sort());
    expect(h.opend.view().counts.staticInfos).toBe(10);
    expect(h.opend.view().connections).toEqual([]);
  });

  it('a refused connection: no catalogue and a log line saying so (asked again after a connect: streaming-broker-session.test.ts)', async () => {
    h = new FutuHarness({ websocketKey: 'the right one' });
    await h.start();
    expect(h.of('markets')).toEqual([]);
    expect(h.opend.view().counts.staticInfos).toBe(0);
    const line = h.of('log').flatMap((m) => m.records).find((r) => r.message.startsWith('market list not loaded'));
    expect(line?.fields).toMatchObject({ exchange: FUTU, error: expect.stringMatching(/OpenD at 127\.0\.0\.1:\d+ did not initialise the connection/) });
  });
});
