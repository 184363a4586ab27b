// Symbol search over every enabled exchange's markets (Ctrl+K / ⌘K): type, move with
// the arrows, Enter focuses the instrument, Shift+Enter adds it to the watchlist,
// Escape closes. The list is virtualized: thousands of hits render a screenful of rows.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { MarketIndex, type SearchHit } from '../search/market-search';
import { useApp, useRuntime } from './runtime-context';

const ROW_PX = 28;
/** What the watch request accepts (spot-style unified symbols). */
const WATCHABLE = /^[A-Z0-9]+\/[A-Z0-9]+$/;

export function SymbolSearch() {
  const open = useApp((s) => s.searchOpen);
  return open ? <SearchDialog /> : null;
}

function SearchDialog() {
  const { app, api } = useRuntime();
  const markets = useApp((s) => s.markets);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);

  // The catalogue is asked for once per session, when the search first opens.
  useEffect(() => {
    if (app.getState().markets === null) api.send({ type: 'markets' });
  }, [app, api]);

  const index = useMemo(() => new MarketIndex(markets ?? []), [markets]);
  const hits = useMemo(() => index.search(query), [index, query]);
  // eslint-disable-next-line react-hooks/incompatible-library -- read during render only; nothing here memoizes its functions
  const virtual = useVirtualizer({ count: hits.length, getScrollElement: () => listRef.current, estimateSize: () => ROW_PX, overscan: 8 });

  const close = () => app.getState().setSearchOpen(false);
  const move = (to: number) => {
    const next = Math.max(0, Math.min(hits.length - 1, to));
    setActive(next);
    virtual.scrollToIndex(next);
  };
  const choose = (hit: SearchHit | undefined, addToWatchlist: boolean) => {
    if (!hit) return;
    const { exchange, symbol } = hit.market;
    if (!addToWatchlist) {
      app.getState().focusInstrument(exchange, symbol);
      close();
      return;
    }
    if (!WATCHABLE.test(symbol)) {
      app.getState().pushNotice('warn', `${symbol} cannot be added to the watchlist yet (spot symbols only).`);
      return;
    }
    api.send({ type: 'watch', exchange, symbol, channels: ['ticker'] });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? ROW_PX * 10) / ROW_PX) - 1);
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in step) move(active + step[e.key]!);
    else if (e.key === 'Enter') choose(hits[active], e.shiftKey);
    else if (e.key === 'Escape') close();
    else return;
    e.preventDefault();
  };

  const loading = markets === null;
  return (
    <div className="overlay" onClick={close}>
      <div className="overlay-box search" role="dialog" aria-label="Symbol search" data-testid="symbol-search" onClick={(e) => e.stopPropagation()}>
        <input
          autoFocus
          data-testid="symbol-search-input"
          placeholder="Search markets: sol, btc usdc, eth swap…"
          aria-label="Search markets"
          aria-controls="search-results"
          aria-activedescendant={hits.length ? `search-hit-${active}` : undefined}
          value={query}
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
            virtual.scrollToOffset(0);
          }}
          onKeyDown={onKeyDown}
        />
        <div className="search-meta muted">
          {loading ? 'Loading markets…' : `${hits.length === index.size || !query ? index.size.toLocaleString() : hits.length.toLocaleString()} ${query ? 'matches' : 'markets'} · Enter focuses · Shift+Enter adds to the watchlist · Esc closes`}
        </div>
        <div className="search-results" id="search-results" role="listbox" ref={listRef}>
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((item) => {
              const hit = hits[item.index]!;
              const m = hit.market;
              return (
                <div
                  key={item.key}
                  id={`search-hit-${item.index}`}
                  role="option"
                  aria-selected={item.index === active}
                  className={`search-hit${m.active ? '' : ' inactive'}`}
                  data-testid="search-result"
                  data-exchange={m.exchange}
                  data-symbol={m.symbol}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_PX, transform: `translateY(${item.start}px)` }}
                  onMouseMove={() => item.index !== active && setActive(item.index)}
                  onClick={(e) => choose(hit, e.shiftKey)}
                >
                  <span className="hit-symbol">
                    {m.base}
                    <span className="muted">/{m.quote}</span>
                  </span>
                  <span className="hit-full muted">{m.symbol}</span>
                  <span className="hit-type">{m.type}</span>
                  <span className="hit-exchange">{m.exchange}</span>
                  <span className="hit-state">{m.active ? '' : 'inactive'}</span>
                </div>
              );
            })}
          </div>
          {!loading && hits.length === 0 && <p className="empty">No market matches “{query}”.</p>}
        </div>
      </div>
    </div>
  );
}

/** The focused instrument, for the trader to see where Enter took them. */
export function FocusedInstrument() {
  const focused = useApp((s) => s.focus);
  if (!focused) return null;
  return (
    <div className="focused-instrument" data-testid="focused-instrument" data-exchange={focused.exchange} data-symbol={focused.symbol}>
      Focused: <strong>{focused.symbol}</strong> <span className="muted">{focused.exchange}</span>
    </div>
  );
}
