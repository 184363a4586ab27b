// The mutable ticker store, deliberately outside React: frames write here at tick
// rate and the rAF painter reads dirty rows from here. React never re-renders for
// a tick; it only learns which rows exist (from the watchlist in settings).
import type { TickerRow } from '../../../shared/contract/renderer-api';
import type { ExchangeStatus, SubscriptionStatus } from '../../../shared/contract/status';
import type { ExchangeMode } from '../../../shared/market';
import { exchangeOfInstrument, instrumentId } from '../../../shared/market';
import { pickRowSubscription } from './row-state';

export const FLASH_FIELDS = ['bid', 'ask', 'last'] as const;
export type FlashField = (typeof FLASH_FIELDS)[number];
export type FlashDirection = 'up' | 'down';

export interface Flash {
  direction: FlashDirection;
  /** When the change was applied (renderer clock, ms). */
  at: number;
}

export interface RowEntry {
  readonly key: string;
  readonly exchange: string;
  data: TickerRow | null;
  subscription: SubscriptionStatus | undefined;
  flash: Partial<Record<FlashField, Flash>>;
}

export interface ApplyStats {
  rows: number;
  receivedAtMin: number;
  receivedAtMax: number;
}

export class RowStore {
  private readonly entries = new Map<string, RowEntry>();
  private readonly dirty = new Set<string>();
  private readonly exchangeModes = new Map<string, ExchangeMode>();

  get(key: string): RowEntry | undefined {
    return this.entries.get(key);
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Applies a frame's rows; price moves start a flash. Returns receipt-time bounds for instrumentation. */
  apply(rows: readonly TickerRow[], now: number): ApplyStats {
    let receivedAtMin = Infinity;
    let receivedAtMax = -Infinity;
    for (const row of rows) {
      const key = instrumentId(row.exchange, row.symbol);
      const entry = this.entry(key);
      const prev = entry.data;
      if (prev) {
        for (const field of FLASH_FIELDS) {
          const before = prev[field];
          const after = row[field];
          if (before !== null && after !== null && after !== before) {
            entry.flash[field] = { direction: after > before ? 'up' : 'down', at: now };
          }
        }
      }
      entry.data = row;
      this.dirty.add(key);
      if (row.receivedAt < receivedAtMin) receivedAtMin = row.receivedAt;
      if (row.receivedAt > receivedAtMax) receivedAtMax = row.receivedAt;
    }
    return { rows: rows.length, receivedAtMin, receivedAtMax };
  }

  /** Replaces everything (hello): the host's snapshot is the truth, no flashes. */
  reset(rows: readonly TickerRow[]): void {
    this.entries.clear();
    for (const row of rows) this.entry(instrumentId(row.exchange, row.symbol)).data = row;
    for (const key of this.entries.keys()) this.dirty.add(key);
  }

  /** Attaches subscription states to rows; rows whose state changed are marked dirty. */
  setSubscriptions(subs: readonly SubscriptionStatus[]): void {
    const byRow = new Map<string, SubscriptionStatus[]>();
    for (const s of subs) {
      const key = instrumentId(s.exchange, s.symbol);
      const list = byRow.get(key);
      if (list) list.push(s);
      else byRow.set(key, [s]);
    }
    for (const [key, list] of byRow) {
      const entry = this.entry(key);
      const next = pickRowSubscription(list);
      if (!sameSubscription(entry.subscription, next)) {
        entry.subscription = next;
        this.dirty.add(key);
      }
    }
    // Rows that no longer have any subscription lose their stale status too.
    for (const entry of this.entries.values()) {
      if (entry.subscription && !byRow.has(entry.key)) {
        entry.subscription = undefined;
        this.dirty.add(entry.key);
      }
    }
  }

  /** Records each exchange's mode; rows of exchanges whose mode changed are marked dirty. */
  setExchanges(exchanges: readonly Pick<ExchangeStatus, 'exchange' | 'mode'>[]): void {
    const changed = new Set<string>();
    const seen = new Set<string>();
    for (const e of exchanges) {
      seen.add(e.exchange);
      if (this.exchangeModes.get(e.exchange) !== e.mode) {
        this.exchangeModes.set(e.exchange, e.mode);
        changed.add(e.exchange);
      }
    }
    for (const exchange of [...this.exchangeModes.keys()]) {
      if (!seen.has(exchange)) {
        this.exchangeModes.delete(exchange);
        changed.add(exchange);
      }
    }
    if (changed.size === 0) return;
    for (const entry of this.entries.values()) if (changed.has(entry.exchange)) this.dirty.add(entry.key);
  }

  exchangeMode(exchange: string): ExchangeMode | undefined {
    return this.exchangeModes.get(exchange);
  }

  /**
   * Keeps only the watched rows: a removed row's numbers are forgotten so that
   * re-adding it shows "waiting" rather than old numbers.
   */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.entries.keys()]) {
      if (!keys.has(key)) {
        this.entries.delete(key);
        this.dirty.delete(key);
      }
    }
  }

  markDirty(key: string): void {
    this.dirty.add(key);
  }

  /** Hands out the dirty keys and clears the set. */
  takeDirty(): string[] {
    const keys = [...this.dirty];
    this.dirty.clear();
    return keys;
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  private entry(key: string): RowEntry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, exchange: exchangeOfInstrument(key), data: null, subscription: undefined, flash: {} };
      this.entries.set(key, entry);
    }
    return entry;
  }
}

function sameSubscription(a: SubscriptionStatus | undefined, b: SubscriptionStatus | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  // behind and tradesShed change the row's look too (a storm never changes state), and so does the exchange's word that a quiet row is current.
  return a.state === b.state && a.source === b.source && a.delayed === b.delayed && a.behind === b.behind && a.tradesShed === b.tradesShed && a.quietAt === b.quietAt && a.error?.message === b.error?.message;
}
