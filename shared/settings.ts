// The settings file: one format for what the app saves and what `--config` reads.
// Every field has a default, so a partial file is valid; unknown keys are refused
// so that a typo is reported instead of silently ignored. Every duration and count
// has a range: a timer above 2³¹−1 ms fires after 1 ms in Node (a ping or poll
// flood against a real exchange), and an unbounded count is unbounded work.
import { z } from 'zod';
import { ADAPTER_KINDS, checkAnyNotation, checkNotation, EXPECTED, type AdapterKind } from './instrument-notation';
import { INSTRUMENT_REF_FIELDS } from './instrument-ref';
import { KEY_ACTIONS, keymapProblems, MAX_BINDING_CHARS, type KeyAction } from './keymap';
import { CHANNELS } from './market';
import { WorkspacesFieldSchema } from './workspace';

/** Node clamps longer timer delays to 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Entries on the watchlist; each is a row and up to three subscriptions. */
export const MAX_WATCHLIST = 1000;
export const MAX_EXCHANGES = 32;
const MAX_URL_LENGTH = 2048;

/** A whole number in [min, max]; the error names the range and the value given. */
function whole(min: number, max: number, unit = ''): z.ZodNumber {
  const range = (iss: { input?: unknown }): string => `must be between ${min} and ${max}${unit} (got ${String(iss.input)})`;
  return z
    .number()
    .int({ error: (iss) => `must be a whole number between ${min} and ${max}${unit} (got ${String(iss.input)})` })
    .min(min, { error: range })
    .max(max, { error: range });
}

/** A number (fractions allowed) in [min, max]. */
function fraction(min: number, max: number, unit = ''): z.ZodNumber {
  const range = (iss: { input?: unknown }): string => `must be between ${min} and ${max}${unit} (got ${String(iss.input)})`;
  return z.number().min(min, { error: range }).max(max, { error: range });
}

const url = z
  .string()
  .max(MAX_URL_LENGTH, `at most ${MAX_URL_LENGTH} characters`)
  .regex(/^(https?|wss?):\/\/[^\s]+$/, 'must be an http(s):// or ws(s):// URL');

const host = z
  .string()
  .min(1, 'a host name or IP address')
  .max(253, 'at most 253 characters')
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address such as "127.0.0.1"');

/** TWS or IB Gateway (paper TWS listens on 7497, live on 7496; Gateway 4002/4001). */
export const IbConnectionSchema = z
  .object({
    host: host.default('127.0.0.1'),
    port: whole(1, 65535).default(7497),
    /** Unique per TWS session; on a clash (error 326) the next ids are tried. */
    clientId: whole(0, 999_999).default(0),
  })
  .strict();
export type IbConnection = z.infer<typeof IbConnectionSchema>;

/** Futu OpenD's WebSocket endpoint and its key (OpenD's websocket_key; may be empty). */
export const FutuConnectionSchema = z
  .object({
    host: host.default('127.0.0.1'),
    port: whole(1, 65535).default(33333),
    key: z.string().max(256, 'at most 256 characters').default(''),
    /** How long OpenD holds a new subscription before it may be cancelled (a real OpenD: one minute; the stand-in's may be shorter). */
    minSubscriptionMs: whole(0, 600_000, ' ms').optional(),
  })
  .strict();
export type FutuConnection = z.infer<typeof FutuConnectionSchema>;

