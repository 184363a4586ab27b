// Which faults are in force. One-shot faults (drop, malformed, server-shutdown and
// the book faults) are actions the simulator performs at once; the others stay
// active until their durationMs runs out or a 'clear' fault removes them.
import { SimFaultSchema, type SimFault } from '../shared/contract/sim-faults';

export type LastingKind = 'refuse' | 'silence' | 'ignore-pings' | 'rest-error' | 'burst' | 'lifetime' | 'reject-subscription' | 'trades-pause';

/** Key of trades-pause for every symbol. */
const ALL_SYMBOLS = '*';

interface Active {
  fault: SimFault;
  /** Expiry on the simulator's monotonic clock; Infinity = until cleared. */
  until: number;
}

export type FaultParse = { ok: true; fault: SimFault } | { ok: false; error: string };

/** Validates an unknown value as a SimFault, with a readable message on failure. */
export function parseFault(value: unknown): FaultParse {
  const r = SimFaultSchema.safeParse(value);
  if (r.success) return { ok: true, fault: r.data };
  const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return { ok: false, error: `invalid fault: ${issues.join('; ')}` };
}

export class FaultState {
  /** Lasting faults by kind; reject-subscription and trades-pause are keyed per symbol. */
  private readonly active = new Map<string, Active>();
  /** Number of trades-pause faults in force, so the per-trade check is free when there are none. */
  private pauses = 0;

  private key(f: SimFault): string {
    if (f.kind === 'reject-subscription') return `reject-subscription:${f.symbol}`;
    if (f.kind === 'trades-pause') return `trades-pause:${f.symbol ?? ALL_SYMBOLS}`;
    return f.kind;
  }

  private set(key: string, a: Active): void {
    if (key.startsWith('trades-pause:') && !this.active.has(key)) this.pauses++;
    this.active.set(key, a);
  }

  private delete(key: string): void {
    if (this.active.delete(key) && key.startsWith('trades-pause:')) this.pauses--;
  }

  /** Records a lasting fault (replacing one of the same kind); returns false for one-shot kinds. */
  apply(f: SimFault, now: number): boolean {
    switch (f.kind) {
      case 'drop':
      case 'malformed':
      case 'server-shutdown':
      case 'book-gap':
      case 'book-crossed':
      case 'book-stale-snapshot':
        return false;
      case 'clear':
        this.active.clear();
        this.pauses = 0;
        return true;
      case 'refuse':
      case 'silence':
      case 'ignore-pings':
      case 'rest-error':
      case 'burst':
      case 'trades-pause':
        this.set(this.key(f), { fault: f, until: f.durationMs === undefined ? Infinity : now + f.durationMs });
        return true;
      case 'lifetime':
      case 'reject-subscription':
        this.set(this.key(f), { fault: f, until: Infinity });
        return true;
    }
  }

  /** Drops expired faults; returns the kinds that expired. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [k, a] of this.active) {
      if (a.until <= now) {
        this.delete(k);
        gone.push(a.fault.kind);
      }
    }
    return gone;
  }

  /** Earliest expiry, Infinity when none. */
  nextExpiry(): number {
    let t = Infinity;
    for (const a of this.active.values()) if (a.until < t) t = a.until;
    return t;
  }

  list(): SimFault[] {
    return [...this.active.values()].map((a) => ({ ...a.fault }));
  }

  has(kind: LastingKind): boolean {
    return this.active.has(kind);
  }

  get<K extends LastingKind>(kind: K): Extract<SimFault, { kind: K }> | undefined {
    return this.active.get(kind)?.fault as Extract<SimFault, { kind: K }> | undefined;
  }

  rejects(exchangeSymbol: string): boolean {
    return this.active.has(`reject-subscription:${exchangeSymbol}`);
  }

  /** Whether trades of this exchange symbol are kept off the trade streams now. */
  pausesTrades(exchangeSymbol: string): boolean {
    if (this.pauses === 0) return false;
    return this.active.has(`trades-pause:${ALL_SYMBOLS}`) || this.active.has(`trades-pause:${exchangeSymbol}`);
  }
}
