// futu-api's compiled protobuf definitions (protobufjs 6 JSON module, CommonJS).
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
