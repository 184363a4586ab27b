// Which session serves an exchange entry, by its adapter kind.
import type { MarketSession, SessionDeps } from './adapter';
import { ExchangeSession } from '../exchange-session';
import { isSupportedExchange } from '../instrumented-exchange';
import { BrokerSession } from './broker-session';
import { FutuAdapter } from './futu/futu-adapter';
import { IbAdapter } from './ib/ib-adapter';

export type SessionResult = { ok: true; session: MarketSession } | { ok: false; error: string };

export function createMarketSession(deps: SessionDeps): SessionResult {
  const s = deps.settings;
  switch (s.kind) {
    case 'ccxt':
      if (!s.ccxtId || !isSupportedExchange(s.ccxtId)) return { ok: false, error: `exchange has no WebSocket support in ccxt.pro (ccxtId "${s.ccxtId ?? ''}")` };
      return { ok: true, session: new ExchangeSession(deps) };
    case 'ib':
      return { ok: true, session: new BrokerSession(deps, new IbAdapter(s.id, s.ib, deps.streaming, deps.log, deps.owner.child('ib'), deps.scheduler)) };
    case 'futu':
      return { ok: true, session: new BrokerSession(deps, new FutuAdapter(s.futu, deps.streaming, deps.owner.child('futu'), deps.scheduler)) };
  }
}
