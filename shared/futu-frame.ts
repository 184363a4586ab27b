// OpenD's WebSocket framing as futu-api's base.js writes and reads it, all
// big-endian. Client → OpenD: sign "ft-v1.0" padded to 8 bytes, cmd (uint32 at 8),
// serial (uint64 at 12), protobuf body. OpenD → client adds error (int32 at 20) and a
// 20-byte NUL-padded error text: a 44-byte head. Serial 0 marks a push (no request
// has it). Shared by the Futu adapter's push reader and the OpenD stand-in.

export const FT_SIGN = 'ft-v1.0';
export const REQUEST_HEAD_BYTES = 20;
export const RESPONSE_HEAD_BYTES = 44;
/** Byte offsets in a frame's head. */
export const FRAME_CMD_AT = 8;
export const FRAME_SERIAL_AT = 12;
export const FRAME_ERROR_AT = 20;
export const FRAME_ERRMSG_AT = 24;
