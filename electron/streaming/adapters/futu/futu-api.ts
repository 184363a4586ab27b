// The one place that loads futu-api, Futu's official OpenD client. Its packaging
// quirks (ESM main without "type":"module", a pinned protobufjs 6, a global
// WebSocket) are handled by scripts/build.mjs, which bundles it with `ws` as its
// WebSocket; under plain Node (tests) the caller provides globalThis.WebSocket.
// Built on its own as out/streaming/futu-api.cjs, which every other bundle requires
// at run time instead of holding a copy: futu-api and its protobuf tree are half of
// the streaming process's code, and a process that streams no Futu rows should not
// keep their source in memory (see scripts/build.mjs).
import FtWebsocket, { ftCmdID } from 'futu-api';
import protoRoot from 'futu-api/proto.js';
import type { FutuResponse, FutuSocket } from 'futu-api';
import type { PbType } from 'futu-api/proto.js';

export type { FutuResponse, FutuSocket, PbType };
/** futu-api's command table and compiled protobuf root, for the push fast path (push-frames.ts). */
export { ftCmdID, protoRoot };
export type FutuClient = FtWebsocket;

/** OpenD command numbers Foxtrot uses (as futu-api names them in ftCmdID). */
export const FUTU_CMD = {
  init: 1,
  keepAlive: ftCmdID.KeepAlive!.cmd,
  sub: ftCmdID.QotSub!.cmd,
  updateBasicQot: ftCmdID.QotUpdateBasicQot!.cmd,
  updateTicker: ftCmdID.QotUpdateTicker!.cmd,
  updateOrderBook: ftCmdID.QotUpdateOrderBook!.cmd,
} as const;

export function createFutuClient(): FutuClient {
  return new FtWebsocket();
}
