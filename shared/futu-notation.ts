// Futu instrument notation: "MARKET.CODE", as Futu's own tools write it
// (HK.00700, US.AAPL, SH.600519, HK.HSImain). Parsed once where it enters (settings,
// the Futu adapter) so OpenD never sees a malformed security, and the trader reads
// what was expected instead of a silent empty row.
import { z } from 'zod';

/** Futu market prefix → OpenD's QotMarket number (Qot_Common.proto). */
export const FUTU_MARKETS = { HK: 1, US: 11, SH: 21, SZ: 22, SG: 31, JP: 41, AU: 51, MY: 61, CA: 71 } as const;
export type FutuMarket = keyof typeof FUTU_MARKETS;

export interface FutuSecurity {
  market: FutuMarket;
  /** OpenD's QotMarket number for `market`. */
  qotMarket: number;
  code: string;
}

const EXPECTED =
  'expected MARKET.CODE with MARKET one of ' +
  Object.keys(FUTU_MARKETS).join(', ') +
  ' (e.g. HK.00700 for a Hong Kong stock, US.AAPL, SH.600519, HK.HSImain for the Hang Seng index future)';

/** Letters, digits and inner dots (US.BRK.B); futures and options codes are alphanumeric. */
const CODE = /^[A-Za-z0-9](?:[A-Za-z0-9.]{0,30}[A-Za-z0-9])?$/;

/** The security for `text`, or an error message saying what was wrong and what was expected. */
export function parseFutuSymbol(text: string): FutuSecurity | { error: string } {
  const dot = text.indexOf('.');
  if (dot < 0) return { error: `"${text}" is not a Futu symbol: ${EXPECTED}` };
  const market = text.slice(0, dot);
  const code = text.slice(dot + 1);
  if (!Object.hasOwn(FUTU_MARKETS, market)) return { error: `"${text}": unknown market "${market}", ${EXPECTED}` };
  if (!CODE.test(code)) return { error: `"${text}": code "${code}" is not a Futu code, ${EXPECTED}` };
  const m = market as FutuMarket;
  if (/^\d+$/.test(code)) {
    // Numeric exchange codes have fixed widths; 700 instead of 00700 is a common slip.
    const width = m === 'HK' ? 5 : m === 'SH' || m === 'SZ' ? 6 : 0;
    if (width && code.length !== width) return { error: `"${text}": ${m} codes have ${width} digits (e.g. ${m === 'HK' ? 'HK.00700' : `${m}.600519`}), ${EXPECTED}` };
  }
  return { market: m, qotMarket: FUTU_MARKETS[m], code };
}

export function isFutuError(r: FutuSecurity | { error: string }): r is { error: string } {
  return 'error' in r;
}

/** "HK.00700" from OpenD's (QotMarket, code); undefined for a market Foxtrot does not list. */
export function futuSymbolOf(qotMarket: number, code: string): string | undefined {
  for (const [name, n] of Object.entries(FUTU_MARKETS)) if (n === qotMarket) return `${name}.${code}`;
  return undefined;
}

/** A Futu symbol as a schema field: the same parse, its message as the issue. */
export const futuSymbolSchema = z.string().superRefine((text, ctx) => {
  const r = parseFutuSymbol(text);
  if (isFutuError(r)) ctx.addIssue({ code: 'custom', message: r.error });
});

/**
 * How to reach OpenD, as an exchange entry of kind "futu" carries it and as the
 * streaming process receives it (validated there: it crosses a process boundary).
 */
export const futuConnectionSchema = z
  .object({
    host: z.string().trim().min(1, 'OpenD host is empty (e.g. 127.0.0.1)').max(253),
    port: z.number().int('OpenD port must be a whole number').min(1, 'OpenD port must be 1..65535').max(65_535, 'OpenD port must be 1..65535'),
    /** OpenD's WebSocket key (its "websocket_key" setting); empty when OpenD has none. */
    key: z.string().max(256).default(''),
    ssl: z.boolean().default(false),
  })
  .strict();
export type FutuConnectionFields = z.infer<typeof futuConnectionSchema>;
