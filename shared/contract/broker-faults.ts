// Faults the broker stand-ins (TWS for IB entries, OpenD for Futu entries) can inject.
// Shared because the renderer's developer menu asks for them and the host's
// simulated-broker component (simulated-exchange.ts) validates and applies them; the
// TWS stand-in's own fault type is this schema's. Dropping every connection is the
// Binance simulator's "drop" (SimFault), which reaches the stand-ins too.
import { z } from 'zod';

/** A fault's duration: long enough to watch, short of a stuck terminal. */
const ms = z.number().int().positive().max(3_600_000);

export const TwsFaultSchema = z.discriminatedUnion('kind', [
  /** Closes every connection now (a crashed or restarted TWS). */
  z.object({ kind: z.literal('drop') }).strict(),
  /** Closes new connections at once for `ms`. */
  z.object({ kind: z.literal('refuse'), ms }).strict(),
  /** Sends nothing at all (answers, data) for `ms`; sockets stay open. */
  z.object({ kind: z.literal('stall'), ms }).strict(),
  /** TWS lost IB (1100): data stops until connectivity is restored. */
  z.object({ kind: z.literal('connectivity-lost') }).strict(),
  /** 1101 (data lost: every subscription is gone) or 1102 (data kept: it flows again). */
  z.object({ kind: z.literal('connectivity-restored'), dataLost: z.boolean() }).strict(),
  /** Another application holds `clientId` (326 for whoever asks for it). */
  z.object({ kind: z.literal('client-id-in-use'), clientId: z.number().int().min(0).max(999_999) }).strict(),
  /** Market data requests beyond `perSecond` per connection get error 100 and are dropped (0: off). */
  z.object({ kind: z.literal('pacing'), perSecond: z.number().int().min(0).max(10_000) }).strict(),
  /** Whether market data requests are served live (false: only delayed data, 354 otherwise). */
  z.object({ kind: z.literal('live-permission'), granted: z.boolean() }).strict(),
  /** Ends every fault above that lasts: refusal, stall, lost connectivity (as 1102), held client ids, pacing, permission. */
  z.object({ kind: z.literal('clear') }).strict(),
]);
export type TwsFault = z.infer<typeof TwsFaultSchema>;

export const OpenDFaultSchema = z.discriminatedUnion('kind', [
  /** Closes every connection now. */
  z.object({ kind: z.literal('drop') }).strict(),
  /** Silences the connections open now (no replies, no pushes; sockets stay open); new ones are served. */
  z.object({ kind: z.literal('stall') }).strict(),
  /** Lowers the subscription quota (in security × type units): subscriptions beyond it are refused with OpenD's words. */
  z.object({ kind: z.literal('quota'), quota: z.number().int().min(0).max(10_000) }).strict(),
  /** Ends stalls and restores the quota the stand-in started with. */
  z.object({ kind: z.literal('clear') }).strict(),
]);
export type OpenDFault = z.infer<typeof OpenDFaultSchema>;

/** One fault for the stand-in serving the simulated entries of one broker kind. */
export const BrokerFaultSchema = z.discriminatedUnion('broker', [
  z.object({ broker: z.literal('ib'), fault: TwsFaultSchema }).strict(),
  z.object({ broker: z.literal('futu'), fault: OpenDFaultSchema }).strict(),
]);
export type BrokerFault = z.infer<typeof BrokerFaultSchema>;
