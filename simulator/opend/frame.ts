// OpenD's WebSocket framing (the layout: shared/futu-frame.ts), encoded and decoded
// as the stand-in and the tests that speak to it directly need it.
import { FRAME_CMD_AT, FRAME_ERRMSG_AT, FRAME_ERROR_AT, FRAME_SERIAL_AT, FT_SIGN, REQUEST_HEAD_BYTES, RESPONSE_HEAD_BYTES } from '../../shared/futu-frame';

export { FT_SIGN, REQUEST_HEAD_BYTES, RESPONSE_HEAD_BYTES };
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
  return { cmd: view.getUint32(FRAME_CMD_AT), serial: view.getBigUint64(FRAME_SERIAL_AT), body: data.subarray(REQUEST_HEAD_BYTES) };
}

/** A frame as OpenD sends it: the answer to `serial`, or a push when serial is 0. */
export function encodeResponse(cmd: number, serial: bigint, body: Uint8Array, error = 0, errmsg = ''): Buffer {
  const out = Buffer.alloc(RESPONSE_HEAD_BYTES + body.byteLength);
  out.write(FT_SIGN, 0, 'latin1');
  out.writeUInt32BE(cmd, FRAME_CMD_AT);
  out.writeBigUInt64BE(serial, FRAME_SERIAL_AT);
  out.writeInt32BE(error, FRAME_ERROR_AT);
  out.write(errmsg.slice(0, ERRMSG_BYTES), FRAME_ERRMSG_AT, ERRMSG_BYTES, 'utf8');
  out.set(body, RESPONSE_HEAD_BYTES);
  return out;
}

/** A request frame as futu-api sends it (for tests that speak to the stand-in directly). */
export function encodeRequest(cmd: number, serial: bigint, body: Uint8Array): Buffer {
  const out = Buffer.alloc(REQUEST_HEAD_BYTES + body.byteLength);
  out.write(FT_SIGN, 0, 'latin1');
  out.writeUInt32BE(cmd, FRAME_CMD_AT);
  out.writeBigUInt64BE(serial, FRAME_SERIAL_AT);
  out.set(body, REQUEST_HEAD_BYTES);
  return out;
}
