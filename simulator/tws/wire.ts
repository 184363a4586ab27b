// The TWS API's framing, server side. A client opens with "API\0" and a 4-byte
// big-endian length followed by its version range ("v100..193"); after that every
// message both ways is a 4-byte big-endian length and NUL-terminated text fields.

export const MAX_MESSAGE_BYTES = 0xffffff;

/** One framed message from its fields (numbers and booleans as TWS writes them). */
export function frame(fields: readonly (string | number | boolean)[]): Buffer {
  let text = '';
  for (const f of fields) text += (typeof f === 'boolean' ? (f ? '1' : '0') : String(f)) + '\0';
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

export type Incoming = { kind: 'hello'; minVersion: number; maxVersion: number } | { kind: 'message'; fields: string[] } | { kind: 'invalid'; reason: string };

/** Cuts a client's byte stream into its handshake and messages. */
export class WireReader {
  private buf: Buffer = Buffer.alloc(0);
  private greeted = false;

  /** Appends bytes; returns every complete unit they finish. */
  push(chunk: Buffer): Incoming[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Incoming[] = [];
    for (;;) {
      if (!this.greeted) {
        if (this.buf.length < 8) return out;
        if (this.buf.toString('latin1', 0, 4) !== 'API\0') return [...out, { kind: 'invalid', reason: 'no API\\0 greeting' }];
        const len = this.buf.readUInt32BE(4);
        if (len > 64) return [...out, { kind: 'invalid', reason: 'version string too long' }];
        if (this.buf.length < 8 + len) return out;
        const range = /^v(\d+)(?:\.\.(\d+))?/.exec(this.buf.toString('latin1', 8, 8 + len));
        this.buf = this.buf.subarray(8 + len);
        this.greeted = true;
        if (!range) return [...out, { kind: 'invalid', reason: 'no version range' }];
        out.push({ kind: 'hello', minVersion: Number(range[1]), maxVersion: Number(range[2] ?? range[1]) });
        continue;
      }
      if (this.buf.length < 4) return out;
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_MESSAGE_BYTES) return [...out, { kind: 'invalid', reason: `message of ${len} bytes` }];
      if (this.buf.length < 4 + len) return out;
      const text = this.buf.toString('utf8', 4, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      const fields = text.split('\0');
      if (fields.at(-1) === '') fields.pop();
      out.push({ kind: 'message', fields });
    }
  }
}
