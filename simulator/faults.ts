// Which faults are in force. One-shot faults (drop, malformed, server-shutdown)
// are actions the simulator performs at once; the others stay active until
// their durationMs runs out or a 'clear' fault removes them.
import { SimFaultSchema, type SimFault } from '../shared/contract/sim-faults';

export type LastingKind = 'refuse' | 'silence' | 'ignore-pings' | 'rest-error' | 'burst' | 'lifetime' | 'reject-subscription';

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
  /** Lasting faults by kind; reject-subscription is keyed per symbol. */
  private readonly active = new Map<string, Active>();

  private key(f: SimFault): string {
    return f.kind === 'reject-subscription' ? `reject-subscription:${f.symbol}` : f.kind;
  }

  /** Records a lasting fault (replacing one of the same kind); returns false for one-shot kinds. */
  apply(f: SimFault, now: number): boolean {
    switch (f.kind) {
      case 'drop':
      case 'malformed':
      case 'server-shutdown':
        return false;
      case 'clear':
        this.active.clear();
        return true;
      case 'refuse':
      case 'silence':
      case 'ignore-pings':
      case 'rest-error':
      case 'burst':
        this.active.set(this.key(f), { fault: f, until: f.durationMs === undefined ? Infinity : now + f.durationMs });
        return true;
      case 'lifetime':
      case 'reject-subscription':
        this.active.set(this.key(f), { fault: f, until: Infinity });
        return true;
    }
  }

  /** Drops expired faults; returns the kinds that expired. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [k, a] of this.active) {
      if (a.until <= now) {
        this.active.delete(k);
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
}
