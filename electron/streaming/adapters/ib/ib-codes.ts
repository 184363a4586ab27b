// What the TWS API's message codes mean for a market-data session. TWS sends them
// as errors; those without a request id arrive on IBApi's `info` event (1100,
// 1101, 1102, 2104..., and 326), those with one on `error`.
import type { ErrorClass } from '../../../../shared/market';

export const IB_CODES = {
  PACING: 100,
  NO_SECURITY: 200,
  CLIENT_ID_IN_USE: 326,
  NOT_SUBSCRIBED: 354,
  CONNECTIVITY_LOST: 1100,
  RESTORED_DATA_LOST: 1101,
  RESTORED_DATA_KEPT: 1102,
} as const;

/** reqMktData tick types the ticker row uses (live, and their delayed twins). */
export const TICK = {
  BID: 1,
  ASK: 2,
  LAST: 4,
  VOLUME: 8,
  CLOSE: 9,
  DELAYED_BID: 66,
  DELAYED_ASK: 67,
  DELAYED_LAST: 68,
  DELAYED_VOLUME: 74,
  DELAYED_CLOSE: 75,
} as const;

/** Data-farm and HMDS status notices: the connection timeline shows them. */
const FARM_NOTICES = new Set([2103, 2104, 2105, 2106, 2107, 2108, 2110, 2119, 2157, 2158]);

export type IbMeaning =
  | { kind: 'connectivity-lost' }
  | { kind: 'restored'; dataLost: boolean }
  | { kind: 'farm' }
  | { kind: 'client-id-in-use' }
  | { kind: 'pacing' }
  /** No live permission for this request: ask for delayed data. */
  | { kind: 'no-permission' }
  /** The request failed for good, with this class. */
  | { kind: 'request-failed'; errorClass: ErrorClass }
  | { kind: 'other' };

export function ibMeaning(code: number, hasRequest: boolean): IbMeaning {
  switch (code) {
    case IB_CODES.CONNECTIVITY_LOST:
      return { kind: 'connectivity-lost' };
    case IB_CODES.RESTORED_DATA_LOST:
      return { kind: 'restored', dataLost: true };
    case IB_CODES.RESTORED_DATA_KEPT:
      return { kind: 'restored', dataLost: false };
    case IB_CODES.CLIENT_ID_IN_USE:
      return { kind: 'client-id-in-use' };
    case IB_CODES.PACING:
      return { kind: 'pacing' };
    case IB_CODES.NOT_SUBSCRIBED:
      return hasRequest ? { kind: 'no-permission' } : { kind: 'other' };
    case IB_CODES.NO_SECURITY:
      return hasRequest ? { kind: 'request-failed', errorClass: 'bad-symbol' } : { kind: 'other' };
  }
  if (FARM_NOTICES.has(code)) return { kind: 'farm' };
  // 2100-2199 are warnings; other codes with a request id end that request.
  if (hasRequest && !(code >= 2100 && code < 2200) && code !== 10167) return { kind: 'request-failed', errorClass: 'exchange' };
  return { kind: 'other' };
}
