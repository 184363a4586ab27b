// Loads ccxt piecemeal. Importing all of ccxt (100+ exchanges; it does not
// tree-shake) costs ~400 ms and ~50 MB more RSS than one exchange class with its
// base classes, and the streaming process needs only the exchanges in its settings.
// So: the error classes at once (small), each exchange class when first asked for,
// from its own module (ccxt's ESM tree, js/src/pro/<id>.js); an id without such a
// module falls back to the whole of ccxt. Everything comes from the one ESM module
// graph, so the error classes caught here are the very classes the exchanges throw.
// Nothing in the streaming process imports 'ccxt' at run time except through here.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Exchange } from 'ccxt';
import type ccxtNamespace from 'ccxt';

type Ccxt = typeof ccxtNamespace;
export type ExchangeClass = new (config: object) => Exchange;

/** The ccxt error classes the streaming process throws or tells apart. */
export type CcxtErrors = Pick<
  Ccxt,
  | 'BaseError'
  | 'ExchangeError'
  | 'NetworkError'
  | 'RequestTimeout'
  | 'BadRequest'
  | 'BadResponse'
  | 'NotSupported'
  | 'ExchangeClosedByUser'
  | 'UnsubscribeError'
  | 'BadSymbol'
  | 'RateLimitExceeded'
  | 'DDoSProtection'
  | 'ChecksumError'
  | 'NullResponse'
>;

const load = createRequire(__filename);
/** ccxt's package root (its CommonJS entry is <root>/dist/ccxt.cjs). */
const CCXT_ROOT = dirname(dirname(load.resolve('ccxt')));
/** Exchange ids are lower-case letters and digits: nothing else may reach a file path. */
const CCXT_ID = /^[a-z0-9]+$/;

export type LoadedFrom = 'class' | 'full';

export interface ExchangeLoader {
  /** The ccxt.pro class for `ccxtId`, or undefined when ccxt.pro has none. */
  exchangeClass(ccxtId: string): ExchangeClass | undefined;
  /** How `ccxtId` was loaded (after exchangeClass): its own module, or all of ccxt. */
  loadedFrom(ccxtId: string): LoadedFrom | undefined;
  /** Whether all of ccxt has been loaded (only for an id without a module of its own). */
  readonly fullyLoaded: boolean;
}

/** A loader over a ccxt package at `root` (tests pass the installed one). */
export function createExchangeLoader(root = CCXT_ROOT): ExchangeLoader {
  const classes = new Map<string, { cls: ExchangeClass | undefined; from: LoadedFrom }>();
  let full: Ccxt | undefined;
  const loadFull = (): Ccxt => (full ??= load(join(root, 'js', 'ccxt.js')) as Ccxt);
  return {
    exchangeClass(ccxtId) {
      const known = classes.get(ccxtId);
      if (known) return known.cls;
      const file = join(root, 'js', 'src', 'pro', `${ccxtId}.js`);
      let entry: { cls: ExchangeClass | undefined; from: LoadedFrom };
      if (CCXT_ID.test(ccxtId) && existsSync(file)) {
        const mod = load(file) as { default?: unknown };
        entry = { cls: typeof mod.default === 'function' ? (mod.default as ExchangeClass) : undefined, from: 'class' };
      } else {
        const cls = (loadFull().pro as unknown as Record<string, unknown>)[ccxtId];
        entry = { cls: typeof cls === 'function' && Object.hasOwn(loadFull().pro, ccxtId) ? (cls as ExchangeClass) : undefined, from: 'full' };
      }
      classes.set(ccxtId, entry);
      return entry.cls;
    },
    loadedFrom: (ccxtId) => classes.get(ccxtId)?.from,
    get fullyLoaded() {
      return full !== undefined;
    },
  };
}

/** The process's loader. */
export const exchangeLoader = createExchangeLoader();

/** ccxt's error classes, from the same module graph as every exchange class. */
export const ccxt: CcxtErrors = load(join(CCXT_ROOT, 'js', 'src', 'base', 'errors.js')) as CcxtErrors;