export const ExchangeSettingsSchema = z
  .object({
    /** Label used everywhere in the app ("sim", "binance", "binance-testnet"). */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, - and _, at most 32'),
    /** Which adapter serves the entry: ccxt (crypto exchanges), ib (Interactive Brokers), futu (Futu OpenD). */
    kind: z.enum(ADAPTER_KINDS).default('ccxt'),
    /** ccxt exchange id; must have WebSocket support in ccxt.pro. Required for kind "ccxt". */
    ccxtId: z.string().regex(/^[a-z0-9]{1,32}$/, 'a ccxt exchange id such as "binance"').optional(),
    /** Served by the built-in simulator of its kind (which fills in the URLs or host and port). */
    simulated: z.boolean().default(false),
    /** Custom endpoints for testnets and proxies; both default to the exchange's own. */
    urls: z.object({ rest: url.optional(), ws: url.optional() }).strict().default({}),
    /** Kind "ib" only; defaults to a paper TWS on this machine. */
    ib: IbConnectionSchema.optional(),
    /** Kind "futu" only; defaults to OpenD on this machine. */
    futu: FutuConnectionSchema.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.kind === 'ccxt' && e.ccxtId === undefined)
      ctx.addIssue({ code: 'custom', path: ['ccxtId'], message: 'required for kind "ccxt": a ccxt exchange id such as "binance"' });
    if (e.kind !== 'ccxt' && e.ccxtId !== undefined) ctx.addIssue({ code: 'custom', path: ['ccxtId'], message: `only for kind "ccxt" (this entry is "${e.kind}")` });
    if (e.kind !== 'ccxt' && (e.urls.rest || e.urls.ws)) ctx.addIssue({ code: 'custom', path: ['urls'], message: `only for kind "ccxt" (this entry is "${e.kind}")` });
    if (e.kind !== 'ib' && e.ib) ctx.addIssue({ code: 'custom', path: ['ib'], message: `only for kind "ib" (this entry is "${e.kind}")` });
    if (e.kind !== 'futu' && e.futu) ctx.addIssue({ code: 'custom', path: ['futu'], message: `only for kind "futu" (this entry is "${e.kind}")` });
  });
export type ExchangeSettings = z.infer<typeof ExchangeSettingsSchema>;

export const WatchlistEntrySchema = z
  .object({
    ...INSTRUMENT_REF_FIELDS,
    channels: z
      .array(z.enum(CHANNELS))
      .min(1)
      .max(CHANNELS.length)
      .refine((c) => new Set(c).size === c.length, 'each channel at most once')
      .default(['ticker']),
  })
  .strict();
export type WatchlistEntry = z.infer<typeof WatchlistEntrySchema>;

interface Range {
  min: number;
  max: number;
}

/** The duration ranges of the streaming settings; counts have the same caps everywhere. */
interface StreamingLimits {
  backoffBaseMs: Range;
  backoffCapMs: Range;
  staleAfterMs: Range;
  keepAliveMs: Range;
  probeIntervalMs: Range;
  pollIntervalMs: Range;
  /** 0 (never) is always allowed besides this range. */
  rotateAfterMs: Range;
}

/** What a settings file may say: sensible against a real exchange. */
const FILE_LIMITS: StreamingLimits = {
  backoffBaseMs: { min: 100, max: 300_000 },
  backoffCapMs: { min: 1000, max: 3_600_000 },
  staleAfterMs: { min: 1000, max: 3_600_000 },
  keepAliveMs: { min: 1000, max: 600_000 },
  probeIntervalMs: { min: 1000, max: 3_600_000 },
  pollIntervalMs: { min: 1000, max: 600_000 },
  rotateAfterMs: { min: 60_000, max: 7 * 24 * 3600_000 },
};

/**
 * What the streaming process accepts from the engine: timer-safe (no 1 ms loops, no
 * delay Node would clamp) but short enough for tests that provoke faults quickly.
 */
const TUNING_LIMITS: StreamingLimits = {
  backoffBaseMs: { min: 10, max: MAX_TIMER_MS },
  backoffCapMs: { min: 10, max: MAX_TIMER_MS },
  staleAfterMs: { min: 10, max: MAX_TIMER_MS },
  keepAliveMs: { min: 10, max: MAX_TIMER_MS },
  probeIntervalMs: { min: 10, max: MAX_TIMER_MS },
  pollIntervalMs: { min: 10, max: MAX_TIMER_MS },
  rotateAfterMs: { min: 10, max: MAX_TIMER_MS },
};

const ms = (r: Range): z.ZodNumber => whole(r.min, r.max, ' ms');

