// The acknowledgements are the only control messages that arrive at the rate of the
// data (the streaming process gets a ticks-ack per half window of batches, main a
// frame-ack per painted frame). Like the tick batch, they are checked by hand: O(1),
// no allocation, the schema's exact rules. Anything these checks do not accept goes
// to the zod schema, which stays the authority and writes the error message; a
// property test holds the two to the same verdict.

/** Own enumerable keys, all among `allowed` (a strict object's rule), with `required` of them present. */
function keysWithin(o: Record<string, unknown>, allowed: readonly string[], required: number): boolean {
  let n = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k) || !allowed.includes(k)) return false;
    n++;
  }
  return n >= required;
}

const TICKS_ACK_KEYS = ['type', 'seq'] as const;
const FRAME_ACK_KEYS = ['type', 'seq', 'frameTime'] as const;

function record(m: unknown): Record<string, unknown> | undefined {
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
}

/** `{ type: 'ticks-ack', seq }`, seq a non-negative safe integer, nothing else. */
export function isTicksAck(m: unknown): m is { type: 'ticks-ack'; seq: number } {
  const o = record(m);
  return o !== undefined && o.type === 'ticks-ack' && Number.isSafeInteger(o.seq) && (o.seq as number) >= 0 && keysWithin(o, TICKS_ACK_KEYS, 2);
}

/** `{ type: 'frame-ack', seq, frameTime? }`, seq a safe integer, frameTime finite when given, nothing else. */
export function isFrameAck(m: unknown): m is { type: 'frame-ack'; seq: number; frameTime?: number } {
  const o = record(m);
  if (o === undefined || o.type !== 'frame-ack' || !Number.isSafeInteger(o.seq)) return false;
  const t = o.frameTime;
  return (t === undefined || (typeof t === 'number' && Number.isFinite(t))) && keysWithin(o, FRAME_ACK_KEYS, 2);
}
