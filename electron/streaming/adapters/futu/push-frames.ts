// Reads OpenD's market-data pushes without futu-api's per-frame overhead. futu-api
// reads every frame's 44-byte header through ByteBuffer (a copy of the frame, UTF-8
// decodes of its sign and its error text, another copy of the body) and looks the
// push's protobuf type up by name on every push: at OpenD's push rates that made the
// Futu adapter cost 1.5× the bare client in the benchmark. Pushes of the commands
// Foxtrot handles are read here from the header's fixed offsets (big-endian, as OpenD
// writes them) and decoded in place with types looked up once, from the Buffer ws read
// (futu-api has ws copy every frame into an ArrayBuffer first). Replies to requests,
// error frames and every other command still take futu-api's own path, unchanged.
import { FRAME_CMD_AT, FRAME_ERROR_AT, FRAME_SERIAL_AT, FT_SIGN, RESPONSE_HEAD_BYTES } from '../../../../shared/futu-frame';
import { ftCmdID, protoRoot, type FutuClient, type PbType } from './futu-api';

/** What one frame's header says (the body starts at RESPONSE_HEAD_BYTES). */
export interface FrameHeader {
  cmd: number;
  /** The request serial the frame answers, as futu-api keys its waiting requests; pushes carry one no request waits for. */
  serial: string;
  error: number;
}

/** Reads an OpenD frame's header into `into`; false when it is not one (too short, wrong sign). */
export function readFrameHeader(frame: Uint8Array, into: FrameHeader): boolean {
  if (frame.byteLength < RESPONSE_HEAD_BYTES) return false;
  for (let i = 0; i < FT_SIGN.length; i++) if (frame[i] !== FT_SIGN.charCodeAt(i)) return false;
  const view = new DataView(frame.buffer, frame.byteOffset, RESPONSE_HEAD_BYTES);
  into.cmd = view.getUint32(FRAME_CMD_AT);
  const high = view.getUint32(FRAME_SERIAL_AT);
  // small serials (pushes carry 0) need no BigInt
  into.serial = high === 0 ? String(view.getUint32(FRAME_SERIAL_AT + 4)) : String(view.getBigUint64(FRAME_SERIAL_AT));
  into.error = view.getInt32(FRAME_ERROR_AT);
  return true;
}

/** The part of futu-api's connection object (base.js) the fast path replaces and consults. */
interface ClientBase {
  recvBuff(frame: unknown): unknown;
  promisePool: Record<string, unknown>;
  /** Opens a new ws socket (each start and reconnect). */
  initWebSocket(config?: unknown): void;
  websock: { binaryType?: string } | null;
}

function isClientBase(v: unknown): v is ClientBase {
  const b = v as Partial<ClientBase> | null | undefined;
  return typeof b?.recvBuff === 'function' && typeof b.initWebSocket === 'function' && typeof b.promisePool === 'object' && b.promisePool !== null;
}

/** futu-api's `Response` type of a push command, looked up as its _onPush does (`<name>.Response`). */
function responseTypeOf(cmd: number): PbType {
  const entry = Object.values(ftCmdID).find((e) => e.cmd === cmd);
  if (!entry) throw new Error(`futu-api knows no command ${cmd}`);
  return protoRoot.lookupType(`${entry.name}.Response`);
}

/** What recvBuff returns for a frame it handled (base.js's shape; its caller ignores it unless it set onmessage). */
const HANDLED = { error: 0, result: null };

/**
 * Routes pushes of `cmds` from the started `client` straight to `onPush(cmd, decoded)`, as
 * futu-api's onPush would receive them. Call after client.start() (which creates the
 * connection object); it lasts across the client's reconnects. Returns false, changing
 * nothing, when the client lacks what the fast path relies on: the caller then uses onPush.
 */
export function installPushFastPath(client: FutuClient, cmds: readonly number[], onPush: (cmd: number, message: unknown) => void): boolean {
  const base: unknown = client.websock;
  if (!isClientBase(base)) return false;
  const types = new Map<number, PbType>(cmds.map((cmd) => [cmd, responseTypeOf(cmd)]));
  const original = base.recvBuff.bind(base);
  /** futu-api's own path, which wants the frame alone in an ArrayBuffer. */
  const viaLibrary = (frame: unknown, bytes: Uint8Array) => original(frame instanceof ArrayBuffer ? frame : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const head: FrameHeader = { cmd: 0, serial: '', error: 0 };
  base.recvBuff = (frame: unknown) => {
    const bytes = frame instanceof Uint8Array ? frame : frame instanceof ArrayBuffer ? new Uint8Array(frame) : undefined;
    if (!bytes) return original(frame);
    if (!readFrameHeader(bytes, head)) return viaLibrary(frame, bytes);
    const type = head.error === 0 && bytes.byteLength > RESPONSE_HEAD_BYTES ? types.get(head.cmd) : undefined;
    // A frame a request waits for is its reply, whatever its command: futu-api resolves it.
    if (!type || base.promisePool[head.serial] != null) return viaLibrary(frame, bytes);
    onPush(head.cmd, type.decode(bytes.subarray(RESPONSE_HEAD_BYTES)));
    return HANDLED;
  };
  // ws then hands each binary frame as a Buffer over what it read, without a copy.
  const receiveBuffers = () => {
    if (base.websock && 'binaryType' in base.websock) base.websock.binaryType = 'nodebuffer';
  };
  const init = base.initWebSocket.bind(base);
  base.initWebSocket = (config?: unknown) => {
    init(config);
    receiveBuffers();
  };
  receiveBuffers();
  return true;
}