function streamingSchema(l: StreamingLimits) {
  const backoff = z
    .object({
      baseMs: ms(l.backoffBaseMs).default(1000),
      capMs: ms(l.backoffCapMs).default(60_000),
      factor: fraction(1, 10).default(2),
      /** Full jitter fraction: 0 = none, 1 = delay drawn from [0, d]. */
      jitter: fraction(0, 1).default(0.5),
      /** Reconnect attempts before the circuit opens (REST fallback). */
      maxAttempts: whole(1, 10_000).default(50),
    })
    .strict()
    .superRefine((b, ctx) => {
      // Only between values that are valid themselves: one out-of-range value is one error.
      const inRange = (v: number, r: Range): boolean => v >= r.min && v <= r.max;
      if (inRange(b.baseMs, l.backoffBaseMs) && inRange(b.capMs, l.backoffCapMs) && b.capMs < b.baseMs)
        ctx.addIssue({ code: 'custom', path: ['capMs'], message: `must be at least baseMs (${b.baseMs} ms) (got ${b.capMs})` });
    });
  const rotate = l.rotateAfterMs;
  return z
    .object({
      backoff: backoff.default(backoff.parse({})),
      /** A subscription with no data for this long is declared stale (per channel cadence). */
      staleAfterMs: z
        .object({
          ticker: ms(l.staleAfterMs).default(5000),
          trades: ms(l.staleAfterMs).default(30_000),
          book: ms(l.staleAfterMs).default(5000),
        })
        .strict()
        .default({ ticker: 5000, trades: 30_000, book: 5000 }),
      /** WebSocket ping interval; a missed pong is detected after this. */
      keepAliveMs: ms(l.keepAliveMs).default(20_000),
      circuit: z
        .object({
          /** Consecutive connection failures that open the circuit. */
          failureThreshold: whole(1, 1000).default(5),
          /** How often the socket is probed while polling. */
          probeIntervalMs: ms(l.probeIntervalMs).default(15_000),
          /** REST poll period per symbol while the circuit is open. */
          pollIntervalMs: ms(l.pollIntervalMs).default(2000),
        })
        .strict()
        .default({ failureThreshold: 5, probeIntervalMs: 15_000, pollIntervalMs: 2000 }),
      /** Replace a connection before the exchange cuts it (Binance: 24 h). 0 disables. */
      rotateAfterMs: z
        .number()
        .refine((v) => v === 0 || (Number.isInteger(v) && v >= rotate.min && v <= rotate.max), {
          error: (iss) => `must be 0 (never) or between ${rotate.min} and ${rotate.max} ms (got ${String(iss.input)})`,
        })
        .default(23 * 3600_000),
      /** Top N levels kept for order book subscriptions. */
      bookDepth: whole(1, 100).default(50),
    })
    .strict();
}

export const StreamingSettingsSchema = streamingSchema(FILE_LIMITS);
export type StreamingSettings = z.infer<typeof StreamingSettingsSchema>;
/** The streaming settings as the streaming process accepts them (see TUNING_LIMITS); tests shorten them. */
export const StreamingTuningSchema = streamingSchema(TUNING_LIMITS);

export const SimulatorSettingsSchema = z
  .object({
    /** 0 picks a free port. */
    port: whole(0, 65535).default(0),
    seed: whole(-MAX_TIMER_MS - 1, MAX_TIMER_MS).default(42),
    /** Messages per second per symbol and channel. */
    ratePerSymbol: fraction(0, 10_000, ' messages/s').default(4),
  })
  .strict();

export const WindowStateSchema = z
  .object({
    width: whole(400, 32_768, ' px').default(1280),
    height: whole(300, 32_768, ' px').default(800),
    x: whole(-100_000, 100_000, ' px').optional(),
    y: whole(-100_000, 100_000, ' px').optional(),
    maximized: z.boolean().default(false),
  })
  .strict();

/** Price grouping of the depth ladder, in ticks (the market's price step). */
export const LADDER_GROUPINGS = [1, 2, 5, 10, 25, 50, 100] as const;

export const LadderSettingsSchema = z
  .object({
    grouping: z
      .number()
      .refine((g) => (LADDER_GROUPINGS as readonly number[]).includes(g), { error: (iss) => `must be one of ${LADDER_GROUPINGS.join(', ')} ticks (got ${String(iss.input)})` })
      .default(1),
    /** Levels shown per side. */
    levels: whole(5, 50).default(20),
    /** Volume traded at each price is summed over this many minutes. */
    volumeMinutes: whole(1, 60, ' min').default(5),
  })
  .strict();
export type LadderSettings = z.infer<typeof LadderSettingsSchema>;

