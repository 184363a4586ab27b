// The Futu push fast path: frames as OpenD writes them (the stand-in's encoder) decode to
// exactly what futu-api's own push path hands its onPush, and everything that is not a
// push of a handled command (replies, error frames, other commands, foreign frames)
// still goes to futu-api's recvBuff, as an ArrayBuffer of that frame alone. ws is asked for
// Buffers (no copy per frame) on every socket the client opens.
import { describe, expect, it, vi } from 'vitest';
import FtWebsocket from 'futu-api';
import { installPushFastPath, readFrameHeader, type FrameHeader } from '../../electron/streaming/adapters/futu/push-frames';
import type { FutuClient } from '../../electron/streaming/adapters/futu/futu-api';
import { encodeResponse, RESPONSE_HEAD_BYTES } from '../../simulator/opend/frame';
import { encode, OPEND_CMD, PB } from '../../simulator/opend/proto';

const TENCENT = { market: 1, code: '00700' };
const QUOTE = { retType: 0, s2c: { basicQotList: [{ security: TENCENT, isSuspended: false, listTime: '', priceSpread: 0.2, updateTime: '', highPrice: 321.4, openPrice: 318, lowPrice: 317.2, curPrice: 320.6, lastClosePrice: 318.8, volume: 1_234_567, turnover: 3.9e8, turnoverRate: 0.1, amplitude: 1.3, updateTimestamp: 1_764_590_400.25 }] } };
const TICKS = { retType: 0, s2c: { security: TENCENT, tickerList: [{ time: '', sequence: 7_000_000_001, dir: 1, price: 320.6, volume: 300, turnover: 96_180, timestamp: 1_764_590_400.5 }] } };

/** An ArrayBuffer holding exactly one frame, as ws hands futu-api with binaryType 'arraybuffer'. */
function frame(cmd: number, body: Uint8Array, serial = 0n, error = 0, errmsg = ''): ArrayBuffer {
  const b = encodeResponse(cmd, serial, body, error, errmsg);
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return out;
}

/** A started client's connection object, as far as the fast path touches it. */
function clientWithBase(pending: Record<string, unknown> = {}) {
  const recvBuff = vi.fn((f: unknown) => ({ error: 0, result: f }));
  const base = {
    recvBuff,
    promisePool: pending,
    websock: { binaryType: 'arraybuffer' } as { binaryType: string } | null,
    initWebSocket(): void {
      this.websock = { binaryType: 'arraybuffer' }; // base.js: a new socket, futu-api's binary type
    },
  };
  return { client: { websock: base } as unknown as FutuClient, base, original: recvBuff };
}

/** The frame as ws hands it with binaryType 'nodebuffer': a Buffer over part of what it read. */
function asBuffer(frame: ArrayBuffer): Buffer {
  const read = Buffer.alloc(frame.byteLength + 16);
  Buffer.from(frame).copy(read, 8);
  return read.subarray(8, 8 + frame.byteLength);
}

/** What futu-api's own path (recvBuff → _onPush) gives its onPush for this body. */
function libraryDecode(cmd: number, body: Uint8Array): unknown {
  const lib = new FtWebsocket() as unknown as { onPush: (cmd: number, msg: unknown) => void; _onPush(response: unknown): void };
  let got: unknown;
  lib.onPush = (_cmd, msg) => (got = msg);
  lib._onPush({ cmd, error: 0, buff: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) });
  return got;
}

describe('readFrameHeader', () => {
  const head: FrameHeader = { cmd: 0, serial: '', error: 0 };

  it('reads command, serial and error at their big-endian offsets', () => {
    expect(readFrameHeader(new Uint8Array(frame(OPEND_CMD.basicQot, new Uint8Array([1, 2]))), head)).toBe(true);
    expect(head).toEqual({ cmd: 3005, serial: '0', error: 0 });
    expect(readFrameHeader(asBuffer(frame(OPEND_CMD.sub, new Uint8Array(0), 42n, -1, 'quota')), head)).toBe(true);
    expect(head).toEqual({ cmd: 3001, serial: '42', error: -1 });
    expect(readFrameHeader(new Uint8Array(frame(1, new Uint8Array(0), 2n ** 40n + 5n)), head)).toBe(true);
    expect(head.serial).toBe(String(2n ** 40n + 5n));
  });

  it('refuses a frame shorter than the head or without the sign', () => {
    expect(readFrameHeader(new Uint8Array(RESPONSE_HEAD_BYTES - 1), head)).toBe(false);
    const foreign = new Uint8Array(frame(OPEND_CMD.basicQot, new Uint8Array(4)));
    foreign[0] = 'x'.charCodeAt(0);
    expect(readFrameHeader(foreign, head)).toBe(false);
  });
});

