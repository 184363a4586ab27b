// Which session serves an exchange entry, by its adapter kind.
import { describe, expect, it } from 'vitest';
import { Owner } from '../../shared/lifecycle/owner';
import { StreamingTuningSchema, type ExchangeSettings } from '../../shared/settings';
import { BrokerSession } from '../../electron/streaming/adapters/broker-session';
import { createMarketSession } from '../../electron/streaming/adapters/sessions';
import { EventLog } from '../../electron/streaming/event-log';
import { ExchangeSession } from '../../electron/streaming/exchange-session';
import { TickSink } from '../../electron/streaming/tick-sink';

const deps = (settings: ExchangeSettings) => ({
  settings,
  streaming: StreamingTuningSchema.parse({}),
  owner: new Owner('s'),
  sink: new TickSink(() => undefined),
  log: new EventLog(() => undefined),
  changed: () => undefined,
});
const base = { simulated: false, urls: {}, enabled: true };

describe('createMarketSession', () => {
  it('serves ccxt entries with the ccxt session, IB and Futu entries with the broker session', () => {
    const ccxt = createMarketSession(deps({ ...base, id: 'b', kind: 'ccxt', ccxtId: 'binance' }));
    expect(ccxt.ok && ccxt.session).toBeInstanceOf(ExchangeSession);
    const ib = createMarketSession(deps({ ...base, id: 'ib', kind: 'ib' }));
    expect(ib.ok && ib.session).toBeInstanceOf(BrokerSession);
    const futu = createMarketSession(deps({ ...base, id: 'f', kind: 'futu' }));
    expect(futu.ok && futu.session).toBeInstanceOf(BrokerSession);
  });

  it('refuses a ccxt id without WebSocket support, saying why', () => {
    expect(createMarketSession(deps({ ...base, id: 'x', kind: 'ccxt', ccxtId: 'nosuchexchange' }))).toEqual({
      ok: false,
      error: 'exchange has no WebSocket support in ccxt.pro (ccxtId "nosuchexchange")',
    });
  });
});