export const TapeSettingsSchema = z
  .object({
    /** Same-side trades within this many ms are shown as one (0: every trade). */
    aggregateMs: whole(0, 10_000, ' ms')
      .refine((v) => v === 0 || v >= 10, { error: (iss) => `must be 0 (off) or between 10 and 10000 ms (got ${String(iss.input)})` })
      .default(0),
    /** Trades below this size (base currency) are hidden. */
    minSize: fraction(0, 1_000_000).default(0),
    /** A trade at or above this notional (quote currency) is marked large. */
    largeQuote: fraction(0, 1_000_000_000).default(100_000),
    /** Large trades beep (WebAudio); off by default. */
    sound: z.boolean().default(false),
  })
  .strict();
export type TapeSettings = z.infer<typeof TapeSettingsSchema>;

/** The instrument the ladder and tape follow. */
export const FocusSchema = z
  .object({
    exchange: z.string().min(1).max(32),
    symbol: z.string().max(64, 'at most 64 characters').regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, 'a unified symbol such as "BTC/USDT"'),
  })
  .strict();
export type Focus = z.infer<typeof FocusSchema>;

/** Action → binding overrides; unknown actions are refused, then the whole keymap is checked. */
export const KeymapSettingsSchema = z
  .object(Object.fromEntries(KEY_ACTIONS.map((a) => [a, z.string().max(MAX_BINDING_CHARS).optional()])) as Record<KeyAction, z.ZodOptional<z.ZodString>>)
  .strict()
  .superRefine((keymap, ctx) => {
    for (const p of keymapProblems(keymap)) ctx.addIssue({ code: 'custom', path: [p.action], message: p.message });
  });

export const UiSettingsSchema = z
  .object({
    showDiagnostics: z.boolean().default(true),
    /** Shows the developer menu that injects simulator faults. */
    devMenu: z.boolean().default(false),
    /** The instrument selected on the watchlist (none: the first row). */
    focus: FocusSchema.optional(),
    ladder: LadderSettingsSchema.default(LadderSettingsSchema.parse({})),
    tape: TapeSettingsSchema.default(TapeSettingsSchema.parse({})),
    /** Key bindings that differ from the defaults (shared/keymap.ts); absent: all defaults. */
    keymap: KeymapSettingsSchema.optional(),
    /** Named dockable layouts (shared/workspace.ts); a bad one falls back to the default without failing the file. */
    workspaces: WorkspacesFieldSchema,
  })
  .strict();

export const DEFAULT_EXCHANGES: ExchangeSettings[] = [
  { id: 'sim', kind: 'ccxt', ccxtId: 'binance', simulated: true, urls: {}, enabled: true },
  { id: 'binance', kind: 'ccxt', ccxtId: 'binance', simulated: false, urls: {}, enabled: true },
  /** Interactive Brokers rows with no account: the built-in TWS stand-in. */
  { id: 'sim-ib', kind: 'ib', simulated: true, urls: {}, enabled: true },
  /** Futu rows with no account: the built-in OpenD stand-in. */
  { id: 'sim-futu', kind: 'futu', simulated: true, urls: {}, enabled: true },
];