describe('installPushFastPath', () => {
  it('hands a handled push to onPush decoded exactly as futu-api would, without futu-api', () => {
    const { client, original } = clientWithBase();
    const pushes: [number, unknown][] = [];
    expect(installPushFastPath(client, [OPEND_CMD.basicQot, OPEND_CMD.ticker], (cmd, msg) => pushes.push([cmd, msg]))).toBe(true);
    const quote = encode(PB.basicQot, QUOTE);
    const ticks = encode(PB.ticker, TICKS);
    const base = client.websock as unknown as { recvBuff(f: unknown): unknown };
    base.recvBuff(asBuffer(frame(OPEND_CMD.basicQot, quote)));
    base.recvBuff(asBuffer(frame(OPEND_CMD.ticker, ticks)));
    base.recvBuff(frame(OPEND_CMD.ticker, ticks)); // an ArrayBuffer too (a socket ws still gives those)
    expect(original).not.toHaveBeenCalled();
    expect(pushes.map(([cmd]) => cmd)).toEqual([3005, 3011, 3011]);
    expect(pushes[0]![1]).toEqual(libraryDecode(OPEND_CMD.basicQot, quote));
    expect(pushes[1]![1]).toEqual(libraryDecode(OPEND_CMD.ticker, ticks));
    expect(pushes[2]![1]).toEqual(pushes[1]![1]);
    // int64 fields stay Long, as the adapter's readers expect
    const seq = (pushes[1]![1] as { s2c: { tickerList: { sequence: { toNumber(): number } }[] } }).s2c.tickerList[0]!.sequence;
    expect(seq.toNumber()).toBe(7_000_000_001);
  });

  it('leaves to futu-api a reply a request waits for, an error frame, another command and anything not a frame', () => {
    const { client, original } = clientWithBase({ 7: { resolve: () => undefined } });
    const onPush = vi.fn();
    installPushFastPath(client, [OPEND_CMD.basicQot], onPush);
    const base = client.websock as unknown as { recvBuff(f: unknown): unknown };
    const body = encode(PB.basicQot, QUOTE);
    const reply = frame(OPEND_CMD.basicQot, body, 7n);
    const failed = frame(OPEND_CMD.basicQot, body, 0n, -1, 'no quota');
    const other = frame(OPEND_CMD.orderBook, body);
    const empty = frame(OPEND_CMD.basicQot, new Uint8Array(0));
    for (const f of [reply, failed, other, empty, 'text']) base.recvBuff(f);
    expect(original.mock.calls.map(([f]) => f)).toEqual([reply, failed, other, empty, 'text']);
    // from a Buffer, futu-api gets an ArrayBuffer of that frame alone, as it always did
    original.mockClear();
    base.recvBuff(asBuffer(reply));
    const handed = original.mock.calls[0]![0] as ArrayBuffer;
    expect(handed).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(handed).equals(Buffer.from(reply))).toBe(true);
    expect(onPush).not.toHaveBeenCalled();
  });

  it('asks ws for Buffers on the socket open now and on each one the client opens later', () => {
    const { client, base } = clientWithBase();
    installPushFastPath(client, [OPEND_CMD.basicQot], () => undefined);
    expect(base.websock!.binaryType).toBe('nodebuffer');
    base.initWebSocket(); // a reconnect
    expect(base.websock!.binaryType).toBe('nodebuffer');
  });

  it('changes nothing on a client without the connection object it relies on', () => {
    const client = { websock: { close() {} } } as unknown as FutuClient;
    expect(installPushFastPath(client, [OPEND_CMD.basicQot], () => undefined)).toBe(false);
    expect(installPushFastPath({ websock: null } as unknown as FutuClient, [OPEND_CMD.basicQot], () => undefined)).toBe(false);
  });
});
