// The one place that loads futu-api, Futu's official OpenD client. Its packaging
// quirks (ESM main without "type":"module", a pinned protobufjs 6, a global
// WebSocket) are handled by scripts/build.mjs, which bundles it with `ws` as its
// WebSocket; under plain Node (tests) the caller provides globalThis.WebSocket.
// Built on its own as out/streaming/futu-api.cjs so a test proves the bundle loads.
import FtWebsocket, { ftCmdID } from 'futu-api';
import type { FutuResponse, FutuSocket } from 'futu-api';

export type { FutuResponse, FutuSocket };
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
