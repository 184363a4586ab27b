// futu-api ships no types: the part of its surface Foxtrot uses (main.js, base.js, proto.js).
declare module 'futu-api' {
  /** What a request resolves or rejects with once OpenD answered (decoded `<Proto>.Response`). */
  export interface FutuResponse {
    retType: number;
    retMsg?: string;
    errCode?: number;
    s2c?: unknown;
  }

  /** The browser-style WebSocket base.js drives (ws's WebSocket in our bundle). */
  export interface FutuSocket {
    readyState: number;
    close(): void;
    /** ws only: destroys the socket without a closing handshake. */
    terminate?: () => void;
  }

  /** base.js's connection object: one WebSocket, request/response matching, its own 1 s reconnect. */
  export interface FutuWebsocketBase {
    websock: FutuSocket | null;
    connID: number | { toString(): string };
    state: { closing: boolean; login: boolean };
    onclose?: (e: unknown) => void;
    onerror?: (e: unknown) => void;
    close(): void;
    killReconnectTimer(): void;
  }

  export default class FtWebsocket {
    websock: FutuWebsocketBase | null;
    onlogin: ((ok: boolean, detail: unknown) => void) | null;
    onPush: ((cmd: number, message: unknown) => void) | null;
    /** Opens ws://ip:port (ssl false) and sends InitWebSocket with md5(key). */
    start(ip: string, port: number, ssl: boolean, key: string): void;
    Sub(req: unknown): Promise<FutuResponse>;
    /** Qot_GetStaticInfo: the securities of a market (and type), or of those named. */
    GetStaticInfo(req: unknown): Promise<FutuResponse>;
    /** Sends any request by proto name (KeepAlive has no method of its own). */
    _sendCmd(cmd: number, req: unknown, name: string): Promise<FutuResponse>;
    /** Unregisters the push callback only; closing is websock.close(). */
    stop(): void;
  }

  export const ftCmdID: Record<string, { cmd: number; name: string; description: string }>;
}


// proto.js: futu-api's compiled protobuf definitions (protobufjs 6 JSON module, CommonJS),
// read by the push fast path (push-frames.ts) and the OpenD stand-in.
declare module 'futu-api/proto.js' {
  export interface PbType {
    create(value: unknown): unknown;
    encode(message: unknown): { finish(): Uint8Array };
    decode(buffer: Uint8Array): unknown;
    verify(message: unknown): string | null;
    toObject(message: unknown, options?: { longs?: unknown; defaults?: boolean }): Record<string, unknown>;
  }
  const root: { lookupType(name: string): PbType };
  export default root;
}