export const DEFAULT_WATCHLIST: WatchlistEntry[] = [
  ...['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT'].map((symbol) => ({
    exchange: 'sim',
    symbol,
    channels: ['ticker' as const],
  })),
  ...['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ exchange: 'binance', symbol, channels: ['ticker' as const] })),
  ...['AAPL@SMART:STK:USD', 'ES@CME:FUT:202612', 'EUR.USD@IDEALPRO:CASH'].map((symbol) => ({ exchange: 'sim-ib', symbol, channels: ['ticker' as const] })),
  ...['HK.00700', 'US.AAPL'].map((symbol) => ({ exchange: 'sim-futu', symbol, channels: ['ticker' as const] })),
];

const atMost = (max: number, what: string) => ({
  error: (iss: { input?: unknown }) => `at most ${max} ${what} (got ${Array.isArray(iss.input) ? iss.input.length : String(iss.input)})`,
});

export const SettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    exchanges: z.array(ExchangeSettingsSchema).max(MAX_EXCHANGES, atMost(MAX_EXCHANGES, 'exchanges')).default(DEFAULT_EXCHANGES),
    watchlist: z.array(WatchlistEntrySchema).max(MAX_WATCHLIST, atMost(MAX_WATCHLIST, 'entries')).default(DEFAULT_WATCHLIST),
    streaming: StreamingSettingsSchema.default(StreamingSettingsSchema.parse({})),
    simulator: SimulatorSettingsSchema.default(SimulatorSettingsSchema.parse({})),
    shutdown: z
      .object({ deadlineMs: whole(100, 60_000, ' ms').default(3000) })
      .strict()
      .default({ deadlineMs: 3000 }),
    window: WindowStateSchema.default(WindowStateSchema.parse({})),
    ui: UiSettingsSchema.default(UiSettingsSchema.parse({})),
  })
  .strict()
  .superRefine((s, ctx) => {
    const kinds = new Map<string, AdapterKind>();
    s.exchanges.forEach((e, i) => {
      if (kinds.has(e.id)) ctx.addIssue({ code: 'custom', path: ['exchanges', i, 'id'], message: `duplicate exchange id "${e.id}"` });
      kinds.set(e.id, e.kind);
    });
    s.watchlist.forEach((w, i) => {
      const kind = kinds.get(w.exchange);
      if (!kind) ctx.addIssue({ code: 'custom', path: ['watchlist', i, 'exchange'], message: `unknown exchange "${w.exchange}"` });
      // A symbol in no notation at all was reported by WatchlistEntrySchema already.
      else if (checkNotation(kind, w.symbol) && !checkAnyNotation(w.symbol)) ctx.addIssue({ code: 'custom', path: ['watchlist', i, 'symbol'], message: notationForKind(w.exchange, kind) });
    });
  });
export type Settings = z.infer<typeof SettingsSchema>;

function notationForKind(exchange: string, kind: AdapterKind): string {
  return `exchange "${exchange}" (kind ${kind}) expects ${EXPECTED[kind]}`;
}

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

// ---- watchlist edits: O(1) validation ------------------------------------------------

declare const checked: unique symbol;
/**
 * Settings derived from valid settings by an edit that validated only what it
 * changed (below); SettingsStore.commitChecked takes them without re-running the
 * full schema, which is what made each watch cost O(watchlist).
 */
export type CheckedSettings = Settings & { readonly [checked]: true };

export type WatchlistEdit =
  | { ok: true; settings: CheckedSettings; added: WatchlistEntry[]; removed: WatchlistEntry[] }
  /** `info`: nothing to do (already there); `error`: refused. */
  | { ok: false; level: 'info' | 'error'; message: string };

/** Adds one entry to valid settings, checking the entry, its exchange, duplicates and the cap. */
export function addToWatchlist(settings: Settings, input: unknown): WatchlistEdit {
  const parsed = WatchlistEntrySchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, level: 'error', message: `Invalid watchlist entry: ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}` };
  const entry = parsed.data;
  const exchange = settings.exchanges.find((e) => e.id === entry.exchange);
  if (!exchange) return { ok: false, level: 'error', message: `Unknown exchange "${entry.exchange}".` };
  if (checkNotation(exchange.kind, entry.symbol)) return { ok: false, level: 'error', message: `Invalid watchlist entry: symbol: ${notationForKind(entry.exchange, exchange.kind)}` };
  if (settings.watchlist.some((w) => w.exchange === entry.exchange && w.symbol === entry.symbol))
    return { ok: false, level: 'info', message: `${entry.symbol} on ${entry.exchange} is already on the watchlist.` };
  if (settings.watchlist.length >= MAX_WATCHLIST)
    return { ok: false, level: 'error', message: `The watchlist is full (${MAX_WATCHLIST} entries); remove one before adding ${entry.symbol}.` };
  return { ok: true, settings: { ...settings, watchlist: [...settings.watchlist, entry] } as CheckedSettings, added: [entry], removed: [] };
}

/** Removes an instrument from valid settings (removing never makes them invalid). */
export function removeFromWatchlist(settings: Settings, exchange: string, symbol: string): WatchlistEdit {
  const removed: WatchlistEntry[] = [];
  const watchlist = settings.watchlist.filter((w) => (w.exchange === exchange && w.symbol === symbol ? (removed.push(w), false) : true));
  if (removed.length === 0) return { ok: false, level: 'info', message: `${symbol} on ${exchange} is not on the watchlist.` };
  return { ok: true, settings: { ...settings, watchlist } as CheckedSettings, added: [], removed };
}
