// The settings file: one format for what the app saves and what `--config` reads.
// Every field has a default, so a partial file is valid; unknown keys are refused
// so that a typo is reported instead of silently ignored.
import { z } from 'zod';
import { CHANNELS } from './market';

const url = z.string().regex(/^(https?|wss?):\/\/[^\s]+$/, 'must be an http(s):// or ws(s):// URL');

export const ExchangeSettingsSchema = z
  .object({
    /** Label used everywhere in the app ("sim", "binance", "binance-testnet"). */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, - and _, at most 32'),
    /** ccxt exchange id; must have WebSocket support in ccxt.pro. */
    ccxtId: z.string().regex(/^[a-z0-9]+$/, 'a ccxt exchange id such as "binance"'),
    /** Served by the built-in exchange simulator (which fills in the URLs). */
    simulated: z.boolean().default(false),
    /** Custom endpoints for testnets and proxies; both default to the exchange's own. */
    urls: z.object({ rest: url.optional(), ws: url.optional() }).strict().default({}),
    enabled: z.boolean().default(true),
  })
  .strict();
export type ExchangeSettings = z.infer<typeof ExchangeSettingsSchema>;

export const WatchlistEntrySchema = z
  .object({
    exchange: z.string().min(1),
    symbol: z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, 'a unified symbol such as "BTC/USDT"'),
    channels: z.array(z.enum(CHANNELS)).min(1).default(['ticker']),
  })
  .strict();
export type WatchlistEntry = z.infer<typeof WatchlistEntrySchema>;

export const BackoffSettingsSchema = z
  .object({
    baseMs: z.number().int().min(0).default(1000),
    capMs: z.number().int().min(0).default(60_000),
    factor: z.number().min(1).default(2),
    /** Full jitter fraction: 0 = none, 1 = delay drawn from [0, d]. */
    jitter: z.number().min(0).max(1).default(0.5),
    /** Reconnect attempts before the circuit opens (REST fallback). */
    maxAttempts: z.number().int().min(1).default(50),
  })
  .strict();

export const StreamingSettingsSchema = z
  .object({
    backoff: BackoffSettingsSchema.default(BackoffSettingsSchema.parse({})),
    /** A subscription with no data for this long is declared stale (per channel cadence). */
    staleAfterMs: z
      .object({
        ticker: z.number().int().positive().default(5000),
        trades: z.number().int().positive().default(30_000),
        book: z.number().int().positive().default(5000),
      })
      .strict()
      .default({ ticker: 5000, trades: 30_000, book: 5000 }),
    /** WebSocket ping interval; a missed pong is detected after this. */
    keepAliveMs: z.number().int().positive().default(20_000),
    circuit: z
      .object({
        /** Consecutive connection failures that open the circuit. */
        failureThreshold: z.number().int().min(1).default(5),
        /** How often the socket is probed while polling. */
        probeIntervalMs: z.number().int().positive().default(15_000),
        /** REST poll period per symbol while the circuit is open. */
        pollIntervalMs: z.number().int().positive().default(2000),
      })
      .strict()
      .default({ failureThreshold: 5, probeIntervalMs: 15_000, pollIntervalMs: 2000 }),
    /** Replace a connection before the exchange cuts it (Binance: 24 h). 0 disables. */
    rotateAfterMs: z.number().int().min(0).default(23 * 3600_000),
    /** Top N levels kept for order book subscriptions. */
    bookDepth: z.number().int().min(1).max(100).default(10),
  })
  .strict();
export type StreamingSettings = z.infer<typeof StreamingSettingsSchema>;

export const SimulatorSettingsSchema = z
  .object({
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65535).default(0),
    seed: z.number().int().default(42),
    /** Messages per second per symbol and channel. */
    ratePerSymbol: z.number().min(0).max(100_000).default(4),
  })
  .strict();

export const WindowStateSchema = z
  .object({
    width: z.number().int().min(400).default(1280),
    height: z.number().int().min(300).default(800),
    x: z.number().int().optional(),
    y: z.number().int().optional(),
    maximized: z.boolean().default(false),
  })
  .strict();

export const UiSettingsSchema = z
  .object({
    showDiagnostics: z.boolean().default(true),
    /** Shows the developer menu that injects simulator faults. */
    devMenu: z.boolean().default(false),
  })
  .strict();

export const DEFAULT_EXCHANGES: ExchangeSettings[] = [
  { id: 'sim', ccxtId: 'binance', simulated: true, urls: {}, enabled: true },
  { id: 'binance', ccxtId: 'binance', simulated: false, urls: {}, enabled: true },
];

export const DEFAULT_WATCHLIST: WatchlistEntry[] = [
  ...['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT'].map((symbol) => ({
    exchange: 'sim',
    symbol,
    channels: ['ticker' as const],
  })),
  ...['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ exchange: 'binance', symbol, channels: ['ticker' as const] })),
];

export const SettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    exchanges: z.array(ExchangeSettingsSchema).default(DEFAULT_EXCHANGES),
    watchlist: z.array(WatchlistEntrySchema).default(DEFAULT_WATCHLIST),
    streaming: StreamingSettingsSchema.default(StreamingSettingsSchema.parse({})),
    simulator: SimulatorSettingsSchema.default(SimulatorSettingsSchema.parse({})),
    shutdown: z
      .object({ deadlineMs: z.number().int().min(100).max(60_000).default(3000) })
      .strict()
      .default({ deadlineMs: 3000 }),
    window: WindowStateSchema.default(WindowStateSchema.parse({})),
    ui: UiSettingsSchema.default(UiSettingsSchema.parse({})),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.exchanges.forEach((e, i) => {
      if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: ['exchanges', i, 'id'], message: `duplicate exchange id "${e.id}"` });
      ids.add(e.id);
    });
    s.watchlist.forEach((w, i) => {
      if (!ids.has(w.exchange))
        ctx.addIssue({ code: 'custom', path: ['watchlist', i, 'exchange'], message: `unknown exchange "${w.exchange}"` });
    });
  });
export type Settings = z.infer<typeof SettingsSchema>;

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Result of reading settings from untrusted JSON: the value or readable errors with paths. */
export type SettingsParseResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Validates parsed JSON; errors read like `watchlist[2].symbol: a unified symbol such as "BTC/USDT"`. */
export function parseSettings(json: unknown): SettingsParseResult {
  const r = SettingsSchema.safeParse(json);
  if (r.success) return { ok: true, settings: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
}

/** Parses settings file text, reporting JSON syntax errors with their position. */
export function parseSettingsText(text: string): SettingsParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`not valid JSON: ${(e as Error).message}`] };
  }
  return parseSettings(json);
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
