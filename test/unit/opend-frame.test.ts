import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, encodeResponse, RESPONSE_HEAD_BYTES } from '../../simulator/opend/frame';

describe('OpenD frames', () => {
  it('round-trips a request head and body, big-endian', () => {
    const f = encodeRequest(3001, 0x1_0000_0002n, Uint8Array.of(9, 8));
    expect([...f.subarray(8, 20)]).toEqual([0, 0, 0x0b, 0xb9, 0, 0, 0, 1, 0, 0, 0, 2]);
    const d = decodeRequest(f);
    expect(d).toMatchObject({ cmd: 3001, serial: 0x1_0000_0002n });
    expect([...(d as { body: Uint8Array }).body]).toEqual([9, 8]);
  });

  it('refuses short frames and a wrong sign with a reason', () => {
    expect(decodeRequest(new Uint8Array(5))).toBe('frame of 5 bytes is shorter than the 20-byte head');
    const f = encodeRequest(1, 1n, new Uint8Array());
    f.write('ft-v2.0', 0, 'latin1');
    expect(decodeRequest(f)).toBe('frame sign "ft-v2.0" is not "ft-v1.0"');
  });

  it('writes the 44-byte response head with error and a NUL-padded message', () => {
    const r = encodeResponse(1, 5n, Uint8Array.of(1), -1, 'websocket key mismatch');
    expect(r.byteLength).toBe(RESPONSE_HEAD_BYTES + 1);
    expect(r.readInt32BE(20)).toBe(-1);
    expect(r.subarray(24, 44).toString('utf8')).toBe('websocket key mismatc'.slice(0, 20));
    expect(encodeResponse(3005, 0n, new Uint8Array()).subarray(24, 44).every((b) => b === 0)).toBe(true);
  });
});
