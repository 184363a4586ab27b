// The per-batch and per-frame acknowledgements are checked by hand (hot-acks.ts);
// zod stays the authority. Seeded properties hold both to the same verdict on
// well-formed, hostile and near-miss messages, and the parse functions take the
// hand-checked path only for what the schema accepts.
import { describe, expect, it } from 'vitest';
import { isFrameAck, isTicksAck } from '../../shared/contract/hot-acks';
import { FromRendererSchema, parseFromRenderer } from '../../shared/contract/renderer-api';
import { ToStreamingSchema, parseToStreaming } from '../../shared/contract/streaming-protocol';
import { mulberry32 } from '../support/seeded-random';

const ODD_VALUES: unknown[] = [0, 1, -1, 7, 2 ** 53, 2 ** 53 - 1, 1.5, -0, NaN, Infinity, -Infinity, '3', null, undefined, true, {}, [], 1e308, Date.now() + 0.25];
const TYPES = ['ticks-ack', 'frame-ack', 'frame-nack', 'TICKS-ACK', '', undefined];
const EXTRA_KEYS = ['frameTime', 'reason', 'extra', '__proto__', 'constructor'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A message near the two ack shapes: right or wrong type, seq, frameTime, extra or missing keys, not an object. */
function nearAck(r: () => number): unknown {
  const roll = r();
  if (roll < 0.05) return pick(r, ODD_VALUES);
  if (roll < 0.08) return [pick(r, TYPES), pick(r, ODD_VALUES)];
  const m: Record<string, unknown> = {};
  if (r() < 0.95) m.type = pick(r, TYPES);
  if (r() < 0.9) m.seq = r() < 0.6 ? Math.floor(r() * 1e6) : pick(r, ODD_VALUES);
  if (r() < 0.4) m.frameTime = r() < 0.6 ? Date.now() + r() : pick(r, ODD_VALUES);
  if (r() < 0.15) Object.defineProperty(m, pick(r, EXTRA_KEYS), { value: pick(r, ODD_VALUES), enumerable: true, configurable: true, writable: true });
  if (r() < 0.03) return Object.create(m) as unknown; // the fields inherited, none own
  return m;
}

function isPlain(m: unknown): boolean {
  return typeof m !== 'object' || m === null || Object.getPrototypeOf(m) === Object.prototype || Array.isArray(m);
}

describe('hand-checked acks agree with the schemas', () => {
  const CASES = [
    { type: 'ticks-ack', schema: 'ToStreamingSchema', seed: 9, hand: isTicksAck, zod: (m: unknown) => ToStreamingSchema.safeParse(m).success },
    { type: 'frame-ack', schema: 'FromRendererSchema', seed: 11, hand: isFrameAck, zod: (m: unknown) => FromRendererSchema.safeParse(m).success },
  ];

  it.each(CASES)('$type: the verdict of $schema on 20,000 seeded messages', ({ type, seed, hand, zod }) => {
    const r = mulberry32(seed);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const m = nearAck(r);
      const zodSays = zod(m) && (m as { type?: unknown }).type === type;
      const handSays = hand(m);
      // Never accepts what the schema refuses; on a message's own fields (what IPC and
      // JSON deliver) the same verdict. Inherited fields are left to the schema.
      if (handSays) expect(zodSays, JSON.stringify(m)).toBe(true);
      if (isPlain(m)) expect(handSays, JSON.stringify(m) ?? String(m)).toBe(zodSays);
      if (handSays) accepted++;
    }
    expect(accepted).toBeGreaterThan(500); // the properties reached both verdicts
  });

  it('the parse functions accept what the schema accepts and refuse the rest with its message', () => {
    expect(parseToStreaming({ type: 'ticks-ack', seq: 4 })).toEqual({ ok: true, value: { type: 'ticks-ack', seq: 4 } });
    expect(parseFromRenderer({ type: 'frame-ack', seq: 4, frameTime: 1.5 })).toEqual({ ok: true, value: { type: 'frame-ack', seq: 4, frameTime: 1.5 } });
    const badAck = parseToStreaming({ type: 'ticks-ack', seq: -1 });
    expect(badAck.ok).toBe(false);
    expect(!badAck.ok && badAck.error).toContain('seq');
    const badFrame = parseFromRenderer({ type: 'frame-ack', seq: 1, frameTime: NaN });
    expect(badFrame.ok).toBe(false);
    expect(!badFrame.ok && badFrame.error).toContain('frameTime');
    // Other messages still go through the schema.
    expect(parseFromRenderer({ type: 'quit', force: false })).toEqual({ ok: true, value: { type: 'quit', force: false } });
    expect(parseToStreaming({ type: 'subscribe', subs: 'all' }).ok).toBe(false);
  });
});
