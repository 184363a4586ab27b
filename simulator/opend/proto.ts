// The message types the stand-in speaks, from the definitions futu-api ships
// (proto.js, protobufjs 6): the stand-in and the real client cannot disagree on
// the wire format because they read the same file.
import protoRoot, { type PbType } from 'futu-api/proto.js';

function type(name: string): PbType {
  return protoRoot.lookupType(name);
}

export const OPEND_CMD = { init: 1, keepAlive: 1004, sub: 3001, basicQot: 3005, ticker: 3011, orderBook: 3013, staticInfo: 3202 } as const;

/** Qot_Common.SubType values the stand-in serves. */
export const SUB_TYPE = { basic: 1, orderBook: 2, ticker: 4 } as const;

export const PB = {
  initRequest: type('InitWebSocket.Request'),
  initResponse: type('InitWebSocket.Response'),
  keepAliveRequest: type('KeepAlive.Request'),
  keepAliveResponse: type('KeepAlive.Response'),
  subRequest: type('Qot_Sub.Request'),
  subResponse: type('Qot_Sub.Response'),
  basicQot: type('Qot_UpdateBasicQot.Response'),
  ticker: type('Qot_UpdateTicker.Response'),
  orderBook: type('Qot_UpdateOrderBook.Response'),
  staticInfoRequest: type('Qot_GetStaticInfo.Request'),
  staticInfoResponse: type('Qot_GetStaticInfo.Response'),
};

export function encode(t: PbType, value: unknown): Uint8Array {
  return t.encode(t.create(value)).finish();
}

/** Decodes and checks required fields; a message saying what is wrong otherwise. */
export function decode(t: PbType, body: Uint8Array): Record<string, unknown> | string {
  let msg: unknown;
  try {
    msg = t.decode(body);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return t.toObject(msg, { longs: Number, defaults: false });
}
