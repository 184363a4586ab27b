// OpenD's WebSocket framing as futu-api's base.js writes and reads it, all
// big-endian. Client → OpenD: sign "ft-v1.0" padded to 8 bytes, cmd (uint32),
// serial (uint64), protobuf body. OpenD → client adds error (int32) and a 20-byte
// NUL-padded error text: a 44-byte head. Serial 0 marks a push (no request has it).

export const FT_SIGN = 'ft-v1.0';
export const REQUEST_HEAD_BYTES = 20;
export const RESPONSE_HEAD_BYTES = 44;
const ERRMSG_BYTES = 20;

export interface RequestFrame {
  cmd: number;
  serial: bigint;
  body: Uint8Array;
}

/** The request in `data`, or a message saying why it is not one. */
export function decodeRequest(data: Uint8Array): RequestFrame | string {
  if (data.byteLength < REQUEST_HEAD_BYTES) return `frame of ${data.byteLength} bytes is shorter than the ${REQUEST_HEAD_BYTES}-byte head`;
  const sign = Buffer.from(data.buffer, data.byteOffset, 8).toString('latin1').replace(/\0+$/, '');
  if (sign !== FT_SIGN) return `frame sign "${sign}" is not "${FT_SIGN}"`;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { cmd: view.getUint32(8), serial: view.getBigUint64(12), body: data.subarray(REQUEST_HEAD_BYTES) };
}

/** A frame as OpenD sends it: the answer to `serial`, or a push when serial is 0. */
export function encodeResponse(cmd: number, serial: bigint, body: Uint8Array, error = 0, errmsg = ''): Buffer {
  const out = Buffer.alloc(RESPONSE_HEAD_BYTES + body.byteLength);
  out.write(FT_SIGN, 0, 'latin1');
  out.writeUInt32BE(cmd, 8);
  out.writeBigUInt64BE(serial, 12);
  out.writeInt32BE(error, 20);
  out.write(errmsg.slice(0, ERRMSG_BYTES), 24, ERRMSG_BYTES, 'utf8');
  out.set(body, RESPONSE_HEAD_BYTES);
  return out;
}

/** A request frame as futu-api sends it (for tests that speak to the stand-in directly). */
export function encodeRequest(cmd: number, serial: bigint, body: Uint8Array): Buffer {
  const out = Buffer.alloc(REQUEST_HEAD_BYTES + body.byteLength);
  out.write(FT_SIGN, 0, 'latin1');
  out.writeUInt32BE(cmd, 8);
  out.writeBigUInt64BE(serial, 12);
  out.set(body, REQUEST_HEAD_BYTES);
  return out;
}
